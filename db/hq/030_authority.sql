-- Schema 30 (docs/authority.md). HQ re-derives every operation: `operations.points` is the change
-- HQ applied to the member's balance (the terminal's claim stays in `payload` and in the conflict),
-- and an operation HQ refused is kept with status 'refused' and changes nothing.
ALTER TABLE operations ADD COLUMN status text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'refused'));

-- Every rules version HQ has published, so an earn is checked against the version the terminal named.
CREATE TABLE rules_versions (
  version      integer PRIMARY KEY,
  rules        jsonb NOT NULL,
  published_at bigint NOT NULL
);
INSERT INTO rules_versions(version, rules, published_at)
SELECT (rules->>'version')::int, rules, 0 FROM rules WHERE id = 'global'
ON CONFLICT (version) DO NOTHING;

-- The member-day earning cap reads a member's earns of one day.
CREATE INDEX operations_member_earn_at ON operations(member_id, at) WHERE kind = 'earn';
