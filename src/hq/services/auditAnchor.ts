// Anchors a terminal's audit chain (docs/authority.md "Anchored audit chain"). HQ keeps the last
// head it anchored for each terminal (and every head it anchored); a push's head must extend it. A
// head shorter than the anchor and never anchored (truncated) or one whose entry at the anchored seq
// differs (rewritten) is a conflict the manager and HQ's admin see. Whatever happens, the answer
// carries the anchor HQ holds, signed with HQ's current key, so a terminal that lost its copy gets it back.
import { createPrivateKey, sign } from 'node:crypto';
import { anchorMessage, type AuditClaim, type SignedAnchor } from '../../sync/anchor';
import type { Queryable } from '../db';
import type { NewConflict } from './applyOperation';

async function signed(q: Queryable, a: Omit<SignedAnchor, 'kid' | 'sig'>, now: number): Promise<SignedAnchor | null> {
  const [key] = await q.query<{ kid: string; x: string; d: string }>(
    `SELECT kid, x, d FROM signing_keys WHERE NOT tombstone AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) ORDER BY valid_from DESC, kid LIMIT 1`,
    [now],
  );
  if (!key) return null;
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x, d: key.d }, format: 'jwk' });
  return { ...a, kid: key.kid, sig: sign(null, anchorMessage(a), privateKey).toString('base64url') };
}

export async function anchorAudit(
  q: Queryable,
  terminalId: string,
  claim: AuditClaim,
  now: number,
): Promise<{ anchor: SignedAnchor | null; conflicts: NewConflict[] }> {
  const [held] = await q.query<{ seq: number; hash: string; at: number }>('SELECT seq, hash, at FROM audit_anchors WHERE terminal_id = $1 FOR UPDATE', [terminalId]);
  const conflicts: NewConflict[] = [];
  // Named after the claimed head, so each break is recorded once and a later one is recorded too.
  const flag = (kind: 'audit_truncated' | 'audit_rewritten') =>
    conflicts.push({
      opId: `audit:${terminalId}:${claim.seq}:${claim.hash.slice(0, 12)}`, memberId: '', kind, decision: 'recorded', at: now,
      detail: { anchoredSeq: Number(held!.seq), anchoredHash: held!.hash.slice(0, 16), claimedSeq: claim.seq, claimedHashAtAnchor: claim.atAnchor?.hash?.slice(0, 16) ?? null },
    });
  let moveTo: { seq: number; hash: string } | null = null;
  if (!held) moveTo = claim;
  else if (claim.seq < Number(held.seq)) {
    // An older head HQ anchored before (a push overtaken by another of the same terminal) is no truncation.
    const [known] = await q.query('SELECT 1 FROM audit_anchor_log WHERE terminal_id = $1 AND seq = $2 AND hash = $3', [terminalId, claim.seq, claim.hash]);
    if (!known) {
      flag('audit_truncated');
      moveTo = claim;
    }
  } else if (claim.seq === Number(held.seq) && claim.hash === held.hash) moveTo = claim;
  else if (claim.atAnchor?.seq === Number(held.seq)) {
    if (claim.atAnchor.hash !== held.hash) flag('audit_rewritten');
    moveTo = claim;
  }
  // Otherwise the terminal does not hold HQ's latest anchor (an answer lost on the way): it gets it
  // back below and proves the link at its next push. After a recorded break the anchor moves to the
  // new head: the conflict stays for the manager and HQ's admin, and later edits are still caught.
  if (moveTo) {
    await q.query(
      `INSERT INTO audit_anchors(terminal_id, seq, hash, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (terminal_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at`,
      [terminalId, moveTo.seq, moveTo.hash, now],
    );
    await q.query('INSERT INTO audit_anchor_log(terminal_id, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (terminal_id, seq) DO UPDATE SET hash = excluded.hash', [
      terminalId, moveTo.seq, moveTo.hash,
    ]);
  }
  const current = moveTo ? { seq: moveTo.seq, hash: moveTo.hash, at: now } : { seq: Number(held!.seq), hash: held!.hash, at: Number(held!.at) };
  return { anchor: await signed(q, { terminalId, ...current }, now), conflicts };
}
