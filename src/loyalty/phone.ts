// A member's mobile number as the brand knows it, and the little of it a terminal may keep: a keyed
// hash (HMAC-SHA256 under the brand's phone key, synced from HQ) to find and check a member by the
// number a person says, and the last four digits to show (****1234). docs/privacy.md.
import { createHmac } from 'node:crypto';

/**
 * Mobile numbers the desk takes, as a person types or says them, in their E.164 form:
 * mainland 11 digits (1[3-9]…), optionally after +86 / 0086; Hong Kong +852 and 8 digits;
 * Taiwan +886 and 9 digits (the local 09… form written after +886 keeps or drops its 0).
 * Spaces, dashes, dots and brackets between digits are ignored; full-width digits count as digits.
 */
const FORMS: { pattern: RegExp; canonical: (m: RegExpExecArray) => string }[] = [
  { pattern: /^(?:\+86|0086|86)?(1[3-9]\d{9})$/, canonical: (m) => `+86${m[1]}` },
  { pattern: /^(?:\+852|00852)([4-9]\d{7})$/, canonical: (m) => `+852${m[1]}` },
  { pattern: /^(?:\+886|00886)0?(9\d{8})$/, canonical: (m) => `+886${m[1]}` },
];

/** At most this many characters are looked at: a phone number, however written, is short. */
export const MAX_PHONE_TEXT = 32;

/** The E.164 form of a mobile number the desk accepts, or null when the text is not one. */
export function normalizePhone(text: string): string | null {
  if (text.length > MAX_PHONE_TEXT) return null;
  // NFKC: a Chinese input method in full-width mode types １３８… and ＋.
  const compact = text.normalize('NFKC').trim().replace(/[\s\-.()]/g, '');
  for (const form of FORMS) {
    const m = form.pattern.exec(compact);
    if (m) return form.canonical(m);
  }
  return null;
}

/** A brand's phone key: 32 random bytes, base64url (43 characters), as HQ sends it. */
export const PHONE_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A phone hash as it travels and is stored: HMAC-SHA256, base64url without padding. */
export const PHONE_HASH_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** HMAC-SHA256 of the E.164 number under the brand's key (HQ computes the same in SQL, db/hq/070). */
export function phoneHash(phoneKey: string, e164: string): string {
  return createHmac('sha256', Buffer.from(phoneKey, 'base64url')).update(e164, 'utf8').digest('base64url');
}

/** The four digits a screen or receipt may show. */
export function lastFour(e164: string): string {
  return e164.slice(-4);
}

/** ****1234: all a receipt, screen or API answer shows of a phone number. */
export function maskedPhone(last4: string): string {
  return /^\d{4}$/.test(last4) ? `****${last4}` : '****';
}
