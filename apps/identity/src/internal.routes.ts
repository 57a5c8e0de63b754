// Service-to-service endpoints, outside the graph, each serving one protocol of
// @packets/context: session look-ups for the gateway, membership checks for compliance.
import { memberCheck, memberListing, serviceRoute, sessionLookup } from '@packets/context';
import { tenantTx } from '@packets/db';
import { restError, type Route } from '@packets/graphql';
import { resolveBearer } from './session/session.service';
import { membersAmong } from './membership/membership.service';
import { MembershipEntity } from './membership/membership.entity';
import type { IdentityRuntime } from './identity.context';
import { ssoRoutes } from './sso/sso.routes';

export function internalRoutes(runtime: IdentityRuntime): Record<string, Route> {
  return {
    ...ssoRoutes(runtime),
    ...serviceRoute(sessionLookup, runtime.fromGateway, async ({ token, ip, userAgent }) => {
      const resolved = await resolveBearer(runtime, token, { ip, userAgent });
      return resolved ? { status: 200, json: resolved } : restError(401, 'UNAUTHENTICATED', 'invalid session');
    }),
    ...serviceRoute(memberListing, runtime.fromServices, async ({ orgId }) => {
      const members = await tenantTx(runtime.orm.em.fork(), orgId, async (em) =>
        (await em.find(MembershipEntity, { orgId }, { fields: ['userId'] })).map((m) => m.userId));
      return { status: 200, json: { members } };
    }),
    ...serviceRoute(memberCheck, runtime.fromServices, async ({ orgId, userIds }) => {
      const members = await tenantTx(runtime.orm.em.fork(), orgId, (em) => membersAmong(em, orgId, userIds));
      return { status: 200, json: { members } };
    }),
  };
}
