-- Schema 70: terminals never receive a member's phone number (docs/privacy.md). HQ keeps the brand's
-- phone key (one row, made by migrateHq with 32 random bytes) and, for every member, the keyed hash of
-- the number's E.164 form: HMAC-SHA256, here spelled with PostgreSQL's own sha256() over the key's
-- inner and outer pads, so PGlite needs no extension. Terminals get the hash, the last four digits
-- and the key (to hash what a person says at the desk); the name as name_display says.
CREATE TABLE brand (
  id           text PRIMARY KEY CHECK (id = 'brand'),
  phone_key    bytea NOT NULL CHECK (length(phone_key) = 32),
  ipad         bytea NOT NULL CHECK (length(ipad) = 64),   -- key zero-padded to 64 bytes, XOR 0x36
  opad         bytea NOT NULL CHECK (length(opad) = 64),   -- the same, XOR 0x5c
  name_display text NOT NULL DEFAULT 'full' CHECK (name_display IN ('full', 'masked')),
  seq          bigint
);

ALTER TABLE members ADD COLUMN phone_hash text;

-- A bare mainland number is stored in its E.164 form; anything else reaches HQ already normalized
-- (src/loyalty/phone.ts normalizePhone at every import). Without a brand row yet the hash stays NULL
-- and migrateHq fills it in when it makes the key.
CREATE FUNCTION members_phone_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.phone ~ '^1[3-9][0-9]{9}$' THEN
    NEW.phone := '+86' || NEW.phone;
  END IF;
  NEW.phone_hash := (SELECT translate(encode(sha256(b.opad || sha256(b.ipad || convert_to(NEW.phone, 'UTF8'))), 'base64'), '+/=', '-_') FROM brand b);
  RETURN NEW;
END $$;

CREATE TRIGGER members_phone_hash BEFORE INSERT OR UPDATE OF phone ON members
  FOR EACH ROW EXECUTE FUNCTION members_phone_hash();
