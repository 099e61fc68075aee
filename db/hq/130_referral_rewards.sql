-- Schema 130: the referral reward (老带新, issue 17; docs/join.md "Referral reward").
-- One row per referee, ever: the primary key is what makes the reward once-only, also when two
-- terminals push the referee's first purchases at once, after a merge, or after that earn is voided.
CREATE TABLE referral_rewards (
  referee_id      text PRIMARY KEY,
  referrer_id     text NOT NULL,
  join_id         text NOT NULL,
  earn_op_id      text NOT NULL,
  referrer_points integer NOT NULL,
  referee_points  integer NOT NULL,
  at              bigint NOT NULL,
  rewarded_at     bigint NOT NULL
);
CREATE INDEX referral_rewards_referrer ON referral_rewards(referrer_id);

-- Operations that named a merged-away member id (an alias) and were applied to the member it became:
-- which sign-up used a once-only benefit, so a second use across a merge is told apart (merge_benefit_twice).
CREATE TABLE alias_operations (
  op_id    text PRIMARY KEY,
  alias_id text NOT NULL
);
