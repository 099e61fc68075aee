// Making member codes, as HQ and the member app do: for demo data, `member-qr`, tests and benches.
import { sign, type KeyObject } from 'node:crypto';
import { ROTATION_STEP_S, toBase64url, type AppPayload, type CardPayload } from './codeFormat';
import { privateKeyOf, type PrivateJwk } from './hqKeys';

const hqKeys = new Map<string, KeyObject>();
function hqPrivateKey(jwk: PrivateJwk): KeyObject {
  let key = hqKeys.get(jwk.d);
  if (!key) {
    key = privateKeyOf(jwk);
    hqKeys.set(jwk.d, key);
  }
  return key;
}

const sig = (text: string, key: KeyObject): string => toBase64url(sign(null, Buffer.from(text, 'ascii'), key));
const encode = (payload: object): string => toBase64url(JSON.stringify(payload));

/** A static card code `LD1C.<P>.<S>`. */
export function mintCardCode(hq: PrivateJwk, p: { mid: string; cs: number; iat: number }): string {
  const payload: CardPayload = { v: 1, kid: hq.kid, mid: p.mid, cs: p.cs, iat: p.iat };
  const signed = `LD1C.${encode(payload)}`;
  return `${signed}.${sig(signed, hqPrivateKey(hq))}`;
}

/** What HQ gives the member app once: `LD1D.<P>.<S>`, the device key certified until `exp`. */
export function mintAppCredential(hq: PrivateJwk, p: { mid: string; cs: number; dpk: string; exp: number }): string {
  const payload: AppPayload = { v: 1, kid: hq.kid, mid: p.mid, cs: p.cs, dpk: p.dpk, exp: p.exp };
  const signed = `LD1D.${encode(payload)}`;
  return `${signed}.${sig(signed, hqPrivateKey(hq))}`;
}

export const stepAt = (epochMs: number): number => Math.floor(epochMs / 1000 / ROTATION_STEP_S);

/** What the app shows for one 30-second step: the credential, the step and the device's signature. */
export function mintRotatingCode(credential: string, device: KeyObject, step: number): string {
  const signed = `${credential}.${step}`;
  return `${signed}.${sig(signed, device)}`;
}
