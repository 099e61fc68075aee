// The desk page's own origin, app://desk/, instead of file:// (Electron's security checklist, item
// "avoid file://"): a file:// page may read any file:// URL and shares one origin with every other
// file; app://desk/ serves the built renderer folder and nothing else. The scheme is registered as
// standard and secure (main.ts) so the page is a secure context with a real origin, its CSP 'self'
// meaning app://desk. Also the permission check: the camera (video) and nothing else. Pure and
// here, not in electron/ (nothing under src/ or test/ imports electron/): electron/main.ts wires it,
// test/electron/hardening.test.ts runs it without the binary.
import { extname, isAbsolute, join, relative, sep } from 'node:path';

export const APP_SCHEME = 'app';
const APP_HOST = 'desk';
export const DESK_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` an app:// request names, or null (another host, an encoded separator or "..", a NUL, outside root). */
export function resolveAppPath(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.hostname !== APP_HOST || u.username || u.password || u.port) return null;
  const raw = u.pathname === '/' ? '/index.html' : u.pathname;
  // Separators and dots written as %2F, %5C, %2E stay refused: the URL parser has already removed
  // every literal "..", so one that appears only after decoding is an attempt to leave the folder.
  if (/%(?:2f|5c|2e|00)/i.test(raw)) return null;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((p) => p === '..' || p === '.')) return null;
  const file = join(root, ...path.split('/').filter(Boolean));
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}

type CheckDetails = { mediaType?: 'video' | 'audio' | 'unknown' };

/** session.setPermissionCheckHandler: a media check for the camera only (never the microphone); nothing else. */
export function checkPermission(permission: string, details: CheckDetails): boolean {
  return permission === 'media' && details.mediaType === 'video';
}

/** session.setPermissionRequestHandler: a media request whose every type is video. */
export function requestPermission(permission: string, mediaTypes: readonly string[]): boolean {
  return permission === 'media' && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
}
