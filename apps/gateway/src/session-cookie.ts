// The web console keeps its session token in an httpOnly cookie, never in script
// reach: HttpOnly, Secure, SameSite=Lax, Path=/, and the __Host- prefix when the
// gateway is served over HTTPS. Bearer headers (mobile, partners) take precedence.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '@packets/graphql';

export interface CookieSettings {
  /** true when PUBLIC_URL is https: the cookie gets the __Host- prefix */
  https: boolean;
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
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
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
      let token: unknown;
      try {
        token = (JSON.parse(await readBody(req, 4096)) as { token?: unknown }).token;
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Body must be JSON { "token": "..." }', extensions: { code: 'BAD_USER_INPUT' } }] });
      }
      const live = typeof token === 'string' && token.startsWith('pks_') ? await resolve(token) : null;
      if (!live || typeof token !== 'string') {
        return sendJson(res, 401, { errors: [{ message: 'Session is invalid, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } }] });
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
