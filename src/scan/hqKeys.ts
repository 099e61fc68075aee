// HQ's Ed25519 signing keys as JWK (DESIGN.md "Member codes"): demo keys come from a seed so
// demo data is the same every time; real keys come from HQ.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

export const privateJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  kid: z.string().min(1),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  d: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type PrivateJwk = z.infer<typeof privateJwkSchema>;

// PKCS#8 DER prefix for an Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519FromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** A demo key derived from a label, the same for the same label. */
export function demoHqKey(label: string, kid: string): PrivateJwk {
  const seed = createHash('sha256').update(`loyalty-desk demo hq key\u0000${label}`).digest();
  const jwk = ed25519FromSeed(seed).export({ format: 'jwk' });
  return privateJwkSchema.parse({ kty: 'OKP', crv: 'Ed25519', kid, x: jwk.x, d: jwk.d });
}

export function privateKeyOf(jwk: PrivateJwk): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, format: 'jwk' });
}

/** An Ed25519 public key from the base64url of its 32 raw bytes (a JWK `x`, a code's `dpk`). */
export function publicKeyFromX(x: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

export interface DeviceKey {
  privateKey: KeyObject;
  /** base64url of the 32 raw public-key bytes, as a rotating code's `dpk`. */
  dpk: string;
}

/**
 * The demo member app's device key: derived from the member id and the demo HQ key's secret, so
 * `member-qr --rotating` gives the same device for the same member on every run. A real app makes
 * its own key on the phone and HQ certifies the public half.
 */
export function demoDeviceKey(hq: PrivateJwk, memberId: string): DeviceKey {
  const seed = createHash('sha256').update(`loyalty-desk demo device key\u0000${hq.d}\u0000${memberId}`).digest();
  const privateKey = ed25519FromSeed(seed);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('Ed25519 public key without x');
  return { privateKey, dpk: jwk.x };
}

/** Reads an HQ private key file (JWK); a file that is not one is INVALID_INPUT, never a crash. */
export function parsePrivateJwk(text: string): PrivateJwk | null {
  try {
    const parsed = privateJwkSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
