-- The anytime LayerNAS becomes the default strategy `layernas`; the algorithm every earlier
-- search ran under that name keeps running as `layernas-paper` (docs/ARCHITECTURE.md#strategies).
-- Strategies move from a CHECK list to the table `strategies`, so that a later strategy is one
-- INSERT in its migration instead of another rebuild of `searches`.
--
-- SQLite cannot change a column constraint in place: `searches` is rebuilt (new table, copy,
-- drop, rename). GRDB runs every migration with foreign keys off and checks them at the end.
-- `legacy_alter_table` keeps the rename from re-parsing the views that read `searches`: they
-- are unchanged and bind to the new table by name.
PRAGMA legacy_alter_table = ON;

CREATE TABLE strategies (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO strategies (name, description) VALUES
    ('layernas', 'LayerNAS as an anytime searcher: coarse-to-fine cost buckets, refinement of the best'),
    ('layernas-paper', 'LayerNAS as in the paper: layer by layer, cost buckets, top-k per bucket'),
    ('random', 'uniform sampling over in-window architectures, without repeats'),
    ('evolution', 'regularized evolution: tournament, one-layer mutation, oldest ages out'),
    ('exhaustive', 'every in-window architecture, in key order');

CREATE TABLE searches_rebuilt (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    strategy            TEXT    NOT NULL REFERENCES strategies(name),
    space_name          TEXT    NOT NULL,
    family              TEXT    NOT NULL CHECK (family IN ('custom', 'mlp', 'cnn')),
    space_json          TEXT    NOT NULL CHECK (json_valid(space_json)),
    settings_json       TEXT    NOT NULL CHECK (json_valid(settings_json)),
    evaluator           TEXT    NOT NULL,
    seed                INTEGER NOT NULL,
    target_metric       TEXT    NOT NULL CHECK (target_metric IN ('cost', 'madds', 'params')),
    target_min          REAL    NOT NULL,
    target_max          REAL    NOT NULL CHECK (target_max >= target_min),
    budget              INTEGER CHECK (budget IS NULL OR budget >= 0),
    time_limit_seconds  REAL    CHECK (time_limit_seconds IS NULL OR time_limit_seconds > 0),
    elapsed_seconds     REAL    NOT NULL DEFAULT 0 CHECK (elapsed_seconds >= 0),
    status              TEXT    NOT NULL DEFAULT 'created'
                                CHECK (status IN ('created', 'running', 'stopped', 'finished', 'failed')),
    stop_reason         TEXT,
    rounds              INTEGER NOT NULL DEFAULT 0 CHECK (rounds >= 0),
    owner               TEXT,
    owner_heartbeat_at  REAL,
    created_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

INSERT INTO searches_rebuilt (
    id, name, strategy, space_name, family, space_json, settings_json, evaluator, seed, target_metric,
    target_min, target_max, budget, time_limit_seconds, elapsed_seconds, status, stop_reason, rounds,
    owner, owner_heartbeat_at, created_at, updated_at)
SELECT id, name,
       CASE strategy WHEN 'layernas' THEN 'layernas-paper' ELSE strategy END,
       space_name, family, space_json,
       CASE strategy WHEN 'layernas' THEN json_set(settings_json, '$.strategy', 'layernas-paper') ELSE settings_json END,
       evaluator, seed, target_metric, target_min, target_max, budget, time_limit_seconds,
       elapsed_seconds, status, stop_reason, rounds, owner, owner_heartbeat_at, created_at, updated_at
FROM searches;

DROP TABLE searches;
ALTER TABLE searches_rebuilt RENAME TO searches;
PRAGMA legacy_alter_table = OFF;
