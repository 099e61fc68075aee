-- Schema 130: no phone numbers on a terminal (docs/privacy.md). A member keeps the keyed hash of
-- their number (HMAC-SHA256 under the brand's phone key, from HQ) to be found and checked by the
-- number they say, and its last four digits to show. The full numbers held until now are dropped;
-- the hash is NULL until HQ sends the member again, so the sync cursor is forgotten: the next sync
-- pulls everything afresh (with the brand's key). A member without a hash is found by card or code.
-- then: VACUUM
ALTER TABLE members ADD COLUMN phone_hash TEXT;
ALTER TABLE members ADD COLUMN phone_last4 TEXT NOT NULL DEFAULT '' CHECK (phone_last4 = '' OR phone_last4 GLOB '[0-9][0-9][0-9][0-9]');
UPDATE members SET phone_last4 = substr(phone, -4) WHERE substr(phone, -4) GLOB '[0-9][0-9][0-9][0-9]';
ALTER TABLE members DROP COLUMN phone;
-- Indexed on the hash's first 8 characters only (48 bits: a handful of shared prefixes among a
-- million members, told apart by the full hash): the whole 43-character hash made every pulled member
-- an insert into a large random-order index, 4× the insert cost (the sync bench's initial sync went
-- from about 115 s to 200 s); the prefix index costs about half of that.
CREATE INDEX members_phone_prefix ON members(substr(phone_hash, 1, 8)) WHERE phone_hash IS NOT NULL;

-- The brand's privacy settings (the `brand` change): the phone key and how names are shown.
CREATE TABLE brand (
  id           TEXT PRIMARY KEY CHECK (id = 'brand'),
  phone_key    TEXT NOT NULL,
  name_display TEXT NOT NULL CHECK (name_display IN ('full', 'masked')),
  updated_at   INTEGER NOT NULL
) STRICT;

DELETE FROM sync_state WHERE key = 'cursor';
