-- Schema 20. A push batch holding a void of an earn reads the member's other earns (the latest
-- purchase left once it is undone; src/hq/services/batchLoad.ts loadEarns): by member, not a scan.
CREATE INDEX operations_member_earns ON operations(member_id) WHERE kind = 'earn';
