-- Whether an evaluated candidate has been offered to the per-layer stores (its admissions,
-- evictions and propagations are applied). With parallel evaluation (--jobs) a result can be
-- committed before an earlier candidate of the same step finishes; its store consequences are
-- then applied later, strictly in generation order, so the outcome is the same whichever
-- evaluation finished first. Results that were committed before this migration were offered
-- in the same transaction.
ALTER TABLE candidates ADD COLUMN offered INTEGER NOT NULL DEFAULT 0 CHECK (offered IN (0, 1));
UPDATE candidates SET offered = 1 WHERE status = 'evaluated';
