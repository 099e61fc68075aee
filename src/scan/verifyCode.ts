// Signatures and time of a parsed member code, in DESIGN.md's order: key, signatures, time.
// The member checks and the replay cache need the terminal's database: src/terminal/operations/scan.ts.
import { verify, type KeyObject } from 'node:crypto';
import { DeskError } from '../contract/errors';
import { ROTATION_STEP_S, type ParsedCode } from './codeFormat';
import { publicKeyFromX } from './hqKeys';
import type { TrustedKeyRecord } from '../store/scanCache';

export type KeyLookup = (kid: string) => TrustedKeyRecord | undefined;

export type SignedCode = Exclude<ParsedCode, { kind: 'card' }>;

export interface VerifiedCode {
  kind: 'static' | 'rotating';
  mid: string;
  cs: number;
  /** The 30-second step of a rotating code, for the replay cache. */
  step: number | null;
}

/** A static card's iat may be this far ahead of the terminal's clock (clocks drift). */
export const IAT_SKEW_S = 300;
/** Rotating codes are accepted this many steps either side of the terminal's step. */
export const STEP_TOLERANCE = 1;

// Public keys are parsed once: a scan then costs the signature checks and nothing else.
const KEY_CACHE_MAX = 512;
const keyCache = new Map<string, KeyObject | null>();
function keyFor(x: string): KeyObject | null {
  let key = keyCache.get(x);
  if (key === undefined) {
    try {
      key = publicKeyFromX(x);
    } catch {
      key = null;
    }
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(x, key);
  }
  return key;
}

function verifies(text: string, sig: Buffer, x: string): boolean {
  const key = keyFor(x);
  if (!key) return false;
  try {
    return verify(null, Buffer.from(text, 'ascii'), key, sig);
  } catch {
    return false;
  }
}

export function verifyCode(code: SignedCode, lookup: KeyLookup, nowMs: number): VerifiedCode {
  const { kid, mid, cs } = code.payload;
  const key = lookup(kid);
  if (!key) throw new DeskError('UNKNOWN_KEY', { kid });

  if (!verifies(code.signed, code.sig, key.x)) throw new DeskError('BAD_SIGNATURE', { signer: 'hq' });
  if (code.kind === 'rotating' && !verifies(code.deviceSigned, code.deviceSig, code.payload.dpk)) {
    throw new DeskError('BAD_SIGNATURE', { signer: 'device' });
  }

  // The i18n context picks the code's sentence over the benefit's one with the same name.
  if (nowMs < key.validFrom) throw new DeskError('NOT_YET_VALID', { context: 'code', why: 'key' });
  if (key.validTo !== null && nowMs >= key.validTo) throw new DeskError('EXPIRED', { why: 'key' });
  const nowS = Math.floor(nowMs / 1000);
  if (code.kind === 'static') {
    if (code.payload.iat > nowS + IAT_SKEW_S) throw new DeskError('NOT_YET_VALID', { context: 'code', why: 'issued' });
    return { kind: 'static', mid, cs, step: null };
  }
  if (code.payload.exp <= nowS) throw new DeskError('EXPIRED', { why: 'credential' });
  const nowStep = Math.floor(nowS / ROTATION_STEP_S);
  if (code.step < nowStep - STEP_TOLERANCE) throw new DeskError('EXPIRED', { why: 'step' });
  if (code.step > nowStep + STEP_TOLERANCE) throw new DeskError('NOT_YET_VALID', { context: 'code', why: 'step' });
  return { kind: 'rotating', mid, cs, step: code.step };
}
