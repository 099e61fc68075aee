// The one path a scan takes into the terminal: camera, keyboard wedge, serial scanner and CLI all
// hand their text to scanMember. Checks run in DESIGN.md's order; the first that fails names the
// rejection; only an accepted rotating code writes anything (its replay-cache row).
import { DeskError } from '../../contract/errors';
import { parseCode } from '../../scan/codeFormat';
import { STEP_TOLERANCE, verifyCode, type VerifiedCode } from '../../scan/verifyCode';
import { memberOrAlias } from '../../store/aliases';
import { getMemberByCardNo, type MemberRow } from '../../store/members';
import { isRevoked, markSeen, pruneSeen, trustedKey } from '../../store/scanCache';
import { stmt } from '../../store/statements';
import type { ServiceDeps } from './deps';
import { normalizePhone } from '../../loyalty/phone';
import { memberByPhone } from './phoneLookup';
import { refuseReplacedCard } from './supersededCard';
import { summarize } from './memberCard';
import type { MemberSummary } from '../../contract/deskTypes';

export type ScanVerification = 'signed' | 'rotating' | 'unverified';

export interface ScanResult {
  /** 'unverified' (a typed card or phone number): verified later by a code, or a card number by the whole phone number. */
  verified: ScanVerification;
  /** What was typed or scanned: a card number, a phone number, or a member code. */
  via: 'card' | 'phone' | 'code';
  member: MemberSummary;
}

/** Steps kept in the replay cache: far more than the ±1 accepted, so a clock set back stays covered. */
const SEEN_RETENTION_STEPS = 120;

function checkMember(deps: ServiceDeps, row: MemberRow | undefined, ref: string, cs: number | null): MemberRow {
  if (!row) throw new DeskError('UNKNOWN_MEMBER', { ref });
  if (row.status === 'revoked' || isRevoked(deps.db, row.id, cs ?? row.card_serial)) throw new DeskError('REVOKED', { ref });
  // A newer serial than the cache knows is fine: HQ signed it, the cache has not synced the reissue yet.
  if (cs !== null && cs < row.card_serial) throw new DeskError('CARD_SUPERSEDED', { ref, cs, current: row.card_serial });
  return row;
}

function acceptSigned(deps: ServiceDeps, code: VerifiedCode, now: number): MemberRow {
  const row = checkMember(deps, memberOrAlias(deps.db, { memberId: code.mid }), code.mid, code.cs);
  if (code.step !== null) {
    if (!markSeen(deps.db, code.mid, code.step, now)) throw new DeskError('REPLAYED', { ref: code.mid });
    pruneSeen(deps.db, code.step - STEP_TOLERANCE - SEEN_RETENTION_STEPS);
  }
  return row;
}

/**
 * The replay-cache row commits with synchronous=NORMAL: durable if the app crashes, and made
 * durable by the next FULL commit (any operation); a power cut may forget the last seconds of seen
 * codes. That buys a scan without an fsync (about 4 ms here) for a risk limited to a replay of the
 * same 90 seconds right after a power cut. Redemptions keep FULL.
 */
function inReplayTransaction<T>(deps: ServiceDeps, fn: () => T): T {
  const db = deps.db;
  if (db.inTransaction) return fn();
  // Prepared once per connection: db.pragma() would compile the statement on every scan.
  const previous = stmt<[], { synchronous: number }>(db, 'PRAGMA synchronous').get()?.synchronous ?? 2;
  stmt(db, 'PRAGMA synchronous = NORMAL').run();
  try {
    return db.transaction(fn).immediate();
  } finally {
    stmt(db, `PRAGMA synchronous = ${previous}`).run();
  }
}

/**
 * A mobile number typed into the scan field finds the member it belongs to. Text that could also be a
 * card number (11 digits) is tried as one when no member's phone matches; if neither finds anyone,
 * the phone's answer is the one given.
 */
function byPhone(deps: ServiceDeps, code: string): MemberRow | null {
  if (normalizePhone(code) === null) return null;
  try {
    return memberByPhone(deps, code);
  } catch (err) {
    const cardLike = /^\d{10,19}$/.test(code.trim());
    if (!(err instanceof DeskError) || err.code === 'PHONE_AMBIGUOUS' || !cardLike) throw err;
    if (getMemberByCardNo(deps.db, code.trim())) return null;
    throw err;
  }
}

export function scanMember(deps: ServiceDeps, code: string): ScanResult {
  const phoneRow = byPhone(deps, code);
  if (phoneRow) return { verified: 'unverified', via: 'phone', member: summarize(checkMember(deps, phoneRow, phoneRow.id, null)) };
  const parsed = parseCode(code);
  if (parsed.kind === 'card') {
    const found = memberOrAlias(deps.db, { cardNo: parsed.cardNo });
    if (!found) refuseReplacedCard(deps, parsed.cardNo);
    const row = checkMember(deps, found, parsed.cardNo, null);
    return { verified: 'unverified', via: 'card', member: summarize(row) };
  }
  const now = deps.clock();
  const verified = verifyCode(parsed, (kid) => trustedKey(deps.db, kid), now);
  // A throw inside the transaction rolls back the replay-cache row: a refused code is never "seen".
  const row =
    verified.kind === 'rotating'
      ? inReplayTransaction(deps, () => acceptSigned(deps, verified, now))
      : acceptSigned(deps, verified, now);
  return { verified: verified.kind === 'rotating' ? 'rotating' : 'signed', via: 'code', member: summarize(row) };
}
