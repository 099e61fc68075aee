// Anchors a terminal's audit chain (docs/authority.md "Anchored audit chain"). HQ keeps the last
// head it anchored for each terminal (and every head it anchored); a push's head must extend it. A
// head shorter than the anchor and never anchored (truncated) or one whose entry at the anchored seq
// differs (rewritten) is a conflict the manager and HQ's admin see. Whatever happens, the answer
// carries the anchor HQ holds, signed with HQ's current key, so a terminal that lost its copy gets it back.
import { createPrivateKey, sign } from 'node:crypto';
import { anchorMessage, type AuditClaim, type SignedAnchor } from '../../sync/anchor';
import type { Queryable } from '../db';
import type { NewConflict } from './applyOperation';

interface SigningKey {
  kid: string;
  x: string;
  d: string;
}

function signed(key: SigningKey | null, a: Omit<SignedAnchor, 'kid' | 'sig'>): SignedAnchor | null {
  if (!key) return null;
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x, d: key.d }, format: 'jwk' });
  return { ...a, kid: key.kid, sig: sign(null, anchorMessage(a), privateKey).toString('base64url') };
}

/** HQ's current signing key (null: none), for the anchor it answers with. */
export async function currentKey(q: Queryable, now: number): Promise<SigningKey | null> {
  const [k] = await q.query<SigningKey>(
    `SELECT kid, x, d FROM signing_keys WHERE NOT tombstone AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) ORDER BY valid_from DESC, kid LIMIT 1`,
    [now],
  );
  return k ?? null;
}

/**
 * Moves a terminal's anchor back to a restored backup's head (docs/sync.md "After a restore"): its
 * next push extends that head. Says what HQ knew of the head: anchored exactly (known), another
 * hash anchored at its seq (diverges), and where the anchor stood before.
 */
export async function reanchorAtRestore(
  q: Queryable,
  terminalId: string,
  head: { seq: number; hash: string },
  now: number,
): Promise<{ anchor: SignedAnchor | null; known: boolean; diverges: boolean; before: number | null }> {
  const [row] = await q.query<{ before: number | null; logged: string | null }>(
    `SELECT (SELECT seq FROM audit_anchors WHERE terminal_id = $1 FOR UPDATE) AS before,
            (SELECT hash FROM audit_anchor_log WHERE terminal_id = $1 AND seq = $2) AS logged`,
    [terminalId, head.seq],
  );
  await q.query(
    `WITH a AS (INSERT INTO audit_anchors(terminal_id, seq, hash, at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (terminal_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, unproven = 0)
     INSERT INTO audit_anchor_log(terminal_id, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (terminal_id, seq) DO UPDATE SET hash = excluded.hash`,
    [terminalId, head.seq, head.hash, now],
  );
  const logged = row?.logged ?? null;
  return {
    anchor: signed(await currentKey(q, now), { terminalId, seq: head.seq, hash: head.hash, at: now }),
    known: logged === head.hash,
    diverges: logged !== null && logged !== head.hash,
    before: row?.before === null || row?.before === undefined ? null : Number(row.before),
  };
}

/** Pushes in a row that do not prove the link to HQ's anchor before it is recorded as a break (one lost answer is not). */
export const MAX_UNPROVEN_PUSHES = 3;

export async function anchorAudit(
  q: Queryable,
  terminalId: string,
  claim: AuditClaim,
  now: number,
): Promise<{ anchor: SignedAnchor | null; conflicts: NewConflict[] }> {
  // The anchor HQ holds (locked) and HQ's current signing key, in one round trip.
  const [row] = await q.query<{ seq: number | null; hash: string | null; at: number | null; unproven: number | null; kid: string | null; x: string | null; d: string | null }>(
    `SELECT h.seq, h.hash, h.at, h.unproven, k.kid, k.x, k.d FROM (SELECT 1) AS one
       LEFT JOIN (SELECT seq, hash, at, unproven FROM audit_anchors WHERE terminal_id = $1 FOR UPDATE) AS h ON true
       LEFT JOIN (SELECT kid, x, d FROM signing_keys WHERE NOT tombstone AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
                   ORDER BY valid_from DESC, kid LIMIT 1) AS k ON true`,
    [terminalId, now],
  );
  const held = row !== undefined && row.seq !== null && row.hash !== null && row.at !== null ? { seq: row.seq, hash: row.hash, at: row.at } : undefined;
  const key = row !== undefined && row.kid !== null && row.x !== null && row.d !== null ? { kid: row.kid, x: row.x, d: row.d } : null;
  const conflicts: NewConflict[] = [];
  // Named after the claimed head, so each break is recorded once and a later one is recorded too.
  const flag = (kind: 'audit_truncated' | 'audit_rewritten', more: Record<string, number> = {}) =>
    conflicts.push({
      opId: `audit:${terminalId}:${claim.seq}:${claim.hash.slice(0, 12)}`, memberId: '', kind, decision: 'recorded', at: now,
      detail: { anchoredSeq: Number(held!.seq), anchoredHash: held!.hash.slice(0, 16), claimedSeq: claim.seq, claimedHashAtAnchor: claim.atAnchor?.hash?.slice(0, 16) ?? null, ...more },
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
  } else {
    // The terminal does not hold HQ's latest anchor (an answer lost on the way, a copy lost): it gets
    // it back below and proves the link at its next push. An older anchor it names is checked against
    // what HQ anchored there; and a terminal that goes on not proving the link (its stored anchor
    // deleted before every sync) is recorded after MAX_UNPROVEN_PUSHES, not left unchecked for ever.
    const older = claim.atAnchor;
    const [logged] = older ? await q.query<{ hash: string }>('SELECT hash FROM audit_anchor_log WHERE terminal_id = $1 AND seq = $2', [terminalId, older.seq]) : [];
    const unproven = Number(row?.unproven ?? 0) + 1;
    if (logged && logged.hash !== older!.hash) {
      flag('audit_rewritten');
      moveTo = claim;
    } else if (unproven >= MAX_UNPROVEN_PUSHES) {
      flag('audit_rewritten', { unprovenPushes: unproven });
      moveTo = claim;
    } else await q.query('UPDATE audit_anchors SET unproven = $2 WHERE terminal_id = $1', [terminalId, unproven]);
  }
  // After a recorded break the anchor moves to the new head: the conflict stays for the manager and
  // HQ's admin, and later edits are still caught.
  if (moveTo) {
    // The anchor and its log entry in one statement (the two tables do not read each other).
    await q.query(
      `WITH a AS (INSERT INTO audit_anchors(terminal_id, seq, hash, at) VALUES ($1, $2, $3, $4)
                  ON CONFLICT (terminal_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, unproven = 0)
       INSERT INTO audit_anchor_log(terminal_id, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (terminal_id, seq) DO UPDATE SET hash = excluded.hash`,
      [terminalId, moveTo.seq, moveTo.hash, now],
    );
  }
  const current = moveTo ? { seq: moveTo.seq, hash: moveTo.hash, at: now } : { seq: Number(held!.seq), hash: held!.hash, at: Number(held!.at) };
  return { anchor: signed(key, { terminalId, ...current }), conflicts };
}
