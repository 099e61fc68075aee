// The slips of writes that are not operations — a sign-up (开卡凭条) and a lost-card replacement
// (补卡凭条) — as 今日业务 lists them and 补打 finds them. They live only in print_jobs (op_id NULL),
// named by the joinId or replaceId in their payload; a reprint is another job with the same id.
import { SLIP_KINDS, type RecentOperation, type SlipKind } from '../../contract/deskTypes';
import { businessDate, DAY_MS } from '../../loyalty/time';
import { cardReplacedReceiptSchema } from '../../print/cardReplacedReceipt';
import { memberJoinedReceiptSchema } from '../../print/memberJoinedReceipt';
import { opLessJobsSince } from '../../store/printJobs';
import type { PrintJob } from '../../contract/deskTypes';
import type { ServiceDeps } from './deps';

interface Slip {
  ref: string;
  kind: SlipKind;
  memberId: string | null;
  maskedName: string;
  staffId: string;
  at: number;
  copy: boolean;
}

function readSlip(job: PrintJob): Slip | null {
  if (job.kind === 'memberJoined') {
    const p = memberJoinedReceiptSchema.safeParse(job.payload);
    return p.success ? { ref: p.data.joinId, kind: 'memberJoined', memberId: p.data.memberId, maskedName: p.data.member.maskedName, staffId: p.data.staff.id, at: p.data.at, copy: p.data.copy === true } : null;
  }
  if (job.kind === 'cardReplaced') {
    const p = cardReplacedReceiptSchema.safeParse(job.payload);
    return p.success ? { ref: p.data.replaceId, kind: 'cardReplaced', memberId: p.data.memberId ?? null, maskedName: p.data.member.maskedName, staffId: p.data.staff.id, at: p.data.at, copy: p.data.copy === true } : null;
  }
  return null;
}

interface SlipGroup {
  original: Slip;
  jobs: PrintJob[];
}

/** The slips whose original was printed in the last `days` business days, each with all its jobs. */
function slipGroups(deps: ServiceDeps, days: number): SlipGroup[] {
  const since = businessDate(deps.clock() - days * DAY_MS, deps.identity.tz);
  // A day's margin on the raw time; the business date decides (a business day can start before midnight's UTC).
  const jobs = opLessJobsSince(deps.db, SLIP_KINDS, deps.clock() - (days + 1) * DAY_MS);
  const groups = new Map<string, SlipGroup>();
  for (const job of jobs) {
    const slip = readSlip(job);
    if (!slip) continue;
    const group = groups.get(slip.ref);
    if (group) group.jobs.push(job);
    else if (!slip.copy && businessDate(slip.at, deps.identity.tz) >= since) groups.set(slip.ref, { original: slip, jobs: [job] });
  }
  return [...groups.values()];
}

/** 今日业务's rows for the sign-ups and replacements of the last `days` business days. */
export function recentSlips(deps: ServiceDeps, days: number): RecentOperation[] {
  return slipGroups(deps, days).map(({ original: s, jobs }) => ({
    opId: s.ref,
    kind: s.kind,
    at: s.at,
    businessDate: businessDate(s.at, deps.identity.tz),
    memberId: s.memberId,
    maskedName: s.maskedName,
    staffId: s.staffId,
    valueFen: 0,
    amountFen: null,
    points: 0,
    subject: null,
    voided: false,
    // Not an operation: nothing to void (the core answers UNKNOWN_OPERATION).
    voidable: false,
    targetOpId: null,
    printStatus: jobs[jobs.length - 1]!.status,
  }));
}

/** The jobs of a sign-up's or replacement's slip, oldest first, if 今日业务 lists it; else none. */
export function slipJobs(deps: ServiceDeps, ref: string, days: number): PrintJob[] {
  return slipGroups(deps, days).find((g) => g.original.ref === ref)?.jobs ?? [];
}
