// The web console keeps its session token in an httpOnly cookie, never in script
// reach: HttpOnly, Secure, SameSite=Lax, Path=/, and the __Host- prefix when the
// gateway is served over HTTPS. Bearer headers (mobile, partners) take precedence.
// Storing a token in the cookie is a same-origin JSON call only (no login CSRF: a
// page elsewhere cannot plant its own session in a victim's browser).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendError, sendJson, unauthenticated } from '@packets/http';

export interface CookieSettings {
  /** true when PUBLIC_URL is https: the cookie gets the __Host- prefix */
  https: boolean;
  /** the origin of PUBLIC_URL: a browser on the console sends it as Origin */
  origin?: string;
}

export function cookieName(s: CookieSettings): string {
  return s.https ? '__Host-packets_session' : 'packets_session';
}

export function sessionCookieFrom(req: IncomingMessage, s: CookieSettings): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const name = cookieName(s);
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      // a malformed cookie is a bad credential, not a server error
      throw unauthenticated('The session cookie is malformed', 401);
    }
  }
  return null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const h = req.headers[name];
  return Array.isArray(h) ? h[0] : h;
}

/**
 * Same origin: the Origin header names this gateway, as PUBLIC_URL says or as the
 * Host the request was sent to. Browsers send Origin on every POST made by script.
 */
export function sameOrigin(req: IncomingMessage, s: CookieSettings): boolean {
  const origin = header(req, 'origin');
  if (!origin || origin === 'null') return false;
  if (s.origin && origin === s.origin) return true;
  try {
    const host = header(req, 'host');
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function isJson(req: IncomingMessage): boolean {
  return (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export function setSessionCookie(res: ServerResponse, s: CookieSettings, token: string, expiresAt: Date): void {
  res.setHeader('set-cookie', `${cookieName(s)}=${encodeURIComponent(token)}; Path=/; HttpOnly; Secure; SameSite=Lax; Expires=${expiresAt.toUTCString()}`);
}

export function clearSessionCookie(res: ServerResponse, s: CookieSettings): void {
  res.setHeader('set-cookie', `${cookieName(s)}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`);
}

/**
 * POST /auth/session { token } stores a session token (from signIn, completeMfaSignIn,
 * acceptInvitation) in the cookie after checking it is live; DELETE /auth/session
 * forgets it (call signOut first to end the session itself).
 */
export function sessionCookieRoutes(s: CookieSettings, resolve: (token: string) => Promise<{ expiresAt: Date } | null>) {
  return {
    'POST /auth/session': async (req: IncomingMessage, res: ServerResponse) => {
      if (!isJson(req)) {
        return sendError(res, 415, 'BAD_USER_INPUT', 'Body must be JSON (content-type: application/json)');
      }
      if (!sameOrigin(req, s)) {
        return sendError(res, 403, 'FORBIDDEN', 'Only the console itself may store a session (same-origin Origin header required)');
      }
      let token: unknown;
      try {
        token = (JSON.parse(await readBody(req, 4096)) as { token?: unknown }).token;
      } catch {
        return sendError(res, 400, 'BAD_USER_INPUT', 'Body must be JSON { "token": "..." }');
      }
      const live = typeof token === 'string' && token.startsWith('pks_') ? await resolve(token) : null;
      if (!live || typeof token !== 'string') {
        return sendError(res, 401, 'UNAUTHENTICATED', 'Session is invalid, expired or revoked');
      }
      setSessionCookie(res, s, token, live.expiresAt);
      return sendJson(res, 200, { ok: true });
    },
    'DELETE /auth/session': (_req: IncomingMessage, res: ServerResponse) => {
      clearSessionCookie(res, s);
      sendJson(res, 200, { ok: true });
      return Promise.resolve();
    },
  };
}
