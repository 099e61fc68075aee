-- Schema 40 (docs/authority.md "Anchored audit chain"): the last audit head HQ anchored for each
-- terminal. A push whose head does not extend it is a conflict; the anchor then stays where it was.
CREATE TABLE audit_anchors (
  terminal_id text PRIMARY KEY REFERENCES terminals(id),
  seq         bigint NOT NULL,
  hash        text NOT NULL,
  at          bigint NOT NULL
);
