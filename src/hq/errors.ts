// Failures HQ answers with: a protocol error code, its HTTP status and a sentence.
import type { HqErrorCode } from '../sync/protocol';

const STATUS: Record<HqErrorCode, number> = {
  BAD_REQUEST: 400,
  UNSUPPORTED_VERSION: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ENROLLMENT_CODE_INVALID: 401,
  ENROLLMENT_CODE_USED: 401,
  SEQUENCE_CONFLICT: 409,
  CURSOR_INVALID: 400,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export class HqError extends Error {
  readonly code: HqErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  constructor(code: HqErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'HqError';
    this.code = code;
    this.status = STATUS[code];
    this.detail = detail;
  }
}
