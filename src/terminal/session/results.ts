// How a handler's outcome becomes the Result that crosses a boundary: refusals (DeskError) keep
// their code and get a sentence in the session's language; anything else is INTERNAL.
import { randomBytes } from 'node:crypto';
import { DeskError, type ErrorCode, type Result } from '../../contract/errors';
import type { Translator } from '../../i18n';

/** Where unexpected errors go (the host's log); `ref` is the reference the user was shown. */
export type InternalErrorSink = (err: unknown, ref?: string) => void;

export function refusal(tr: Translator, code: ErrorCode, params: Record<string, string | number> = {}): { ok: false; error: { code: ErrorCode; message: string; params: Record<string, string | number> } } {
  return { ok: false, error: { code, message: tr.error(code, params), params } };
}

/**
 * Runs fn and wraps its outcome; unknown exceptions become INTERNAL and are reported, never swallowed.
 * With a sink, the user sees a short reference instead of the raw text (paths, SQL): IT finds the
 * whole error under that reference in the log.
 */
export function toResult<T>(tr: Translator, fn: () => T, onInternal?: InternalErrorSink): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof DeskError) return refusal(tr, err.code, err.params);
    let detail: string;
    if (onInternal) {
      detail = `ref ${randomBytes(3).toString('hex').toUpperCase()}`;
      onInternal(err, detail);
    } else {
      detail = err instanceof Error ? err.message : String(err);
    }
    return refusal(tr, 'INTERNAL', { detail });
  }
}

/** toResult for handlers that may answer later (devices, HQ). */
export async function toAsyncResult(tr: Translator, fn: () => unknown, onInternal?: InternalErrorSink): Promise<Result<unknown>> {
  const result = toResult(tr, fn, onInternal);
  if (!result.ok || !(result.value instanceof Promise)) return result;
  return (result.value as Promise<unknown>).then(
    (value): Result<unknown> => ({ ok: true, value }),
    (err: unknown) => toResult(tr, () => { throw err; }, onInternal),
  );
}
