-- Schema 50: rows of the change feed a terminal could not parse and set aside, as it reported them
-- (docs/authority.md "No poison"): what they were and why, never the row itself.
CREATE TABLE set_aside_reports (
  terminal_id text NOT NULL REFERENCES terminals(id),
  local_id    bigint NOT NULL,
  entity      text,
  entity_id   text,
  reason      text NOT NULL,
  received_at bigint NOT NULL,
  reported_at bigint NOT NULL,
  PRIMARY KEY (terminal_id, local_id)
);
