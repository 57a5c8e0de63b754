// The gateway's half of the SSO browser flow calls these (the ssoStart and ssoCallback
// protocols of @packets/context, signed with the gateway's service key).
// Both answer 200 with { ok, ... } for every login outcome; 400/401 only for bad calls.
import { serviceRoute, ssoCallback, ssoStart } from '@packets/context';
import type { Route } from '@packets/graphql';
import { finishSsoLogin, startSsoLogin } from './sso.login';
import type { IdentityRuntime } from '../identity.context';

export function ssoRoutes(runtime: IdentityRuntime): Record<string, Route> {
  return {
    ...serviceRoute(ssoStart, runtime.fromGateway, async (input) => ({ status: 200, json: await startSsoLogin(runtime, input) })),
    ...serviceRoute(ssoCallback, runtime.fromGateway, async (input) => ({ status: 200, json: await finishSsoLogin(runtime, input) })),
  };
}
