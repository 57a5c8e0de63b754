// The gateway: one public endpoint. Authenticates the caller once, applies query
// limits, signs the request context for each subgraph, and plans the federated query.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ANONYMOUS, type Actor } from '@packets/context';
import { API_HEADERS } from './security-headers';
export { API_CSP, API_HEADERS, CspOriginError, contentSecurityPolicy, originSource, pageHeaders, type PageCspOptions } from './security-headers';
import { clientIp, close, createHttpApp, formatError, listen, unauthenticated, type RunningServer } from '@packets/http';
import type { GatewayConfig } from '@packets/config';
import { SignedDataSource, fetcher } from './signed-data-source';
import { SessionClient } from './session.client';
import type { GatewayContext } from './gateway.context';
import { tokenLimit } from './token-limit';
import { edgeRateLimiter } from './rate-limit';
import { inputCheck } from './input-check';
import { evidenceRoutes } from './evidence.routes';
import { sessionCookieFrom, sessionCookieRoutes, type CookieSettings } from './session-cookie';
import { ssoRoutes } from './sso.routes';
import { exportDownloadRoute, requestIdPlugin } from './access-log';
import { EXPORT_DOWNLOAD_PATH } from '@packets/context';

export const DEFAULT_SUPERGRAPH = join(__dirname, '../supergraph.graphql');

/** Query limits (PL-3). Generous for the console's real queries, fatal for abuse. */
export const LIMITS = { maxDepth: 10, maxAliases: 15, costLimit: 5000, maxTokens: 2000, maxDirectives: 20 };

/** The caller's token: an Authorization bearer header, else the console's session cookie. */
function credential(req: IncomingMessage, cookies: CookieSettings): string | null {
  const h = req.headers.authorization;
  if (!h) return sessionCookieFrom(req, cookies);
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw unauthenticated('Authorization header must be "Bearer <token>"', 401);
  return m[1]!;
}

export async function startGateway(config: GatewayConfig): Promise<RunningServer> {
  const supergraphSdl = readFileSync(config.supergraphPath ?? DEFAULT_SUPERGRAPH, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    // the supergraph names default URLs; the configured ones win
    buildService: ({ name, url }) => {
      const configured = config.subgraphUrls[name as keyof typeof config.subgraphUrls];
      return new SignedDataSource(name, configured ? `${configured}/graphql` : url!, config.contextPrivateKey);
    },
  });
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth },
    maxAliases: { n: LIMITS.maxAliases },
    costLimit: { maxCost: LIMITS.costLimit },
    maxTokens: { enabled: false }, // see token-limit.ts
    maxDirectives: { n: LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: !config.dev },
  });
  const protection = armor.protect();
  const limiter = config.rateLimit ? edgeRateLimiter(config.rateLimit) : null;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...protection,
    introspection: config.dev,
    stopOnTerminationSignals: false, // stopped by its runner (see libs/graphql server.ts)
    csrfPrevention: true,
    formatError: formatError(config.dev),
    plugins: [...protection.plugins, ApolloServerPluginLandingPageDisabled(), requestIdPlugin(), ...(limiter ? [limiter.plugin] : [])],
  });
  await apollo.start();
  const sessions = new SessionClient(config.subgraphUrls.identity, config.servicePrivateKey);
  const cookies: CookieSettings = { https: config.publicUrl.startsWith('https:'), origin: new URL(config.publicUrl).origin };
  const sso = ssoRoutes({ identityUrl: config.subgraphUrls.identity, key: config.servicePrivateKey, publicUrl: config.publicUrl, cookies });

  const limitTokens = tokenLimit(LIMITS.maxTokens);
  const server = createHttpApp<GatewayContext>({
    apollo,
    inspect: (body) => limitTokens(body) ?? inputCheck(body),
    raw: {
      [`GET ${EXPORT_DOWNLOAD_PATH}`]: exportDownloadRoute(config.subgraphUrls.audit, config.servicePrivateKey),
      ...evidenceRoutes({
        sessions, complianceUrl: config.subgraphUrls.compliance, contextPrivateKey: config.contextPrivateKey, downloadLinkKey: config.complianceServicePublicKey,
      }),
      ...sessionCookieRoutes(cookies, async (token) => {
        const live = await sessions.lookup(token);
        return live?.expiresAt ? { expiresAt: live.expiresAt } : null;
      }),
      ...sso.raw,
    },
    rawPrefix: sso.rawPrefix,
    headers: API_HEADERS,
    tls: config.tls,
    context: async (req) => {
      const token = credential(req, cookies);
      const ua = req.headers['user-agent'];
      const from = { ip: clientIp(req), userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null };
      const actor: Actor = token ? await sessions.resolve(token, from) : ANONYMOUS;
      return {
        claims: { actor, meta: { requestId: randomUUID(), ...from } },
        signed: new Map(),
      };
    },
    routes: {
      'GET /ready': async () => {
        const checks = await Promise.all(Object.entries(config.subgraphUrls).map(async ([name, url]) => {
          try {
            const res = await fetcher(`${url}/ready`);
            return [name, res.ok ? 'ready' : `not ready (${res.status})`] as const;
          } catch {
            return [name, 'unreachable'] as const;
          }
        }));
        const ok = checks.every(([, s]) => s === 'ready');
        return { status: ok ? 200 : 503, json: { status: ok ? 'ready' : 'not ready', subgraphs: Object.fromEntries(checks) } };
      },
    },
  });
  const port = await listen(server, config.port, config.host);
  return {
    port,
    url: `${config.tls ? 'https' : 'http'}://${config.host}:${port}`,
    stop: async () => {
      await close(server);
      await apollo.stop();
      await limiter?.close();
    },
  };
}
