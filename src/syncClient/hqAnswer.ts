// What an HQ answer that is not a success means, for the terminal's client (hqClient.ts) and
// `hq-admin` alike: HQ_ERROR for a 5xx, HQ_BAD_RESPONSE for an answer that is not JSON, HQ_REFUSED
// with HQ's refusal code otherwise. The sentences word the code from a closed list (`hqRefusal.*`);
// the HTTP status and HQ's own English (`detail`, bounded) stay in the parameters for IT — the
// command's JSON and the log (syncLog.ts) — and never reach a sentence.
import { DeskError } from '../contract/errors';
import { errorBodySchema, HQ_ERROR_CODES } from '../sync/protocol';

/** HQ's words kept for IT: enough to recognise the message, never a page of HTML. */
export const HQ_DETAIL_MAX = 200;

/** HQ's refusal code, or UNKNOWN when the body is not HQ's error shape. */
export function hqCodeOf(json: unknown): string {
  const parsed = errorBodySchema.safeParse(json);
  return parsed.success && (HQ_ERROR_CODES as readonly string[]).includes(parsed.data.error.code) ? parsed.data.error.code : 'UNKNOWN';
}

/** `json` undefined: the body did not parse. */
export function hqAnswerError(url: string, status: number, statusText: string, text: string, json: unknown): DeskError {
  const body = json === undefined ? null : errorBodySchema.safeParse(json);
  const detail = (body?.success ? body.data.error.message : json === undefined ? text.trim() || statusText : `HTTP ${status}`).slice(0, HQ_DETAIL_MAX);
  if (status >= 500) return new DeskError('HQ_ERROR', { url, status, detail });
  if (json === undefined) return new DeskError('HQ_BAD_RESPONSE', { url, status, detail: `not JSON (HTTP ${status}, ${text.length} bytes)` });
  return new DeskError('HQ_REFUSED', { url, hqCode: hqCodeOf(json), detail, status });
}
