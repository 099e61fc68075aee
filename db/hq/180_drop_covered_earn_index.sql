-- Schema 180: operations_member_earns (schema 20) is covered by operations_member_earn_at (schema 30,
-- member_id then at, on the same earn rows): every query that used it (batchLoad.ts loadEarns,
-- referralReward.ts boughtBefore) is served by the other as well. Each earn HQ writes updated both;
-- one fewer index on the push's hottest insert (docs/sync.md "Push and idempotency").
DROP INDEX IF EXISTS operations_member_earns;
