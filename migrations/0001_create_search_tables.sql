-- The search state of layernas (design.md §4). The database *is* the search state: every table a
-- resumed search needs is here. Layers are numbered from 1 as in the LayerNAS paper.
-- Timestamps meant for people are ISO-8601 UTC text; times compared by the program are unix
-- seconds (REAL).

-- Marks the file as a layernas database ('LNAS').
PRAGMA application_id = 1280196947;

-- One row per search; several searches may share a database.
CREATE TABLE searches (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    strategy            TEXT    NOT NULL CHECK (strategy IN ('layernas', 'random', 'evolution', 'exhaustive')),
    space_name          TEXT    NOT NULL,
    family              TEXT    NOT NULL CHECK (family IN ('custom', 'mlp', 'cnn')),
    -- The validated space (canonical JSON) and the settings; a resume must match both.
    space_json          TEXT    NOT NULL CHECK (json_valid(space_json)),
    settings_json       TEXT    NOT NULL CHECK (json_valid(settings_json)),
    evaluator           TEXT    NOT NULL,
    seed                INTEGER NOT NULL,
    target_metric       TEXT    NOT NULL CHECK (target_metric IN ('cost', 'madds', 'params')),
    target_min          REAL    NOT NULL,
    target_max          REAL    NOT NULL CHECK (target_max >= target_min),
    -- Budgets may be raised to extend a finished search; NULL means none.
    budget              INTEGER CHECK (budget IS NULL OR budget >= 0),
    time_limit_seconds  REAL    CHECK (time_limit_seconds IS NULL OR time_limit_seconds > 0),
    elapsed_seconds     REAL    NOT NULL DEFAULT 0 CHECK (elapsed_seconds >= 0),
    status              TEXT    NOT NULL DEFAULT 'created'
                                CHECK (status IN ('created', 'running', 'stopped', 'finished', 'failed')),
    stop_reason         TEXT,
    rounds              INTEGER NOT NULL DEFAULT 0 CHECK (rounds >= 0),
    -- The process running the search ("host:pid") and its last heartbeat (unix seconds).
    owner               TEXT,
    owner_heartbeat_at  REAL,
    created_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The search layers of a search, with the cost span its bucket map covers.
CREATE TABLE layers (
    search_id       INTEGER NOT NULL REFERENCES searches(id),
    layer           INTEGER NOT NULL CHECK (layer >= 1),
    name            TEXT    NOT NULL,
    default_option  TEXT    NOT NULL,
    bucket_min      REAL    NOT NULL,
    bucket_max      REAL    NOT NULL CHECK (bucket_max >= bucket_min),
    buckets         INTEGER NOT NULL CHECK (buckets >= 1),
    PRIMARY KEY (search_id, layer)
) WITHOUT ROWID;

-- Every option of every layer, for joins that decode architectures.
CREATE TABLE options (
    search_id       INTEGER NOT NULL REFERENCES searches(id),
    layer           INTEGER NOT NULL CHECK (layer >= 1),
    option_index    INTEGER NOT NULL CHECK (option_index >= 0),
    label           TEXT    NOT NULL,
    fields_json     TEXT    NOT NULL CHECK (json_valid(fields_json)),
    is_default      INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    PRIMARY KEY (search_id, layer, option_index),
    UNIQUE (search_id, layer, label),
    FOREIGN KEY (search_id, layer) REFERENCES layers(search_id, layer)
) WITHOUT ROWID;

-- One LayerNAS layer step (or one batch of a baseline strategy): its parents and children are
-- committed together before any child is evaluated.
CREATE TABLE steps (
    search_id       INTEGER NOT NULL REFERENCES searches(id),
    step            INTEGER NOT NULL CHECK (step >= 1),
    round           INTEGER NOT NULL CHECK (round >= 1),
    layer           INTEGER CHECK (layer IS NULL OR layer >= 1),
    parents_json    TEXT    NOT NULL CHECK (json_valid(parents_json)),
    status          TEXT    NOT NULL CHECK (status IN ('planned', 'done')),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (search_id, step)
) WITHOUT ROWID;

-- Every architecture a search generated: evaluated, waiting, failed, or dropped as infeasible.
-- An architecture appears at most once per search, so it is never evaluated twice.
CREATE TABLE candidates (
    id                  INTEGER PRIMARY KEY,
    search_id           INTEGER NOT NULL REFERENCES searches(id),
    arch                TEXT    NOT NULL,
    -- Option labels per layer, e.g. ["C","B","D"]; json_extract(options_json, '$[0]') is layer 1.
    options_json        TEXT    NOT NULL CHECK (json_valid(options_json)),
    -- The target metric's value; then every metric the family computes.
    cost                REAL    NOT NULL,
    madds               INTEGER,
    params              INTEGER,
    custom_cost         REAL,
    in_window           INTEGER NOT NULL CHECK (in_window IN (0, 1)),
    status              TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'evaluated', 'failed', 'dropped')),
    score               REAL,
    parent_id           INTEGER REFERENCES candidates(id),
    -- Search layer at which the candidate was generated (NULL for baseline strategies).
    layer               INTEGER CHECK (layer IS NULL OR layer >= 1),
    step                INTEGER,
    -- Generation order within the search: evaluations run in this order.
    seq                 INTEGER NOT NULL CHECK (seq >= 1),
    recipe_json         TEXT    CHECK (recipe_json IS NULL OR json_valid(recipe_json)),
    seed                INTEGER,
    epochs              INTEGER,
    attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    error               TEXT,
    metrics_json        TEXT    CHECK (metrics_json IS NULL OR json_valid(metrics_json)),
    lease_owner         TEXT,
    lease_expires_at    REAL,
    created_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    started_at          TEXT,
    finished_at         TEXT,
    seconds             REAL    CHECK (seconds IS NULL OR seconds >= 0),
    UNIQUE (search_id, arch),
    UNIQUE (search_id, seq),
    CHECK ((status = 'evaluated') = (score IS NOT NULL)),
    CHECK (status <> 'running' OR lease_owner IS NOT NULL),
    FOREIGN KEY (search_id, step) REFERENCES steps(search_id, step)
);
CREATE INDEX candidates_by_status ON candidates(search_id, status, seq);
CREATE INDEX candidates_by_parent ON candidates(search_id, parent_id, layer);
CREATE INDEX candidates_by_score ON candidates(search_id, in_window, score DESC);

-- A finished result is final: nothing that finished training is ever lost or overwritten.
CREATE TRIGGER candidates_results_are_final
BEFORE UPDATE OF status, score, cost, arch ON candidates
WHEN OLD.status IN ('evaluated', 'dropped')
BEGIN
    SELECT RAISE(ABORT, 'an evaluated or dropped candidate cannot change');
END;

CREATE TRIGGER candidates_are_never_deleted
BEFORE DELETE ON candidates
WHEN OLD.status = 'evaluated'
BEGIN
    SELECT RAISE(ABORT, 'an evaluated candidate cannot be deleted');
END;

-- Membership of candidates in the per-layer stores M_i: the bucket, whether the candidate is
-- kept, was evicted by a better one, or was rejected on arrival, and whether its options at the
-- next layer are all tried ("expanded").
CREATE TABLE memberships (
    search_id       INTEGER NOT NULL REFERENCES searches(id),
    layer           INTEGER NOT NULL CHECK (layer >= 1),
    candidate_id    INTEGER NOT NULL REFERENCES candidates(id),
    bucket          INTEGER NOT NULL CHECK (bucket >= 0),
    state           TEXT    NOT NULL CHECK (state IN ('kept', 'evicted', 'rejected')),
    -- Order in which candidates were offered to stores (ties keep the earlier incumbent).
    offer           INTEGER NOT NULL CHECK (offer >= 1),
    evicted_by      INTEGER REFERENCES candidates(id),
    expanded        INTEGER NOT NULL DEFAULT 0 CHECK (expanded IN (0, 1)),
    PRIMARY KEY (search_id, layer, candidate_id),
    UNIQUE (search_id, offer)
) WITHOUT ROWID;
CREATE INDEX memberships_by_bucket ON memberships(search_id, layer, bucket, state);

-- Per-epoch training curves of built-in or external trainers.
CREATE TABLE epochs (
    candidate_id        INTEGER NOT NULL REFERENCES candidates(id),
    attempt             INTEGER NOT NULL CHECK (attempt >= 1),
    epoch               INTEGER NOT NULL CHECK (epoch >= 1),
    train_loss          REAL,
    train_accuracy      REAL,
    validation_accuracy REAL,
    seconds             REAL,
    PRIMARY KEY (candidate_id, attempt, epoch)
) WITHOUT ROWID;

-- Append-only log of what happened, for people and audits.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    search_id       INTEGER NOT NULL REFERENCES searches(id),
    at              TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    kind            TEXT    NOT NULL,
    candidate_id    INTEGER REFERENCES candidates(id),
    layer           INTEGER,
    message         TEXT    NOT NULL,
    detail_json     TEXT    CHECK (detail_json IS NULL OR json_valid(detail_json))
);
CREATE INDEX events_by_search ON events(search_id, id);

CREATE TRIGGER events_are_append_only_update
BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TRIGGER events_are_append_only_delete
BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
