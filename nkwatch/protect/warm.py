"""Imported by the process pool's fork server: reads the gazetteer once, so that every worker
forked from it starts with the town names in memory instead of reading them itself."""

from nkwatch.protect.gazetteer import place_names

place_names()
