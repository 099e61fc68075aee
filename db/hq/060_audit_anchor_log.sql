-- Schema 60: every head HQ anchored for a terminal (docs/authority.md "Anchored audit chain"), so a
-- push that arrives after a later one of the same terminal (two syncs at once) is recognised as a
-- head HQ already knows, not as a truncation.
CREATE TABLE audit_anchor_log (
  terminal_id text NOT NULL REFERENCES terminals(id),
  seq         bigint NOT NULL,
  hash        text NOT NULL,
  PRIMARY KEY (terminal_id, seq)
);
INSERT INTO audit_anchor_log(terminal_id, seq, hash) SELECT terminal_id, seq, hash FROM audit_anchors;
