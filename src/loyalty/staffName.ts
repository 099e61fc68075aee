// A staff name as it is kept and shown (desk, receipts, Z-report, HQ's admin): the one rule the desk
// and HQ both apply. NFC-normalized (so 张伟 typed two ways is one name), spaces trimmed and runs of
// spaces made one, never blank; no control characters (NUL, line breaks), no bidi controls (a right-
// to-left override makes "Alice‮nimda" read as another name on screen and on paper), no invisible
// characters (zero-width spaces, joiners, soft hyphens, tags): two names that look alike must be
// alike. A refusal is data, its reason the i18n context of STAFF_NAME_INVALID.

export type StaffNameRefusal = 'blank' | 'control' | 'bidi' | 'invisible' | 'tooLong';
export type StaffNameCheck = { ok: true; name: string } | { ok: false; reason: StaffNameRefusal };

/** The desk's limit (manager.staff.add); HQ's admin and the protocol allow 80. */
export const STAFF_NAME_MAX_DESK = 40;
export const STAFF_NAME_MAX_HQ = 80;

// Cc (C0, DEL, C1), line and paragraph separators, lone surrogates.
const CONTROL = /[\p{Cc}\u2028\u2029]|\p{Cs}/u;
// Embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, and the marks LRM, RLM, ALM.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
// Every other format character (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, tags…), variation
// selectors, and the Hangul and braille fillers that draw nothing. (Private-use and unassigned code
// points stay: older systems keep rare name characters, 生僻字, there; they draw as a box, not as nothing.)
const INVISIBLE = /[\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u115F\u1160\u3164\uFFA0\u2800]/u;
const SPACES = /\p{Zs}+/gu;
const SOMETHING = /[\p{L}\p{N}]/u;

export function checkStaffName(raw: string, max: number = STAFF_NAME_MAX_DESK): StaffNameCheck {
  if (CONTROL.test(raw)) return { ok: false, reason: 'control' };
  const nfc = raw.normalize('NFC');
  if (BIDI.test(nfc)) return { ok: false, reason: 'bidi' };
  if (INVISIBLE.test(nfc)) return { ok: false, reason: 'invisible' };
  const name = nfc.replace(SPACES, ' ').trim();
  if (!SOMETHING.test(name)) return { ok: false, reason: 'blank' };
  if ([...name].length > max) return { ok: false, reason: 'tooLong' };
  return { ok: true, name };
}
