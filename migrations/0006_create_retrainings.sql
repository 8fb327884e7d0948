-- Final retrainings of a search's answer (issue 19, docs/ARCHITECTURE.md#retraining-and-onnx-export):
-- `layernas retrain` trains one architecture of a search with the full recipe, checkpoints each
-- epoch in its row and ends with the test accuracy and the trained weights. The search's own rows
-- are never touched: this migration only adds a table, its rules and two views.
CREATE TABLE retrainings (
    id                  INTEGER PRIMARY KEY,
    search_id           INTEGER NOT NULL REFERENCES searches(id),
    -- The candidate retrained; NULL when an architecture of the space was named with --arch that
    -- the search never generated.
    candidate_id        INTEGER REFERENCES candidates(id),
    arch                TEXT    NOT NULL,
    -- The full recipe (canonical JSON), its seed and epochs, the OpenBLAS thread count and the
    -- split: together they identify a retraining, so running the same command again resumes it.
    recipe_json         TEXT    NOT NULL CHECK (json_valid(recipe_json)),
    seed                INTEGER NOT NULL,
    epochs              INTEGER NOT NULL CHECK (epochs >= 1),
    threads             INTEGER NOT NULL CHECK (threads >= 1),
    -- 1: trained on the first 50,000 training images, validated on the last 10,000;
    -- 0: trained on all 60,000 training images, no validation.
    validation          INTEGER NOT NULL CHECK (validation IN (0, 1)),
    train_images        INTEGER NOT NULL CHECK (train_images >= 1),
    status              TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished')),
    completed_epochs    INTEGER NOT NULL DEFAULT 0 CHECK (completed_epochs BETWEEN 0 AND epochs),
    -- One object per finished epoch: epoch, train_loss, train_accuracy, validation_accuracy
    -- (null without --validation), seconds.
    curve_json          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(curve_json)),
    -- Weights and optimizer state after the last finished epoch (layernas's checkpoint format);
    -- cleared when the retraining finishes.
    checkpoint          BLOB,
    -- The trained weights (layernas's tensor format), once finished; `layernas export-model`
    -- writes them as ONNX.
    weights             BLOB,
    test_accuracy       REAL    CHECK (test_accuracy IS NULL OR test_accuracy BETWEEN 0 AND 1),
    -- Training seconds summed over every run that contributed an epoch.
    seconds             REAL    NOT NULL DEFAULT 0 CHECK (seconds >= 0),
    blas_kernel         TEXT,
    -- The process retraining it ("host:pid@start"), so a second one is refused while it lives.
    owner               TEXT,
    created_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at         TEXT,
    UNIQUE (search_id, arch, recipe_json, threads, validation),
    CHECK ((status = 'finished') = (test_accuracy IS NOT NULL AND weights IS NOT NULL AND finished_at IS NOT NULL)),
    CHECK (status <> 'finished' OR completed_epochs = epochs)
);
CREATE INDEX retrainings_by_candidate ON retrainings(search_id, candidate_id);

-- A finished retraining is final, like an evaluated candidate.
CREATE TRIGGER retrainings_results_are_final
BEFORE UPDATE ON retrainings
WHEN OLD.status = 'finished'
BEGIN
    SELECT RAISE(ABORT, 'a finished retraining cannot change');
END;

-- Only a whole-search delete (migration 0005's permission) removes a finished retraining.
CREATE TRIGGER retrainings_are_never_deleted
BEFORE DELETE ON retrainings
WHEN OLD.status = 'finished'
 AND NOT EXISTS (SELECT 1 FROM search_deletions WHERE search_id = OLD.search_id)
BEGIN
    SELECT RAISE(ABORT, 'a finished retraining cannot be deleted');
END;

-- Every retraining without its blobs: what it trained, how, how far it is and how it scored.
CREATE VIEW retraining_details AS
SELECT r.id                 AS retraining_id,
       s.name               AS search,
       r.search_id          AS search_id,
       r.candidate_id       AS candidate_id,
       r.arch               AS arch,
       r.status             AS status,
       r.epochs             AS epochs,
       r.completed_epochs   AS completed_epochs,
       r.seed               AS seed,
       r.threads            AS threads,
       r.validation         AS validation,
       r.train_images       AS train_images,
       r.test_accuracy      AS test_accuracy,
       json_extract(r.curve_json, '$[#-1].validation_accuracy') AS final_validation_accuracy,
       json_extract(r.curve_json, '$[#-1].train_loss')          AS final_train_loss,
       c.score              AS search_score,
       r.seconds            AS seconds,
       CASE WHEN r.weights IS NOT NULL THEN 'retrainings.weights' END AS weights_location,
       length(r.weights)    AS weights_bytes,
       length(r.checkpoint) AS checkpoint_bytes,
       r.blas_kernel        AS blas_kernel,
       r.recipe_json        AS recipe_json,
       r.created_at         AS created_at,
       r.finished_at        AS finished_at
FROM retrainings r
JOIN searches s ON s.id = r.search_id
LEFT JOIN candidates c ON c.id = r.candidate_id;

-- The per-epoch curve of every retraining, one row per epoch.
CREATE VIEW retraining_epochs AS
SELECT r.id                                             AS retraining_id,
       r.search_id                                      AS search_id,
       r.arch                                           AS arch,
       json_extract(e.value, '$.epoch')                 AS epoch,
       json_extract(e.value, '$.train_loss')            AS train_loss,
       json_extract(e.value, '$.train_accuracy')        AS train_accuracy,
       json_extract(e.value, '$.validation_accuracy')   AS validation_accuracy,
       json_extract(e.value, '$.seconds')               AS seconds
FROM retrainings r, json_each(r.curve_json) e;
