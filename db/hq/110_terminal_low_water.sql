-- Schema 110: the latest plausible `at` HQ has seen from each terminal (docs/authority.md "Time"),
-- so a long-enrolled terminal cannot backdate an operation to any moment of its life: an event more
-- than LOW_WATER_SLACK_MS before it is refused. Events HQ refuses as future-dated never raise it.
ALTER TABLE terminals ADD COLUMN max_op_at bigint;
UPDATE terminals t SET max_op_at = (SELECT max(o.at) FROM operations o WHERE o.terminal_id = t.id);
