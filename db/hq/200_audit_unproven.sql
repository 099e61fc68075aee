-- Schema 200: pushes in a row whose audit claim did not prove it extends the anchor HQ holds
-- (src/hq/services/auditAnchor.ts): a terminal whose stored anchor is deleted before every sync
-- (so each push says it holds none) was never checked again. At MAX_UNPROVEN_PUSHES it is recorded.
ALTER TABLE audit_anchors ADD COLUMN unproven integer NOT NULL DEFAULT 0;
