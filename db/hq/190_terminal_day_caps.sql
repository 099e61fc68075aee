-- Schema 190: how many cards one terminal replaced, and how many members it signed up, in the last
-- 24 hours of HQ's clock (src/hq/services/terminalCaps.ts): a hostile or broken terminal could
-- otherwise supersede every member's plastic card in one push (reproduced: 40 of 40 applied).
CREATE INDEX card_replacements_terminal_received ON card_replacements(terminal_id, received_at);
CREATE INDEX member_signups_terminal_received ON member_signups(terminal_id, received_at);
