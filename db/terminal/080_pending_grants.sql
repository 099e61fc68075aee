-- Schema 80: a member's grant of a benefit this terminal does not hold yet is kept here until the
-- benefit arrives. In a snapshot the feed is in stamp order, so a benefit updated at HQ after the
-- member was stamped comes in a later page than the member's grant; skipping the grant lost it.
CREATE TABLE pending_grants (
  member_id  TEXT NOT NULL,
  benefit_id TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  used_op_id TEXT
) STRICT;
CREATE INDEX pending_grants_benefit ON pending_grants(benefit_id);
CREATE INDEX pending_grants_member ON pending_grants(member_id);
