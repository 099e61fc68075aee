// The shape of a member code (DESIGN.md "Member codes", v1): what a scanner sent, taken apart and
// checked for form only. Signatures and time are src/scan/verifyCode.ts; the member is the terminal's.
import { z } from 'zod';
import { DeskError } from '../contract/errors';
import { memberIdSchema } from '../contract/inputs';

/** Longer than any v1 code by far; anything longer is refused before it is looked at. */
export const MAX_CODE_LENGTH = 1024;
export const ROTATION_STEP_S = 30;

const kidSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
const b64Key = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const serial = z.number().int().min(1).max(1_000_000);
const epochS = z.number().int().min(0).max(99_999_999_999);

export const cardPayloadSchema = z.strictObject({ v: z.literal(1), kid: kidSchema, mid: memberIdSchema, cs: serial, iat: epochS });
export const appPayloadSchema = z.strictObject({ v: z.literal(1), kid: kidSchema, mid: memberIdSchema, cs: serial, dpk: b64Key, exp: epochS });
export type CardPayload = z.infer<typeof cardPayloadSchema>;
export type AppPayload = z.infer<typeof appPayloadSchema>;

export type ParsedCode =
  | { kind: 'card'; cardNo: string }
  | { kind: 'static'; payload: CardPayload; signed: string; sig: Buffer }
  | {
      kind: 'rotating';
      payload: AppPayload;
      /** `LD1D.<P>`, signed by HQ. */
      signed: string;
      sig: Buffer;
      step: number;
      /** `LD1D.<P>.<S>.<t>`, signed by the member's device. */
      deviceSigned: string;
      deviceSig: Buffer;
    };

const malformed = (why: string) => new DeskError('MALFORMED', { why });

/** Unpadded base64url in its one canonical spelling: a code has exactly one accepted text. */
export function fromBase64url(text: string, bytes?: number): Buffer | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
  const buf = Buffer.from(text, 'base64url');
  if (buf.toString('base64url') !== text) return null;
  if (bytes !== undefined && buf.length !== bytes) return null;
  return buf;
}

export const toBase64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');

function payload<T>(schema: z.ZodType<T>, text: string): T {
  const bytes = fromBase64url(text);
  if (!bytes) throw malformed('payload is not base64url');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw malformed('payload is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw malformed('payload fields');
  return parsed.data;
}

function signature(text: string): Buffer {
  const sig = fromBase64url(text, 64);
  if (!sig) throw malformed('signature is not 64 bytes of base64url');
  return sig;
}

/**
 * A keyboard-wedge scanner with Caps Lock on sends every letter in the other case; the prefix
 * shows it, and swapping back restores the exact signed text.
 */
function undoCapsLock(text: string): string {
  if (!/^ld1[cd]\./.test(text)) return text;
  return text.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
}

/** Takes a scanned text apart; anything that is not exactly a v1 code or a card number is MALFORMED. */
export function parseCode(input: string): ParsedCode {
  if (typeof input !== 'string') throw malformed('not text');
  if (input.length > MAX_CODE_LENGTH + 8) throw malformed('too long');
  // Scanners end a code with CR, LF or Tab; none is part of any format.
  const text = undoCapsLock(input.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
  if (text.length === 0) throw malformed('empty');
  if (text.length > MAX_CODE_LENGTH) throw malformed('too long');
  if (/^\d{10,19}$/.test(text)) return { kind: 'card', cardNo: text };
  if (!/^[\x21-\x7e]+$/.test(text)) throw malformed('not printable ASCII');

  const parts = text.split('.');
  if (parts[0] === 'LD1C' && parts.length === 3) {
    const [, p, s] = parts as [string, string, string];
    return { kind: 'static', payload: payload(cardPayloadSchema, p), signed: `LD1C.${p}`, sig: signature(s) };
  }
  if (parts[0] === 'LD1D' && parts.length === 5) {
    const [, p, s, t, d] = parts as [string, string, string, string, string];
    const app = payload(appPayloadSchema, p);
    const sig = signature(s);
    if (!/^(0|[1-9]\d{0,10})$/.test(t)) throw malformed('time step is not a whole number');
    return {
      kind: 'rotating',
      payload: app,
      signed: `LD1D.${p}`,
      sig,
      step: Number(t),
      deviceSigned: `LD1D.${p}.${s}.${t}`,
      deviceSig: signature(d),
    };
  }
  throw malformed('not a member code');
}
