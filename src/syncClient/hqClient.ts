// The terminal's HTTP calls to HQ: every answer parsed by the protocol schema, every failure a
// typed DeskError (unreachable, timeout, HQ error, unreadable answer, refusal). Read-only: callers
// decide what to write, and only after an answer has been parsed completely.
import type { z } from 'zod';
import { DeskError } from '../contract/errors';
import { ioReason } from '../contract/ioReason';
import type { AuditClaim } from '../sync/anchor';
import {
  enrollResponseSchema,
  pullPageSchema,
  pushResponseSchema,
  reportResponseSchema,
  restoreResponseSchema,
  timeResponseSchema,
  type AnyPushEvent,
  type RestoreRequest,
  type reportRequestSchema,
} from '../sync/protocol';
import { historyResponseSchema } from '../sync/historyProtocol';
import { hqAnswerError, hqCodeOf } from './hqAnswer';

type ReportRequest = z.infer<typeof reportRequestSchema>;

export interface HqClientOptions {
  url: string;
  credential?: string | null;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Answers longer than this are refused unread (default 64 MB). */
  maxResponseBytes?: number;
  fetchImpl?: typeof fetch;
}

export interface Timed<T> {
  value: T;
  sentAt: number;
  receivedAt: number;
}

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The answer's text, read up to `maxBytes`: a longer one (sent chunked, or longer than it declared)
 * is cancelled there, so a hostile or broken server cannot make the desk hold gigabytes in memory.
 */
async function readBounded(res: Response, maxBytes: number, url: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DeskError('HQ_BAD_RESPONSE', { url, detail: `answer longer than ${maxBytes} bytes` });
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export function createHqClient(options: HqClientOptions) {
  const base = trimUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const doFetch = options.fetchImpl ?? fetch;

  async function call<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown, auth = true): Promise<Timed<z.infer<S>>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      if (!options.credential) throw new DeskError('NO_HQ_CREDENTIAL', {});
      headers.authorization = `Bearer ${options.credential}`;
    }
    const sentAt = Date.now();
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > maxBytes) {
        void res.body?.cancel().catch(() => undefined);
        throw new DeskError('HQ_BAD_RESPONSE', { url: base, detail: `answer of ${declared} bytes is too large` });
      }
      text = await readBounded(res, maxBytes, base);
    } catch (err) {
      if (err instanceof DeskError) throw err;
      const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new DeskError('HQ_TIMEOUT', { url: base, seconds: Math.round(timeoutMs / 1000) }, err);
      throw new DeskError('HQ_UNREACHABLE', { url: base, detail: e.cause?.code ?? e.cause?.message ?? e.message ?? 'network error', why: ioReason(err) }, err);
    }
    const receivedAt = Date.now();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw hqAnswerError(base, res.status, res.statusText, text, undefined);
    }
    if (!res.ok) {
      // HQ's own words are English: the code says which refusal it is, and the UI words it.
      const hqCode = hqCodeOf(json);
      if (res.status < 500 && (hqCode === 'ENROLLMENT_CODE_INVALID' || hqCode === 'ENROLLMENT_CODE_USED')) throw new DeskError(hqCode, {});
      throw hqAnswerError(base, res.status, res.statusText, text, json);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DeskError('HQ_BAD_RESPONSE', { url: base, detail: `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim() });
    }
    return { value: parsed.data, sentAt, receivedAt };
  }

  return {
    url: base,
    time: () => call('GET', '/v1/time', timeResponseSchema, undefined, false),
    enroll: (code: string, label?: string) => call('POST', '/v1/enroll', enrollResponseSchema, { code, ...(label ? { label } : {}) }, false),
    report: (setAside: ReportRequest['setAside']) => call('POST', '/v2/sync/report', reportResponseSchema, { setAside }),
    push: (events: AnyPushEvent[], audit?: AuditClaim) => call('POST', '/v2/sync/push', pushResponseSchema, { events, ...(audit ? { audit } : {}) }),
    restored: (req: RestoreRequest) => call('POST', '/v2/sync/restored', restoreResponseSchema, req),
    /** One member's recent operations at every terminal (docs/history.md). */
    history: (memberId: string) => call('GET', `/v2/member-history?memberId=${encodeURIComponent(memberId)}`, historyResponseSchema),
    pull: (cursor: string | null, limit: number) =>
      call('GET', `/v2/sync/pull?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, pullPageSchema),
  };
}
export type HqClient = ReturnType<typeof createHqClient>;

/** Skew = HQ's clock minus ours, taken at the middle of the round trip. */
export function clockSkew(serverTime: number, sentAt: number, receivedAt: number): number {
  return Math.round(serverTime - (sentAt + receivedAt) / 2);
}
