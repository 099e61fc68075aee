-- Schema 100 (docs/sync.md "After a restore"): every restore a terminal told HQ about. HQ re-anchors
-- the terminal's audit chain at the backup's head and sends back what the terminal had pushed after
-- the backup; a restore rewinds the chain, so it is kept here for HQ's admin, with whether HQ had
-- anchored that very head (known) or another hash at its seq (diverges: the backup's log differs).
CREATE TABLE terminal_restores (
  id                bigserial PRIMARY KEY,
  terminal_id       text NOT NULL REFERENCES terminals(id),
  backup_at         bigint NOT NULL,
  audit_seq         bigint NOT NULL,
  audit_hash        text NOT NULL,
  outbox_seq        bigint NOT NULL,
  hq_last_seq       bigint NOT NULL,
  anchor_seq_before bigint,
  head_known        boolean NOT NULL,
  head_diverges     boolean NOT NULL,
  at                bigint NOT NULL,
  UNIQUE (terminal_id, backup_at, audit_seq, audit_hash)
);
