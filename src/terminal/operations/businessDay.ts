// The business day an operation belongs to. Until the manager closes today it is today (the store's
// calendar day); once today is closed, what the desk does carries the next business day (issue 18),
// as the closed day's Z-report is final. The event says so (dayClosed) and HQ allows exactly that.
import { businessDate, DAY_MS } from '../../loyalty/time';
import { isDayClosed } from '../../store/dayEnd';
import type { ServiceDeps } from './deps';

export interface OperatingDay {
  /** The business date operations are recorded under now. */
  date: string;
  /** Today (the calendar day) is closed; `date` is the next business day. */
  afterClose: boolean;
  /** The store's calendar day now. */
  today: string;
}

export function operatingDay(deps: ServiceDeps, now: number): OperatingDay {
  const today = businessDate(now, deps.identity.tz);
  if (!isDayClosed(deps.db, today)) return { date: today, afterClose: false, today };
  // The same rule HQ checks an event's business date by (src/hq/services/eventChecks.ts).
  return { date: businessDate(now + DAY_MS, deps.identity.tz), afterClose: true, today };
}
