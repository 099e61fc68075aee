// Card replacements a terminal pushed (挂失补卡, docs/lostcard.md), re-derived by HQ like every
// event: the staff member of this store, the approver an active manager of this store, the old card
// the member's current card at HQ, the new number one of the sending terminal's own block and
// nobody's card yet. A replacement HQ will not take is refused alone with a conflict saying why
// (`card_replace_refused`, detail.reason); the rest of the batch goes on. Rare next to operations:
// a few statements each, run before the batch's operations (which may name the new card's member).
import { issuedCardSeq } from '../../loyalty/cardNumber';
import type { CardReplaced } from '../../sync/cardReplaceEvent';
import { ALLOWED_SKEW_MS } from '../../sync/protocol';
import type { Queryable } from '../db';
import type { NewConflict } from './applyOperation';
import { signCardCode } from '../../sync/cardCode';
import { currentKey } from './auditAnchor';
import { useCardNumber } from './cardBlocks';
import type { JoinContext, JoinStatus } from './applyJoin';
import { leftToday, MAX_CARD_REPLACEMENTS_PER_TERMINAL } from './terminalCaps';

async function exists(q: Queryable, sql: string, params: unknown[]): Promise<boolean> {
  return (await q.query(sql, params)).length > 0;
}

/** The reason HQ refuses this replacement, or null when it may be applied. */
async function refusalOf(q: Queryable, r: CardReplaced, ctx: JoinContext): Promise<({ reason: string } & NewConflict['detail']) | null> {
  if (r.at < ctx.enrolledAt - ALLOWED_SKEW_MS || r.at > ctx.now + ALLOWED_SKEW_MS) return { reason: 'time_out_of_range', at: r.at };
  if (!(await exists(q, 'SELECT 1 FROM staff WHERE id = $1 AND store_id = $2 AND NOT tombstone', [r.staffId, ctx.storeId]))) return { reason: 'staff_unknown', staffId: r.staffId };
  const manager = `SELECT 1 FROM staff WHERE id = $1 AND store_id = $2 AND NOT tombstone AND data->>'role' = 'manager' AND (data->>'active')::boolean`;
  if (!(await exists(q, manager, [r.approvedBy, ctx.storeId]))) return { reason: 'approver_not_manager', approvedBy: r.approvedBy };
  const [member] = await q.query<{ card_no: string; card_serial: number; status: string }>('SELECT card_no, card_serial, status FROM members WHERE id = $1 AND NOT tombstone FOR UPDATE', [r.memberId]);
  if (!member) return { reason: 'member_unknown' };
  if (member.status !== 'active') return { reason: 'member_revoked' };
  // Another terminal replaced it first (or HQ reissued it): this one's old card is not the current one.
  if (member.card_no !== r.oldCardNo || Number(member.card_serial) !== r.oldSerial) return { reason: 'card_not_current', cardNo: r.oldCardNo };
  if (r.newSerial !== r.oldSerial + 1) return { reason: 'serial_invalid', newSerial: r.newSerial };
  const n = issuedCardSeq(r.newCardNo);
  if (n === null || (await useCardNumber(q, ctx.terminalId, n)) === null) return { reason: 'card_outside_block', cardNo: r.newCardNo };
  const taken = `SELECT 1 FROM members WHERE card_no = $1 UNION ALL SELECT 1 FROM member_aliases WHERE card_no = $1
                 UNION ALL SELECT 1 FROM card_replacements WHERE old_card_no = $1 OR new_card_no = $1`;
  if (await exists(q, taken, [r.newCardNo])) return { reason: 'card_taken', cardNo: r.newCardNo };
  return null;
}

/**
 * Two terminals replaced the same card before either synced (docs/lostcard.md "Two replacements of
 * one card"): the one HQ received first stands. This one's new number, if it is an honest number of
 * the sender's block, is retired: recorded as replaced by the member's current card, so every
 * terminal says CARD_SUPERSEDED for the plastic it handed out (and finds the member by phone), and
 * no one is ever issued it. The conflict names the current card for the manager to call the member.
 */
async function retireDuplicate(q: Queryable, r: CardReplaced, ctx: JoinContext): Promise<NewConflict['detail']> {
  const [first] = await q.query<{ card_no: string; card_serial: number }>(
    `SELECT m.card_no, m.card_serial FROM card_replacements c JOIN members m ON m.id = c.member_id
      WHERE c.old_card_no = $1 AND c.member_id = $2 AND c.old_serial = $3`,
    [r.oldCardNo, r.memberId, r.oldSerial],
  );
  if (!first) return {};
  const n = issuedCardSeq(r.newCardNo);
  if (n === null || (await useCardNumber(q, ctx.terminalId, n)) === null) return { currentCardNo: first.card_no };
  const taken = `SELECT 1 FROM members WHERE card_no = $1 UNION ALL SELECT 1 FROM member_aliases WHERE card_no = $1
                 UNION ALL SELECT 1 FROM card_replacements WHERE old_card_no = $1 OR new_card_no = $1`;
  if (await exists(q, taken, [r.newCardNo])) return { currentCardNo: first.card_no };
  await q.query(
    `INSERT INTO card_replacements(replace_id, member_id, old_card_no, old_serial, new_card_no, new_serial, terminal_id, store_id, staff_id, approved_by, at, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [r.replaceId, r.memberId, r.newCardNo, r.newSerial, first.card_no, Number(first.card_serial), ctx.terminalId, ctx.storeId, r.staffId, r.approvedBy, r.at, ctx.now],
  );
  // The sender still shows its own new card: send it HQ's member again.
  await q.query('UPDATE members SET seq = NULL WHERE id = $1', [r.memberId]);
  return { currentCardNo: first.card_no, retiredCardNo: r.newCardNo };
}

/** Applies the batch's card replacements in order; conflicts go to `decided`. */
export async function applyCardReplacements(q: Queryable, events: CardReplaced[], ctx: JoinContext, decided: NewConflict[]): Promise<Map<string, JoinStatus>> {
  const statuses = new Map<string, JoinStatus>();
  for (const r of events) {
    if (await exists(q, 'SELECT 1 FROM card_replacements WHERE replace_id = $1', [r.replaceId])) {
      statuses.set(r.replaceId, 'duplicate');
      continue;
    }
    // A flood of replacements is refused whatever each one says (terminalCaps.ts).
    const capped = (await leftToday(q, 'card_replacements', ctx.terminalId, ctx.now, MAX_CARD_REPLACEMENTS_PER_TERMINAL)) === 0;
    const refusal = capped ? { reason: 'replace_cap', limit: MAX_CARD_REPLACEMENTS_PER_TERMINAL } : await refusalOf(q, r, ctx);
    if (refusal?.reason === 'card_not_current') Object.assign(refusal, await retireDuplicate(q, r, ctx));
    if (refusal) {
      decided.push({ opId: r.replaceId, memberId: r.memberId, kind: 'card_replace_refused', decision: 'refused', detail: refusal, at: r.at });
      statuses.set(r.replaceId, 'refused');
      continue;
    }
    await q.query('UPDATE members SET card_no = $2, card_serial = $3, seq = NULL WHERE id = $1', [r.memberId, r.newCardNo, r.newSerial]);
    // HQ signs the new card's static code now, so the pull that follows carries it to every terminal.
    const key = await currentKey(q, ctx.now);
    const code = key ? signCardCode(key, { mid: r.memberId, cs: r.newSerial, iatMs: ctx.now }) : null;
    await q.query(
      `INSERT INTO card_replacements(replace_id, member_id, old_card_no, old_serial, new_card_no, new_serial, terminal_id, store_id, staff_id, approved_by, at, received_at, card_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [r.replaceId, r.memberId, r.oldCardNo, r.oldSerial, r.newCardNo, r.newSerial, ctx.terminalId, ctx.storeId, r.staffId, r.approvedBy, r.at, ctx.now, code],
    );
    statuses.set(r.replaceId, 'applied');
  }
  return statuses;
}
