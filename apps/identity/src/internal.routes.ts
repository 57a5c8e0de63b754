// Service-to-service endpoints, outside the graph. Each call carries a signed,
// body-bound token signed with the caller's own service key: the gateway's for
// session resolution, compliance's for membership checks.
import type { IncomingMessage } from 'node:http';
import { SERVICE_HEADER, verifyServiceCall } from '@packets/context';
import { tenantTx } from '@packets/db';
import { validate, type Route } from '@packets/graphql';
import { resolveBearer } from './session/session.service';
import { membersAmong } from './membership/membership.service';
import { MembershipEntity } from './membership/membership.entity';
import type { IdentityRuntime } from './identity.context';
import { ssoRoutes } from './sso/sso.routes';

export const SESSION_AUDIENCE = 'identity:session';
export const MEMBERS_AUDIENCE = 'identity:members';

function header(req: IncomingMessage): string | undefined {
  const h = req.headers[SERVICE_HEADER];
  return Array.isArray(h) ? h[0] : h;
}

function parse(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function internalRoutes(runtime: IdentityRuntime): Record<string, Route> {
  return {
    ...ssoRoutes(runtime),
    'POST /internal/session': async (req, body) => {
      try {
        await verifyServiceCall(header(req), SESSION_AUDIENCE, body, runtime.fromGateway);
      } catch {
        return { status: 401, json: { error: 'unauthorised' } };
      }
      const input = parse(body);
      if (!input || typeof input.token !== 'string') return { status: 400, json: { error: 'token required' } };
      const from = {
        ip: typeof input.ip === 'string' ? input.ip.slice(0, 100) : null,
        userAgent: typeof input.userAgent === 'string' ? input.userAgent.slice(0, 500) : null,
      };
      const resolved = await resolveBearer(runtime, input.token, from);
      return resolved ? { status: 200, json: resolved } : { status: 401, json: { error: 'invalid session' } };
    },
    'POST /internal/members/list': async (req, body) => {
      try {
        await verifyServiceCall(header(req), MEMBERS_AUDIENCE, body, runtime.fromServices);
      } catch {
        return { status: 401, json: { error: 'unauthorised' } };
      }
      const orgId = parse(body)?.orgId;
      if (typeof orgId !== 'string' || !validate.isUuid(orgId)) return { status: 400, json: { error: 'orgId (uuid) required' } };
      const members = await tenantTx(runtime.orm.em.fork(), orgId, async (em) =>
        (await em.find(MembershipEntity, { orgId }, { fields: ['userId'] })).map((m) => m.userId));
      return { status: 200, json: { members } };
    },
    'POST /internal/members': async (req, body) => {
      try {
        await verifyServiceCall(header(req), MEMBERS_AUDIENCE, body, runtime.fromServices);
      } catch {
        return { status: 401, json: { error: 'unauthorised' } };
      }
      const input = parse(body);
      const orgId = input?.orgId;
      const userIds = input?.userIds;
      if (typeof orgId !== 'string' || !validate.isUuid(orgId) || !Array.isArray(userIds)
        || userIds.length > 1000 || !userIds.every((id): id is string => typeof id === 'string' && validate.isUuid(id))) {
        return { status: 400, json: { error: 'orgId and userIds (uuids) required' } };
      }
      const members = await tenantTx(runtime.orm.em.fork(), orgId, (em) => membersAmong(em, orgId, userIds));
      return { status: 200, json: { members } };
    },
  };
}
