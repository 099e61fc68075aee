-- Schema 90 (docs/returns.md): a return names the purchase it returns in target_op_id; a push
-- reads every earlier applied return of the purchases its returns (and voids) name, to re-derive
-- what is left of each purchase.
CREATE INDEX operations_returns ON operations(target_op_id) WHERE kind = 'return';

-- Each member's use of every benefit, brand-wide (issue 17 item 4, docs/sync.md "Usage across
-- terminals"): [{benefitId, total, day, dayCount, lastAt}], kept by the push that applies a
-- redemption or its void and published with the member (protocol v2), so a once-per-member benefit
-- used at one terminal is refused at every other after its next sync. Filled here from the applied,
-- not voided redemptions (day counts start with the next redemption), and those members stamped
-- anew, under the feed's lock (FEED_LOCK, src/hq/services/stamp.ts) as every stamp is, so terminals
-- pull it at their next sync.
ALTER TABLE members ADD COLUMN usage jsonb NOT NULL DEFAULT '[]'::jsonb;
SELECT pg_advisory_xact_lock(1279542853);
UPDATE members m SET usage = u.usage, seq = nextval('change_seq')
  FROM (SELECT member_id, jsonb_agg(jsonb_build_object('benefitId', benefit_id, 'total', n, 'day', NULL, 'dayCount', 0, 'lastAt', last_at) ORDER BY benefit_id) AS usage
          FROM (SELECT member_id, benefit_id, count(*)::int AS n, max(at) AS last_at FROM operations
                 WHERE kind = 'redeem' AND status = 'applied' AND voided_by IS NULL AND benefit_id IS NOT NULL GROUP BY member_id, benefit_id) c
         GROUP BY member_id) u
 WHERE m.id = u.member_id;
