-- Schema 170: refused history asks are counted too (docs/history.md "Threat model"). A terminal over its
-- bound is refused without adding to `n`, but `refused` grows, so HQ's admin sees a terminal that keeps
-- asking past its limit (GET /v1/admin/history-asks, `hq-admin history-asks`).
ALTER TABLE history_asks ADD COLUMN refused integer NOT NULL DEFAULT 0;
