-- The dashboard's candidate table (`layernas serve`, docs/ARCHITECTURE.md#dashboard) sorts a
-- search's candidates on any column, filters them by status, window and layer, and pages through
-- them; it must stay fast on a million candidates. Each index below serves one sort column: its
-- entries are in the table's order (the column, then `id` as the tie-break) and carry the three
-- filter columns, so a page at any depth, under any combination of those filters, is read from
-- the index alone (SQLite skips index entries, never table rows).
CREATE INDEX candidates_sorted_by_id ON candidates(search_id, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_seq ON candidates(search_id, seq, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_arch ON candidates(search_id, arch, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_status ON candidates(search_id, status, id, in_window, layer);
CREATE INDEX candidates_sorted_by_score ON candidates(search_id, score, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_cost ON candidates(search_id, cost, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_madds ON candidates(search_id, madds, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_params ON candidates(search_id, params, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_custom_cost ON candidates(search_id, custom_cost, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_in_window ON candidates(search_id, in_window, id, status, layer);
CREATE INDEX candidates_sorted_by_layer ON candidates(search_id, layer, id, status, in_window);
CREATE INDEX candidates_sorted_by_parent_id ON candidates(search_id, parent_id, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_attempts ON candidates(search_id, attempts, id, status, in_window, layer);
CREATE INDEX candidates_sorted_by_seconds ON candidates(search_id, seconds, id, status, in_window, layer);
