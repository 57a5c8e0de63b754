// The browser side of SSO (ID-5): GET /auth/sso/:orgSlug/start sends the browser to
// the organisation's identity provider; GET /auth/sso/callback brings it back, and
// identity (over signed internal calls) checks the state, exchanges the code and
// opens the session, which lands in the console's session cookie.
//
// Every answer is a 302: to the provider, to PUBLIC_URL + returnTo (or "/") on
// success, or to PUBLIC_URL + "/?sso_error=<code>" on failure (codes in
// apps/identity/src/sso/sso.login.ts). When the member has a TOTP factor, the
// success redirect carries "#sso_mfa_challenge=<token>" for completeMfaSignIn (a
// fragment never reaches a server or a Referer).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { callService, ssoCallback, ssoStart, type RequestMeta, type ServiceProtocol } from '@packets/context';
import { clientIp, sendError, type RawHandler, type RawPrefixRoute } from '@packets/http';
import { fetcher } from './signed-data-source';
import { setSessionCookie, type CookieSettings } from './session-cookie';

export const SSO_PREFIX = '/auth/sso/';
export const SSO_CALLBACK_PATH = '/auth/sso/callback';
const START_PATH = /^\/auth\/sso\/([^/]{1,100})\/start$/;
/** as long as a login may take at the provider (identity's state lives 10 minutes) */
const STATE_COOKIE_SECONDS = 600;

export interface SsoRouteOptions {
  identityUrl: string;
  /** the gateway's service key: identity accepts these calls from the gateway only */
  key: KeyObject;
  publicUrl: string;
  cookies: CookieSettings;
}

/** Binds the login to this browser: the callback must come with the state it started. */
export function stateCookieName(s: CookieSettings): string {
  return s.https ? '__Host-packets_sso_state' : 'packets_sso_state';
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function meta(req: IncomingMessage): RequestMeta {
  const ua = req.headers['user-agent'];
  return { requestId: randomUUID(), ip: clientIp(req), userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null };
}

function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  const headers: Record<string, string | string[]> = { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
  const existing = res.getHeader('set-cookie');
  const all = [...(Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : []), ...cookies];
  if (all.length) headers['set-cookie'] = all;
  res.writeHead(302, headers);
  res.end();
}

export function ssoRoutes(o: SsoRouteOptions): { raw: Record<string, RawHandler>; rawPrefix: RawPrefixRoute[] } {
  const stateCookie = stateCookieName(o.cookies);
  const clearState = `${stateCookie}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
  const failed = (res: ServerResponse, code: string) =>
    redirect(res, `${o.publicUrl}/?sso_error=${encodeURIComponent(code)}`, [clearState]);

  const caller = { service: 'gateway', key: o.key, fetch: fetcher } as const;
  /** identity's answer, or null when identity could not be asked or refused the call */
  async function call<P, R>(p: ServiceProtocol<P, R>, payload: P): Promise<R | null> {
    try {
      const r = await callService(p, caller, o.identityUrl, payload);
      return r.ok ? r.answer : null;
    } catch {
      return null;
    }
  }

  const start: RawHandler = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const m = START_PATH.exec(url.pathname);
    if (!m) return sendError(res, 404, 'NOT_FOUND', 'No such endpoint');
    let orgSlug: string;
    try {
      orgSlug = decodeURIComponent(m[1]!);
    } catch {
      return failed(res, 'invalid_request');
    }
    const answer = await call(ssoStart, { orgSlug, returnTo: url.searchParams.get('returnTo'), meta: meta(req) });
    if (!answer) return failed(res, 'service_unavailable');
    if (!answer.ok) return failed(res, answer.error);
    redirect(res, answer.url,
      [`${stateCookie}=${encodeURIComponent(answer.state)}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${STATE_COOKIE_SECONDS}`]);
  };

  const callback: RawHandler = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.search.length > 8000) return failed(res, 'invalid_request');
    const answer = await call(ssoCallback, { query: url.search, browserState: cookie(req, stateCookie), meta: meta(req) });
    if (!answer) return failed(res, 'service_unavailable');
    if (!answer.ok) return failed(res, answer.error);
    const landing = `${o.publicUrl}${answer.returnTo ?? '/'}`;
    if ('mfaChallenge' in answer) return redirect(res, `${landing}#sso_mfa_challenge=${encodeURIComponent(answer.mfaChallenge)}`, [clearState]);
    setSessionCookie(res, o.cookies, answer.token, new Date(answer.expiresAt));
    redirect(res, landing, [clearState]);
  };

  return {
    raw: { [`GET ${SSO_CALLBACK_PATH}`]: callback },
    rawPrefix: [{ method: 'GET', prefix: SSO_PREFIX, handler: start }],
  };
}
