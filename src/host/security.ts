// What every response carries, and the checks every request passes before it reaches a handler:
// the Host must be this desk's own address (no DNS rebinding), a state-changing request must come
// from this desk's own page (Origin / Sec-Fetch-Site), and the page may load nothing from elsewhere.

/**
 * Scripts, styles, workers and connections from this host only; camera frames stay in blob:/data:.
 * 'wasm-unsafe-eval' lets the decode worker compile the QR reader's WebAssembly (a file served from
 * here, renderer/scan/decodeWorker.ts); it allows no JavaScript eval, which 'unsafe-eval' would.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
  'cache-control': 'no-store',
};

export interface RequestFacts {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/** Null when the request may go on; otherwise why not (for the log, never shown to a page). */
export function refuseRequest(req: RequestFacts, origin: string): string | null {
  const expectedHost = origin.replace(/^http:\/\//, '');
  if (req.host !== expectedHost) return `host ${req.host ?? '(none)'} is not ${expectedHost}`;
  if (req.secFetchSite !== undefined && req.secFetchSite !== 'same-origin' && req.secFetchSite !== 'none') {
    return `cross-site request (${req.secFetchSite})`;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (req.origin !== origin) return `origin ${req.origin ?? '(none)'} is not ${origin}`;
  }
  return null;
}
