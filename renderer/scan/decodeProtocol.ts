// Messages between the camera scanner (UI thread) and the decode worker.

export interface FrameRequest {
  type: 'frame';
  id: number;
  width: number;
  height: number;
  /** RGBA bytes, transferred (not copied) to the worker. */
  data: Uint8ClampedArray;
  inverted: boolean;
}

export interface FrameResult {
  type: 'result';
  id: number;
  text: string | null;
  /** Time spent decoding in the worker. */
  ms: number;
}

/** The decoder could not be loaded (or broke): the worker will read no frame, so the camera says so. */
export interface DecoderFailure {
  type: 'failed';
  /** The browser's words, for the log and the English UI's detail. */
  detail: string;
}

/** The decoder is loaded and reads frames (sent once, when it is). */
export interface DecoderReady {
  type: 'ready';
}

export function isDecoderReady(m: unknown): m is DecoderReady {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ready';
}

export function isFrameRequest(m: unknown): m is FrameRequest {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Partial<FrameRequest>;
  return r.type === 'frame' && Number.isInteger(r.id) && Number.isInteger(r.width) && Number.isInteger(r.height) && r.data instanceof Uint8ClampedArray && typeof r.inverted === 'boolean';
}

export function isFrameResult(m: unknown): m is FrameResult {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Partial<FrameResult>;
  return r.type === 'result' && Number.isInteger(r.id) && (r.text === null || typeof r.text === 'string') && typeof r.ms === 'number';
}

export function isDecoderFailure(m: unknown): m is DecoderFailure {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Partial<DecoderFailure>;
  return r.type === 'failed' && typeof r.detail === 'string';
}
