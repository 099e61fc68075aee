// Card numbers: 16 digits, a 4-digit range, an 11-digit number, a Luhn check digit (one mistyped
// digit or two swapped neighbours are caught). HQ's imported and demo cards are range 8860; cards a
// terminal issues at sign-up come from range 8870, numbered in blocks HQ reserves for each terminal
// (docs/join.md), so two terminals offline never issue the same number.

/** The Luhn check digit of a string of digits. */
export function luhnDigit(body: string): string {
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let digit = Number(body[body.length - 1 - k]);
    if (k % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

const ISSUED_RANGE = '8870';
/** Issued numbers run 1 … 10^11 − 1. */
export const MAX_ISSUED_CARD = 99_999_999_999;

/** The card number of the n-th card issued at sign-up (n ≥ 1). */
export function issuedCardNo(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ISSUED_CARD) throw new RangeError(`no issued card ${n}`);
  const body = `${ISSUED_RANGE}${String(n).padStart(11, '0')}`;
  return body + luhnDigit(body);
}

/** The n of an issued card number, or null for anything else (another range, a wrong check digit). */
export function issuedCardSeq(cardNo: string): number | null {
  const m = /^8870(\d{11})(\d)$/.exec(cardNo);
  if (!m || luhnDigit(cardNo.slice(0, 15)) !== m[2]) return null;
  const n = Number(m[1]);
  return n >= 1 ? n : null;
}
