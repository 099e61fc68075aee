// The per-launch secret: the launch URL carries a one-time token, exchanged for an HttpOnly,
// SameSite=Strict session cookie. Nothing else on this PC (another page, another user's browser)
// can call the desk without that cookie, and the token is worthless once used.
import { randomBytes } from 'node:crypto';
import { sameSecret } from '../loyalty/sameSecret';

const TOKEN_BYTES = 32;
/** An unused launch link stops working after this long. */
export const TOKEN_TTL_MS = 10 * 60 * 1000;
/** The host serves one desk; a few windows at most (a reopened app window, a test). */
export const MAX_SESSIONS = 16;

export const newSecret = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

/** Cookies are per host, not per port: two desks on one PC must not overwrite each other's. */
export const cookieName = (port: number): string => `ld_session_${port}`;

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(name: string, id: string): string {
  return `${name}=${id}; Path=/; HttpOnly; SameSite=Strict`;
}

export class LaunchTokens {
  private readonly tokens = new Map<string, number>();
  constructor(private readonly clock: () => number = Date.now) {}

  issue(): string {
    const now = this.clock();
    for (const [t, at] of this.tokens) if (now - at > TOKEN_TTL_MS) this.tokens.delete(t);
    const token = newSecret();
    this.tokens.set(token, now);
    return token;
  }

  /** True once per issued token, within its time. */
  redeem(candidate: string): boolean {
    const now = this.clock();
    for (const [t, at] of this.tokens) {
      if (sameSecret(t, candidate)) {
        this.tokens.delete(t);
        return now - at <= TOKEN_TTL_MS;
      }
    }
    return false;
  }
}

/** Sessions by their cookie id; the oldest goes when too many were opened. */
export class Sessions<S> {
  private readonly byId = new Map<string, S>();

  /** `onDrop`: told of a session pushed out by newer ones (a kiosk page then withdraws its slips). */
  constructor(private readonly onDrop: (session: S) => void = () => undefined) {}

  open(make: () => S): { id: string; session: S } {
    const id = newSecret();
    const session = make();
    this.byId.set(id, session);
    while (this.byId.size > MAX_SESSIONS) {
      const oldest = this.byId.keys().next().value as string;
      const dropped = this.byId.get(oldest);
      this.byId.delete(oldest);
      if (dropped !== undefined) this.onDrop(dropped);
    }
    return { id, session };
  }

  get(id: string | null): S | null {
    if (id === null || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    return this.byId.get(id) ?? null;
  }

  /** Ends a session now (a new launch link replaced it in its browser). */
  close(id: string): void {
    const session = this.byId.get(id);
    if (session === undefined) return;
    this.byId.delete(id);
    this.onDrop(session);
  }

  get size(): number {
    return this.byId.size;
  }
}

/**
 * A launch link opened in a browser. A valid token always starts a new session (signed out), and the
 * one the browser held ends: a new link is a new start, as the README says, and never leaves the
 * last person signed in. A used or unknown token keeps the browser's session (a reloaded old link),
 * or, with none, is refused.
 */
export function launch<S>(tokens: LaunchTokens, sessions: Sessions<S>, held: string | null, token: string, open: () => S): { cookieId: string } | 'keep' | 'refuse' {
  if (tokens.redeem(token)) {
    if (held !== null && sessions.get(held) !== null) sessions.close(held);
    return { cookieId: sessions.open(open).id };
  }
  return held !== null && sessions.get(held) !== null ? 'keep' : 'refuse';
}
