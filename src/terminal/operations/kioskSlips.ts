// What the kiosk reads and writes, for its session (src/terminal/session/kioskSession.ts): a member
// page opened only for a verified code, the benefit slip built from it (with the member's card code
// as its QR), and the slip's print job — which keeps nothing of the member once it printed or was
// withdrawn.
import { DeskError } from '../../contract/errors';
import type { KioskPage } from '../../contract/kioskApi';
import type { Lang } from '../../loyalty/types';
import { parseLastError } from '../../print/queue';
import { SLIP_MAX_BENEFITS, SLIP_MAX_EXPIRING, type SlipModel } from '../../print/slip';
import { parseCode, toBase64url } from '../../scan/codeFormat';
import type { PrivateJwk } from '../../scan/hqKeys';
import { mintCardCode } from '../../scan/mintCode';
import { insertSlipJob, slipJob, withdrawSlip } from '../../store/kioskQueries';
import { signedCodeOfCurrentCard } from '../../store/replacedCards';
import { trustedKey } from '../../store/scanCache';
import { getStoreName } from '../../store/stores';
import type { ServiceDeps } from './deps';
import { buildKioskPage, type KioskPageFacts } from './kioskPage';
import { scanMember } from './scan';

/** HQ's private key, as only demo and dev folders hold it. */
export type HqSigningKey = PrivateJwk;

export interface KioskScan extends KioskPageFacts {
  /** The static card code the member scanned (canonical text), for the slip's QR; null for an app code. */
  staticCode: string | null;
}

/** A member page for a signed card or a live app code; a card number proves nothing and is refused before any lookup. */
export function kioskScan(deps: ServiceDeps, code: string): KioskScan {
  const parsed = parseCode(code);
  if (parsed.kind === 'card') throw new DeskError('KIOSK_CODE_REQUIRED');
  const scanned = scanMember(deps, code);
  const facts = buildKioskPage(deps, scanned.member.id, parsed.kind === 'static' ? 'card' : 'app');
  return { ...facts, staticCode: parsed.kind === 'static' ? `${parsed.signed}.${toBase64url(parsed.sig)}` : null };
}

/** Only HQ's key that this terminal trusts can make a card code the desk will accept. */
function mintingKey(deps: ServiceDeps, key: PrivateJwk | null): PrivateJwk | null {
  if (!key) return null;
  const trusted = trustedKey(deps.db, key.kid);
  return trusted && trusted.x === key.x ? key : null;
}

export interface SlipSource {
  page: Omit<KioskPage, 'pageId' | 'slip'>;
  memberId: string;
  cardSerial: number;
  staticCode: string | null;
}

/** Writes the slip's print job (printed by the print loop); returns its id. */
export function writeSlip(deps: ServiceDeps, p: SlipSource, lang: Lang, hqKey: PrivateJwk | null): number {
  const now = deps.clock();
  const key = p.staticCode ? null : mintingKey(deps, hqKey);
  // A live app code has no card code in it: HQ's signed code of a replaced card's successor, or (demo) one minted here.
  const code = p.staticCode ?? signedCodeOfCurrentCard(deps.db, p.memberId) ?? (key ? mintCardCode(key, { mid: p.memberId, cs: p.cardSerial, iat: Math.floor(now / 1000) }) : null);
  const d = p.page;
  const model: SlipModel = {
    v: 1,
    kind: 'slip',
    at: now,
    tz: d.tz,
    lang,
    storeName: getStoreName(deps.db, deps.identity.storeId),
    member: { maskedName: d.member.maskedName, cardTail: d.member.cardTail, tier: d.tier.code },
    points: {
      balance: d.points.balance,
      expiringDays: d.points.expiring.days,
      expiring: d.points.expiring.lots.slice(0, SLIP_MAX_EXPIRING),
      expiringTotal: d.points.expiring.total,
    },
    benefits: d.benefits.slice(0, SLIP_MAX_BENEFITS).map((b) => ({ name: b.name, validTo: b.validTo, usable: b.usable, whyNot: b.whyNot })),
    moreBenefits: Math.max(0, d.benefits.length - SLIP_MAX_BENEFITS),
    qr: code ? { kind: 'card', data: code } : { kind: 'none' },
  };
  return insertSlipJob(deps.db, model, now);
}

export type SlipProgress = { state: 'printing' | 'printed' } | { state: 'failed'; code: string };

/**
 * Where a slip is. The member is standing there: the first failed attempt is the answer, and a slip
 * not printed within waitMs is withdrawn. Printed or failed, the row keeps nothing of the member.
 */
export function slipProgress(deps: ServiceDeps, slipId: number, waitMs: number): SlipProgress {
  const now = deps.clock();
  const job = slipJob(deps.db, slipId);
  const failed = (code: string): SlipProgress => {
    withdrawSlip(deps.db, slipId, now);
    return { state: 'failed', code };
  };
  if (!job) return failed('PRINTER_NOT_ANSWERING');
  if (job.status === 'printed') {
    withdrawSlip(deps.db, slipId, now);
    return { state: 'printed' };
  }
  if (job.attempts > 0 && job.lastError) return failed(parseLastError(job.lastError).code);
  if (now - job.createdAt > waitMs) return failed('PRINTER_NOT_ANSWERING');
  return { state: 'printing' };
}

/** Withdraws a page's unprinted slips (the page closed). */
export function withdrawSlips(deps: ServiceDeps, ids: readonly number[]): void {
  const now = deps.clock();
  for (const id of ids) withdrawSlip(deps.db, id, now);
}
