"""nkwatch: a news-intelligence desk for people who follow North Korea."""
