-- `layernas delete` removes one whole search: its row and every row that belongs to it
-- (docs/ARCHITECTURE.md#deleting-a-search). Single evaluated candidates and single events stay
-- undeletable: the triggers of 0001 now make exactly one exception, for the search named in
-- `search_deletions`. The delete transaction inserts that row first and removes it last, so the
-- table is empty outside that transaction and an accidental DELETE is refused as before.
CREATE TABLE search_deletions (
    search_id   INTEGER PRIMARY KEY
);

DROP TRIGGER candidates_are_never_deleted;
CREATE TRIGGER candidates_are_never_deleted
BEFORE DELETE ON candidates
WHEN OLD.status = 'evaluated'
 AND NOT EXISTS (SELECT 1 FROM search_deletions WHERE search_id = OLD.search_id)
BEGIN
    SELECT RAISE(ABORT, 'an evaluated candidate cannot be deleted');
END;

DROP TRIGGER events_are_append_only_delete;
CREATE TRIGGER events_are_append_only_delete
BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM search_deletions WHERE search_id = OLD.search_id)
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

-- A permission is only ever given for a search that exists.
CREATE TRIGGER search_deletions_name_a_search
BEFORE INSERT ON search_deletions
WHEN NOT EXISTS (SELECT 1 FROM searches WHERE id = NEW.search_id)
BEGIN
    SELECT RAISE(ABORT, 'no such search');
END;
