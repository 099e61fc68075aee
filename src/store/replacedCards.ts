// Replaced cards (挂失补卡, db/terminal/190): the member moves to the new card number and serial;
// the old number stays known so that typing or scanning it says CARD_SUPERSEDED.
import type { Db } from './open';
import { stmt } from './statements';

export interface ReplacedCard {
  cardNo: string;
  memberId: string;
  cardSerial: number;
  replacedBy: string;
  at: number;
  /** HQ's signed static code of the card that replaced it (HQ's cardReplaced change); null until then. */
  newCode?: string | null;
}

/** The member's current card becomes `newCardNo` with `newSerial`; the old one is recorded as replaced. */
export function moveToNewCard(db: Db, r: { memberId: string; oldCardNo: string; oldSerial: number; newCardNo: string; newSerial: number; at: number }): void {
  stmt(db, 'UPDATE members SET card_no = ?, card_serial = ?, updated_at = ? WHERE id = ?').run(r.newCardNo, r.newSerial, r.at, r.memberId);
  recordReplacedCard(db, { cardNo: r.oldCardNo, memberId: r.memberId, cardSerial: r.oldSerial, replacedBy: r.newCardNo, at: r.at }, r.at);
}

/** A replaced card this terminal learned (its own replacement, or HQ's `cardReplaced` change). */
export function recordReplacedCard(db: Db, c: ReplacedCard, updatedAt: number): void {
  stmt(
    db,
    `INSERT INTO replaced_cards(card_no, member_id, card_serial, replaced_by, at, updated_at, tombstone, new_code) VALUES (?, ?, ?, ?, ?, ?, 0, ?)
     ON CONFLICT(card_no) DO UPDATE SET member_id = excluded.member_id, card_serial = excluded.card_serial,
       replaced_by = excluded.replaced_by, at = excluded.at, updated_at = excluded.updated_at, tombstone = 0,
       new_code = coalesce(excluded.new_code, replaced_cards.new_code)`,
  ).run(c.cardNo, c.memberId, c.cardSerial, c.replacedBy, c.at, updatedAt, c.newCode ?? null);
}

export function replacedCard(db: Db, cardNo: string): ReplacedCard | undefined {
  return stmt<[string], ReplacedCard>(
    db,
    'SELECT card_no AS cardNo, member_id AS memberId, card_serial AS cardSerial, replaced_by AS replacedBy, at FROM replaced_cards WHERE card_no = ? AND tombstone = 0',
  ).get(cardNo);
}

/** The query of signedCodeOfCurrentCard (its plan is tested: by member, schema 240's index). */
export const CURRENT_CARD_CODE_SQL = `SELECT r.new_code AS code FROM replaced_cards r JOIN members m ON m.id = r.member_id AND m.card_no = r.replaced_by AND m.card_serial = r.card_serial + 1
      WHERE r.member_id = ? AND r.tombstone = 0 AND r.new_code IS NOT NULL ORDER BY r.at DESC LIMIT 1`;

/**
 * The static code HQ signed for the member's current card, when it was issued by a replacement HQ
 * has applied (docs/lostcard.md): the QR the member shows for the new card. Null before that sync.
 */
export function signedCodeOfCurrentCard(db: Db, memberId: string): string | null {
  const row = stmt<[string], { code: string | null }>(db, CURRENT_CARD_CODE_SQL).get(memberId);
  return row?.code ?? null;
}

export function dropReplacedCard(db: Db, cardNo: string, at: number): void {
  stmt(db, 'UPDATE replaced_cards SET tombstone = 1, updated_at = ? WHERE card_no = ?').run(at, cardNo);
}
