-- Schema 50: fewer pages written per redemption. Each secondary index costs a page per commit;
-- these had no query that needed them:
--  audit_ref: nothing looks audit entries up by ref on a hot path (doctor walks the chain in seq order);
--  operations_unsynced: operations_member_benefit already leads with member_id;
--  outbox_pending: acknowledged events are deleted, so the primary key is the pending order.
DROP INDEX IF EXISTS audit_ref;
DROP INDEX IF EXISTS operations_unsynced;
DROP INDEX IF EXISTS outbox_pending;
