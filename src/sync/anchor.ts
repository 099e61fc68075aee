// Audit anchors (docs/authority.md "Anchored audit chain"): each push carries the terminal's audit
// head; HQ checks it extends the last head it anchored for that terminal and answers with the new
// head signed by its Ed25519 key. The terminal keeps the latest signed anchor, so a local edit that
// shortens or rewrites the chain no longer matches something only HQ could have signed.
import { createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';

const hash = z.string().regex(/^[0-9a-f]{64}$/);

/** What a push says of the terminal's chain: its head, and its own hash at HQ's last anchor. */
export const auditClaimSchema = z.object({
  seq: z.int().nonnegative(),
  hash,
  /** The terminal's entry at the seq of the last anchor it holds (null: it holds none, or that entry is gone). */
  atAnchor: z.object({ seq: z.int().positive(), hash: hash.nullable() }).nullable(),
});
export type AuditClaim = z.infer<typeof auditClaimSchema>;

export const signedAnchorSchema = z.object({
  terminalId: z.string().min(1).max(80),
  seq: z.int().nonnegative(),
  hash,
  at: z.int(),
  kid: z.string().min(1).max(64),
  sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
});
export type SignedAnchor = z.infer<typeof signedAnchorSchema>;

/** The bytes HQ signs: versioned, one field a line, so no field can bleed into another. */
export function anchorMessage(a: Omit<SignedAnchor, 'kid' | 'sig'>): Buffer {
  return Buffer.from(`loyalty-desk audit anchor v1\n${a.terminalId}\n${a.seq}\n${a.hash}\n${a.at}`, 'utf8');
}

/** True when `x` (base64url Ed25519 public key) signed the anchor. */
export function anchorSignedBy(a: SignedAnchor, x: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    return verify(null, anchorMessage(a), key, Buffer.from(a.sig, 'base64url'));
  } catch {
    return false;
  }
}
