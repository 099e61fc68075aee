-- Schema 140: a member's history across terminals (issue 17 item 5; docs/history.md).
-- The desk asks for one member's recent operations: newest first within HISTORY_DAYS, read by this
-- index as a range scan of one member (the other member indexes cover only earns or redemptions).
CREATE INDEX operations_member_at ON operations(member_id, at);

-- How many histories each terminal asked for, per hour (epoch ms / 3,600,000): the bound on what one
-- enrolled terminal can read (per hour and per 24 hours), kept here so every HQ process counts alike.
-- Which members were asked about is not kept: the count is all the bound needs.
CREATE TABLE history_asks (
  terminal_id text NOT NULL,
  hour        bigint NOT NULL,
  n           integer NOT NULL,
  PRIMARY KEY (terminal_id, hour)
);
