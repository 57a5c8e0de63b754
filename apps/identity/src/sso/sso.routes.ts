// The gateway's half of the SSO browser flow calls these (signed with the gateway's
// service key, bound to the body): POST /internal/sso/start and /internal/sso/callback.
// Both answer 200 with { ok, ... } for every login outcome; 400/401 only for bad calls.
import type { IncomingMessage } from 'node:http';
import { SERVICE_HEADER, verifyServiceCall, type RequestMeta } from '@packets/context';
import type { Route } from '@packets/graphql';
import { finishSsoLogin, startSsoLogin } from './sso.login';
import type { IdentityRuntime } from '../identity.context';

export const SSO_START_AUDIENCE = 'identity:sso-start';
export const SSO_CALLBACK_AUDIENCE = 'identity:sso-callback';

type Body = Record<string, unknown>;

function header(req: IncomingMessage): string | undefined {
  const h = req.headers[SERVICE_HEADER];
  return Array.isArray(h) ? h[0] : h;
}

function parse(body: string): Body | null {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length <= max ? v : null);
const optStr = (v: unknown, max: number): string | null | undefined => (v === null || v === undefined ? null : str(v, max) ?? undefined);

/** The browser's request id, address and user agent, as the gateway saw them (for the audit log). */
function meta(v: unknown): RequestMeta | null {
  if (typeof v !== 'object' || v === null) return null;
  const m = v as Body;
  const requestId = str(m.requestId, 100);
  const ip = optStr(m.ip, 100);
  const userAgent = optStr(m.userAgent, 500);
  return requestId && ip !== undefined && userAgent !== undefined ? { requestId, ip, userAgent } : null;
}

function signed(runtime: IdentityRuntime, audience: string, handle: (input: Body) => Promise<{ status: number; json: unknown }>): Route {
  return async (req, body) => {
    try {
      await verifyServiceCall(header(req), audience, body, runtime.fromGateway);
    } catch {
      return { status: 401, json: { error: 'unauthorised' } };
    }
    const input = parse(body);
    if (!input) return { status: 400, json: { error: 'JSON object required' } };
    return handle(input);
  };
}

export function ssoRoutes(runtime: IdentityRuntime): Record<string, Route> {
  return {
    'POST /internal/sso/start': signed(runtime, SSO_START_AUDIENCE, async (input) => {
      const orgSlug = str(input.orgSlug, 100);
      const returnTo = optStr(input.returnTo, 10_000); // checked (and refused as invalid_request) by the login
      const m = meta(input.meta);
      if (!orgSlug || returnTo === undefined || !m) return { status: 400, json: { error: 'orgSlug and meta required' } };
      return { status: 200, json: await startSsoLogin(runtime, { orgSlug, returnTo, meta: m }) };
    }),
    'POST /internal/sso/callback': signed(runtime, SSO_CALLBACK_AUDIENCE, async (input) => {
      const query = str(input.query, 8000);
      const browserState = optStr(input.browserState, 200);
      const m = meta(input.meta);
      if (query === null || !m) return { status: 400, json: { error: 'query and meta required' } };
      return { status: 200, json: await finishSsoLogin(runtime, { query, browserState: browserState ?? null, meta: m }) };
    }),
  };
}
