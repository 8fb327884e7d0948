-- Views for the common questions about searches (README "Views"), and the indexes they and the
-- query commands need. The views only read. They are a stable interface: a later version may add
-- columns at the end of a view, never rename or remove one. Column names follow the tables:
-- `cost` is the value of the search's target metric, `custom_cost`, `madds` and `params` are
-- the cost metrics (NULL when the space's family does not compute one).

-- Pareto view probes and `layernas pareto` scans: evaluated candidates of a search by cost.
CREATE INDEX candidates_by_cost ON candidates(search_id, status, cost, score);

-- Every candidate with its search's name, all cost metrics and its parent's key.
CREATE VIEW candidate_details AS
SELECT c.id            AS candidate_id,
       s.name          AS search,
       c.search_id     AS search_id,
       c.seq           AS seq,
       c.arch          AS arch,
       c.options_json  AS options_json,
       c.status        AS status,
       c.score         AS score,
       s.target_metric AS target_metric,
       c.cost          AS cost,
       c.custom_cost   AS custom_cost,
       c.madds         AS madds,
       c.params        AS params,
       c.in_window     AS in_window,
       c.layer         AS layer,
       c.step          AS step,
       c.parent_id     AS parent_id,
       p.arch          AS parent,
       c.attempts      AS attempts,
       c.epochs        AS epochs,
       c.seconds       AS seconds,
       c.error         AS error,
       c.metrics_json  AS metrics_json,
       c.created_at    AS created_at,
       c.finished_at   AS finished_at
FROM candidates c
JOIN searches s ON s.id = c.search_id
LEFT JOIN candidates p ON p.id = c.parent_id;

-- One row per (candidate, search layer): the option a candidate chose at that layer, decoded.
CREATE VIEW candidate_options AS
SELECT c.id                          AS candidate_id,
       s.name                        AS search,
       c.search_id                   AS search_id,
       c.arch                        AS arch,
       CAST(j.key AS INTEGER) + 1    AS layer,
       l.name                        AS layer_name,
       j.value                       AS label,
       o.option_index                AS option_index,
       o.fields_json                 AS fields_json,
       o.is_default                  AS is_default
FROM candidates c
JOIN searches s ON s.id = c.search_id
JOIN json_each(c.options_json) j
LEFT JOIN layers l ON l.search_id = c.search_id AND l.layer = j.key + 1
LEFT JOIN options o ON o.search_id = c.search_id AND o.layer = j.key + 1 AND o.label = j.value;

-- The best kept member of every non-empty bucket of every layer store (ties: lower cost, then
-- earlier generation), with the bucket's cost bounds [bucket_low, bucket_high) and its size.
CREATE VIEW bucket_best AS
SELECT search_id, search, layer, bucket, bucket_low, bucket_high, members, candidate_id, arch, score, cost
FROM (
    SELECT m.search_id                                                     AS search_id,
           s.name                                                          AS search,
           m.layer                                                         AS layer,
           m.bucket                                                        AS bucket,
           l.bucket_min + (l.bucket_max - l.bucket_min) * m.bucket / l.buckets       AS bucket_low,
           l.bucket_min + (l.bucket_max - l.bucket_min) * (m.bucket + 1) / l.buckets AS bucket_high,
           count(*) OVER (PARTITION BY m.search_id, m.layer, m.bucket)     AS members,
           c.id                                                            AS candidate_id,
           c.arch                                                          AS arch,
           c.score                                                         AS score,
           c.cost                                                          AS cost,
           row_number() OVER (PARTITION BY m.search_id, m.layer, m.bucket
                              ORDER BY c.score DESC, c.cost, c.seq)        AS rank
    FROM memberships m
    JOIN candidates c ON c.id = m.candidate_id
    JOIN searches s ON s.id = m.search_id
    JOIN layers l ON l.search_id = m.search_id AND l.layer = m.layer
    WHERE m.state = 'kept'
)
WHERE rank = 1;

-- The Pareto front of every search over (score max, cost min), evaluated candidates only: those
-- no other evaluated candidate of the same search beats or equals on both with one strictly
-- better. Equal points are all kept. Quadratic in the worst case: `layernas pareto` computes
-- the same set in O(n log n) and supports other objectives.
CREATE VIEW pareto_front AS
SELECT c.id            AS candidate_id,
       s.name          AS search,
       c.search_id     AS search_id,
       c.arch          AS arch,
       c.score         AS score,
       s.target_metric AS target_metric,
       c.cost          AS cost,
       c.custom_cost   AS custom_cost,
       c.madds         AS madds,
       c.params        AS params,
       c.in_window     AS in_window,
       c.seq           AS seq
FROM candidates c
JOIN searches s ON s.id = c.search_id
WHERE c.status = 'evaluated'
  AND NOT EXISTS (
      SELECT 1 FROM candidates d
      WHERE d.search_id = c.search_id AND d.status = 'evaluated'
        AND d.cost <= c.cost AND d.score >= c.score
        AND (d.cost < c.cost OR d.score > c.score)
  );

-- Where every search stands: counts by status, budget use, rate and the best candidate inside
-- the target window (ties: lower cost, then earlier generation).
CREATE VIEW search_progress AS
SELECT p.*,
       CASE WHEN p.budget > 0 THEN round(1.0 * p.evaluations / p.budget, 4) END AS budget_fraction,
       CASE WHEN p.elapsed_seconds > 0 THEN p.evaluations / p.elapsed_seconds END AS evaluations_per_second,
       b.arch  AS best_arch,
       b.score AS best_score,
       b.cost  AS best_cost
FROM (
    SELECT s.id                               AS search_id,
           s.name                             AS search,
           s.strategy                         AS strategy,
           s.family                           AS family,
           s.evaluator                        AS evaluator,
           s.status                           AS status,
           s.stop_reason                      AS stop_reason,
           s.target_metric                    AS target_metric,
           s.target_min                       AS target_min,
           s.target_max                       AS target_max,
           coalesce(k.evaluated, 0)           AS evaluated,
           coalesce(k.failed, 0)              AS failed,
           coalesce(k.pending, 0)             AS pending,
           coalesce(k.running, 0)             AS running,
           coalesce(k.dropped, 0)             AS dropped,
           coalesce(k.evaluated + k.failed, 0) AS evaluations,
           s.budget                           AS budget,
           s.rounds                           AS rounds,
           s.elapsed_seconds                  AS elapsed_seconds,
           s.owner                            AS owner,
           s.created_at                       AS created_at,
           s.updated_at                       AS updated_at
    FROM searches s
    LEFT JOIN (
        SELECT search_id,
               sum(status = 'evaluated') AS evaluated,
               sum(status = 'failed')    AS failed,
               sum(status = 'pending')   AS pending,
               sum(status = 'running')   AS running,
               sum(status = 'dropped')   AS dropped
        FROM candidates
        GROUP BY search_id
    ) k ON k.search_id = s.id
) p
LEFT JOIN candidates b ON b.id = (
    SELECT c.id FROM candidates c
    WHERE c.search_id = p.search_id AND c.status = 'evaluated' AND c.in_window = 1
    ORDER BY c.score DESC, c.cost, c.seq
    LIMIT 1
);
