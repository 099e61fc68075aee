// Why a connection or a file write failed, as one of a closed list the catalogs word in each
// language (`ioWhy.*`): a person reads "连接被拒绝", never ECONNREFUSED or Node's English message.
// The raw text stays in the error's `detail` parameter for IT (the command line's JSON).

export const IO_REASONS = ['refused', 'timeout', 'noHost', 'unreachable', 'reset', 'tls', 'noSpace', 'denied', 'readOnly', 'missing', 'busy', 'other'] as const;
export type IoReason = (typeof IO_REASONS)[number];

const BY_CODE: Record<string, IoReason> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENOTFOUND: 'noHost',
  EAI_AGAIN: 'noHost',
  EAI_FAIL: 'noHost',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ENOSPC: 'noSpace',
  EDQUOT: 'noSpace',
  EFBIG: 'noSpace',
  EACCES: 'denied',
  EPERM: 'denied',
  EROFS: 'readOnly',
  ENOENT: 'missing',
  ENOTDIR: 'missing',
  EISDIR: 'missing',
  EBUSY: 'busy',
  EAGAIN: 'busy',
};

function codeOf(err: unknown): string {
  if (err === null || typeof err !== 'object') return '';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  if ((err as { name?: unknown }).name === 'TimeoutError') return 'ETIMEDOUT';
  return '';
}

/** The reason of an I/O failure: its errno-style code, or its cause's (fetch wraps the socket's). */
export function ioReason(err: unknown): IoReason {
  for (let here: unknown = err, depth = 0; here !== undefined && here !== null && depth < 4; here = (here as { cause?: unknown }).cause, depth++) {
    const code = codeOf(here);
    if (code in BY_CODE) return BY_CODE[code]!;
    if (/^(ERR_TLS|CERT_|ERR_SSL|DEPTH_ZERO|UNABLE_TO_|SELF_SIGNED)/.test(code)) return 'tls';
  }
  return 'other';
}

export const isIoReason = (value: unknown): value is IoReason => (IO_REASONS as readonly unknown[]).includes(value);
