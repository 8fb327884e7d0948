-- The `mobilenet` family (issue 20, docs/ARCHITECTURE.md#mobilenet-family): `searches.family`
-- was a CHECK list of custom, mlp and cnn. Families move to the table `families`, as strategies
-- did in 0004, so that a later family is one INSERT in its migration instead of another rebuild.
--
-- SQLite cannot change a column constraint in place: `searches` is rebuilt (new table, copy,
-- drop, rename), exactly as in 0004 and with the same columns. GRDB runs every migration with
-- foreign keys off and checks them at the end; `legacy_alter_table` keeps the rename from
-- re-parsing the views that read `searches`.
PRAGMA legacy_alter_table = ON;

CREATE TABLE families (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO families (name, description) VALUES
    ('custom', 'options carry a user-given cost; an architecture costs the sum'),
    ('mlp', 'multilayer perceptron: hidden widths, 0 removes a layer'),
    ('cnn', 'small CNN: conv channels, kernel, stride, pooling; global average pooling or flatten head'),
    ('mobilenet', 'MobileNetV2-like: fixed stem, inverted residual blocks (channels, kernel, expansion, stride), pooled head');

CREATE TABLE searches_rebuilt (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    strategy            TEXT    NOT NULL REFERENCES strategies(name),
    space_name          TEXT    NOT NULL,
    family              TEXT    NOT NULL REFERENCES families(name),
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
SELECT id, name, strategy, space_name, family, space_json, settings_json, evaluator, seed, target_metric,
       target_min, target_max, budget, time_limit_seconds, elapsed_seconds, status, stop_reason, rounds,
       owner, owner_heartbeat_at, created_at, updated_at
FROM searches;

DROP TABLE searches;
ALTER TABLE searches_rebuilt RENAME TO searches;
PRAGMA legacy_alter_table = OFF;
