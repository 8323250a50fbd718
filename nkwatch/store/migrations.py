"""Numbered, named schema migrations for the SQLite store.

Each migration runs once, in order, inside a transaction, and is recorded in ``migrations``.
Never edit a released migration: add a new one.
"""

from __future__ import annotations

from typing import NamedTuple


class Migration(NamedTuple):
    number: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles-and-fts",
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_key TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'article',
            url TEXT,
            canonical_url TEXT,
            outlet TEXT,
            origin_outlet TEXT,
            origin_url TEXT,
            parent_id INTEGER REFERENCES articles(id),
            item_index INTEGER,
            title TEXT,
            text TEXT NOT NULL,
            author TEXT,
            published TEXT,
            published_from TEXT NOT NULL DEFAULT 'none',
            language TEXT,
            fetched_at TEXT NOT NULL,
            source TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX articles_content_hash ON articles(content_hash);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_parent ON articles(parent_id);

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        """,
    ),
    Migration(
        2,
        "rejections-fetches-validators-runs",
        """
        CREATE TABLE rejections (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            times INTEGER NOT NULL DEFAULT 1,
            run_id INTEGER,
            UNIQUE (source, reason)
        );
        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            status INTEGER,
            bytes INTEGER NOT NULL DEFAULT 0,
            duration_ms REAL NOT NULL DEFAULT 0,
            error TEXT,
            reason TEXT,
            not_modified INTEGER NOT NULL DEFAULT 0,
            fetched_at TEXT NOT NULL
        );
        CREATE INDEX fetches_url ON fetches(url);
        CREATE TABLE http_validators (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            stored INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        3,
        "duplicates-and-lsh-buckets",
        """
        ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id);
        ALTER TABLE articles ADD COLUMN duplicate_kind TEXT;
        ALTER TABLE articles ADD COLUMN duplicate_similarity REAL;
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
        CREATE TABLE fingerprints (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            paragraph INTEGER NOT NULL DEFAULT -1,
            text_hash TEXT NOT NULL,
            words INTEGER NOT NULL,
            signature BLOB NOT NULL,
            PRIMARY KEY (article_id, paragraph)
        );
        CREATE INDEX fingerprints_hash ON fingerprints(text_hash);
        CREATE TABLE lsh_buckets (
            band INTEGER NOT NULL,
            bucket BLOB NOT NULL,
            article_id INTEGER NOT NULL,
            paragraph INTEGER NOT NULL DEFAULT -1
        );
        CREATE INDEX lsh_buckets_key ON lsh_buckets(band, bucket);
        """,
    ),
)

MIGRATIONS += (
    Migration(
        4,
        "stories",
        """
        ALTER TABLE articles ADD COLUMN story_id INTEGER;
        CREATE INDEX articles_story ON articles(story_id);
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT,
            first_seen TEXT,
            last_seen TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            independent_sources INTEGER NOT NULL DEFAULT 0,
            outlets TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );
        CREATE TABLE cluster_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            settings TEXT NOT NULL,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        5,
        "enrichment",
        """
        CREATE TABLE enrichment (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            profile TEXT NOT NULL,
            themes TEXT NOT NULL,
            entities TEXT NOT NULL,
            figures TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        6,
        "digests",
        """
        CREATE TABLE digests (
            id INTEGER PRIMARY KEY,
            since TEXT NOT NULL,
            until TEXT NOT NULL,
            stories TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (since, until)
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        7,
        "article-summaries",
        """
        CREATE TABLE summaries (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            sentences TEXT NOT NULL
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        8,
        "stage-failures-and-run-status",
        """
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            error_class TEXT NOT NULL,
            message TEXT NOT NULL,
            code_version TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            run_id INTEGER,
            UNIQUE (article_id, stage)
        );
        ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'finished';
        ALTER TABLE runs ADD COLUMN internal_errors INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN error TEXT;
        UPDATE runs SET status = 'interrupted' WHERE finished_at IS NULL;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        10,
        "articles-canonical-key",
        """
        ALTER TABLE articles ADD COLUMN canonical_key TEXT;
        UPDATE articles SET canonical_key = COALESCE(canonical_url, url)
            WHERE kind = 'article';
        CREATE INDEX articles_canonical_key ON articles(canonical_key);
        """,
    ),
)

MIGRATIONS += (
    Migration(
        12,
        "storylines",
        """
        ALTER TABLE stories ADD COLUMN storyline_id INTEGER;
        CREATE INDEX stories_storyline ON stories(storyline_id);
        """,
    ),
)

MIGRATIONS += (
    Migration(
        14,
        "protection-log",
        """
        CREATE TABLE protection_log (
            id INTEGER PRIMARY KEY,
            boundary TEXT NOT NULL,
            articles INTEGER NOT NULL,
            counts TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        15,
        "unprotected-exports",
        """
        CREATE TABLE unprotected_exports (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL,
            format TEXT NOT NULL,
            articles INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        18,
        "watches",
        """
        CREATE TABLE watches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            entity TEXT,
            theme TEXT,
            measure TEXT,
            keyword TEXT,
            outlet TEXT,
            min_sources INTEGER NOT NULL DEFAULT 0,
            source TEXT,
            silent_days INTEGER,
            webhook TEXT,
            created_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        19,
        "alerts",
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            story_id INTEGER,
            article_id INTEGER,
            title TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            url TEXT,
            run_id INTEGER,
            created_at TEXT NOT NULL,
            delivery TEXT,
            UNIQUE (watch_id, key)
        );
        CREATE INDEX alerts_by_watch ON alerts (watch_id, id);
        """,
    ),
)

MIGRATIONS += (
    Migration(
        20,
        "ingest-progress",
        """
        CREATE TABLE ingest_progress (
            source TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            records INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        21,
        "entity-mentions",
        """
        CREATE TABLE entity_mentions (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name_key TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT '',
            known INTEGER NOT NULL DEFAULT 0,
            mentions INTEGER NOT NULL DEFAULT 1,
            original INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (article_id, name_key)
        );
        CREATE INDEX entity_mentions_by_name ON entity_mentions (name_key, original, article_id);
        CREATE INDEX entity_mentions_counts
            ON entity_mentions (original, known, name_key, name, type);
        """,
    ),
)

MIGRATIONS += (
    Migration(
        22,
        "cluster-state-rows",
        """
        CREATE TABLE cluster_header (
            id INTEGER PRIMARY KEY,
            settings TEXT NOT NULL,
            header TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE cluster_stories (
            cluster_id INTEGER PRIMARY KEY,
            story_id INTEGER,
            place INTEGER NOT NULL,
            state BLOB NOT NULL
        );
        CREATE TABLE cluster_terms (
            view_name TEXT NOT NULL,
            term TEXT NOT NULL,
            documents INTEGER NOT NULL,
            PRIMARY KEY (view_name, term)
        );
        """,
    ),
    Migration(
        27,
        "protection-analyses",
        """
        CREATE TABLE protection_analyses (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,
            version TEXT NOT NULL,
            detections TEXT NOT NULL
        );
        CREATE INDEX protection_analyses_by_version ON protection_analyses (version);
        """,
    ),
    Migration(
        28,
        "protection-texts",
        """
        CREATE TABLE protection_texts (
            text_hash TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            detections TEXT NOT NULL
        );
        """,
    ),
    Migration(
        29,
        "story-summaries",
        """
        CREATE TABLE story_summaries (
            story_id INTEGER PRIMARY KEY,
            inputs TEXT NOT NULL,
            sentences TEXT NOT NULL,
            story_updated TEXT
        );
        """,
    ),
    Migration(
        32,
        "search-without-accents",
        """
        -- The full-text index has read words without their accents since migration 1
        -- (FTS5's remove_diacritics); the PostgreSQL store does the same from this number.
        SELECT 1;
        """,
    ),
    Migration(
        33,
        "articles-by-date",
        """
        -- Digest windows, chart histories and date filters read articles by
        -- COALESCE(published, fetched_at); without an index each read the whole table.
        CREATE INDEX articles_when ON articles (COALESCE(published, fetched_at), id);
        """,
    ),
    Migration(
        34,
        "pending-work",
        """
        -- Each per-article stage's pending work, filled as articles arrive or change, so a
        -- run finds its work without reading every article row. A stage's mark is the key
        -- (profile, protection version) its rows were last filled for from the whole store;
        -- a stage with no mark, or another key, is filled again once.
        CREATE TABLE pending_work (
            stage TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (stage, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE pending_marks (
            stage TEXT PRIMARY KEY,
            mark TEXT NOT NULL
        );
        -- Watches read the articles stored or changed since a run started.
        CREATE INDEX articles_updated ON articles (updated_at);
        """,
    ),
    Migration(
        35,
        "articles-by-story-and-kind",
        """
        -- A story's latest members are read by date within the story: without this index
        -- every member row (with its text) was read and sorted to keep the latest few (the
        -- index of migration 4 stays: it serves reads in arrival order, by id).
        CREATE INDEX articles_story_when ON articles
            (story_id, COALESCE(published, fetched_at), id);
        -- Counting articles by kind (status) reads this index, not every row.
        CREATE INDEX articles_kind ON articles (kind);
        """,
    ),
    Migration(
        36,
        "entity-mention-dates",
        """
        -- Each mention carries its article's date (publication, else fetch time), so an
        -- entity's page reads its days and latest articles from the mentions index instead of
        -- every mentioning article's row.
        ALTER TABLE entity_mentions ADD COLUMN seen TEXT;
        UPDATE entity_mentions SET seen = (
            SELECT COALESCE(a.published, a.fetched_at) FROM articles a
            WHERE a.id = entity_mentions.article_id
        );
        CREATE INDEX entity_mentions_by_date
            ON entity_mentions (name_key, original, seen, article_id);
        """,
    ),
)


#: Migrations whose new tables are filled from what is already stored, in Python (portable:
#: no triggers or JSON functions), right after their SQL runs and in the same transaction.
BACKFILLS: dict[int, str] = {21: "_index_all_entities", 22: "_split_cluster_state"}
