// HQ signs a member's static card code (DESIGN.md "Member codes", `LD1C.<P>.<S>`) for a card it
// issued: after a lost card's replacement, the new card's code goes out with the cardReplaced change
// (docs/lostcard.md). Here, in the protocol module, because HQ may not import the terminal's scan code;
// test/sync/cardCode.test.ts checks the terminal's verifier accepts what this makes.
import { createPrivateKey, sign } from 'node:crypto';
import { z } from 'zod';

/** A static card code as HQ publishes it: printable ASCII, as the terminal's parser bounds it. */
export const cardCodeSchema = z.string().max(1024).regex(/^LD1C\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);

export interface CardSigningKey {
  kid: string;
  x: string;
  d: string;
}

/** `LD1C.<P>.<S>`: P the payload `{v, kid, mid, cs, iat}` (iat in seconds), S HQ's Ed25519 signature over `LD1C.<P>`. */
export function signCardCode(key: CardSigningKey, card: { mid: string; cs: number; iatMs: number }): string {
  const payload = { v: 1, kid: key.kid, mid: card.mid, cs: card.cs, iat: Math.floor(card.iatMs / 1000) };
  const signed = `LD1C.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x, d: key.d }, format: 'jwk' });
  return `${signed}.${sign(null, Buffer.from(signed, 'ascii'), privateKey).toString('base64url')}`;
}
