-- Schema 70: the KPIs' member population (active members per tier, and how many of them have not
-- bought since a date) is counted by range seeks on this index instead of a pass over every member
-- row: about 3× faster, which matters when no closed day has kept the counts yet (docs/dayend.md).
CREATE INDEX members_population ON members(tier, coalesce(last_purchase_at, joined_at)) WHERE tombstone = 0 AND status = 'active';
