-- Schema 25: prune the replay cache by step without scanning it (seen_codes is keyed by member first).
CREATE INDEX seen_codes_step ON seen_codes(step);
