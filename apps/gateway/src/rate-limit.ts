// Request rate limits at the gateway (issue 17), with rate-limiter-flexible: points
// counted in PostgreSQL (identity.rate_limits, the table the brute-force guard uses,
// keys prefixed `edge:`), or in Redis when REDIS_URL is set, so every gateway replica
// shares the counts.
// - anonymous calls: per client IP;
// - authenticated calls: per credential (the session, or the API key) and per
//   organisation, so one noisy session cannot use up its org's budget on its own,
//   and many sessions of one org together cannot exceed the org's.
// Each operation costs what graphql-armor's cost analysis gives it (the same weights
// as the cost limit, 1 point at least), computed once on the resolved document. A
// refused call answers HTTP 429 with `Retry-After` (seconds) and RATE_LIMITED.
// The limiter runs in didResolveOperation: after the credential is resolved and the
// document parsed and validated (a document over the cost limit is refused before
// it is counted), before any subgraph is called.
import { validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { postgresStore, redisStore } from '@packets/rate-limit';
import { appError, ErrorCode } from '@packets/http';
import type { RateLimitSettings } from '@packets/config';
import type { GatewayContext } from './gateway.context';

/** The operation's cost as graphql-armor's cost limit counts it (the largest operation in the document), 1 at least. */
export function operationCost(schema: GraphQLSchema, document: DocumentNode): number {
  let cost = 0;
  validate(schema, document, [costLimitRule({ maxCost: Number.MAX_SAFE_INTEGER, onAccept: [(_ctx, details) => { cost = Math.max(cost, (details as { n: number }).n); }] })]);
  return Math.max(1, Math.ceil(cost));
}

function rateLimited(msBeforeNext: number) {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return appError(ErrorCode.RATE_LIMITED, `Too many requests; try again in ${retryAfter} s`, {
    retryAfter,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
  });
}

export interface EdgeRateLimiter {
  plugin: ApolloServerPlugin<GatewayContext>;
  close: () => Promise<void>;
}

export function edgeRateLimiter(settings: RateLimitSettings): EdgeRateLimiter {
  const store = settings.redisUrl ? redisStore(settings.redisUrl) : postgresStore(settings.databaseUrl!, { poolMax: 4, clearExpired: true });
  const w = settings.windowSeconds;
  const p = settings.keyPrefix;
  const anon = store.make(`${p}:ip`, settings.anonPoints, w);
  const credential = store.make(`${p}:cred`, settings.credentialPoints, w);
  const org = store.make(`${p}:org`, settings.orgPoints, w);

  /** takes `cost` points from the key; throws RATE_LIMITED when it has not got them */
  const take = async (limiter: RateLimiterAbstract, key: string, cost: number): Promise<void> => {
    try {
      await limiter.consume(key, cost);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw rateLimited(err.msBeforeNext);
      throw err; // the store is down: the request fails (500) rather than going unlimited
    }
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    requestDidStart: () => Promise.resolve({
      didResolveOperation: async ({ schema, document, contextValue }) => {
        const { actor, meta } = contextValue.claims;
        const cost = operationCost(schema, document);
        const cred = actor.sessionId ?? actor.apiKeyId;
        if (!cred) {
          await take(anon, meta.ip ?? 'unknown', cost);
          return;
        }
        // the credential first: a credential over its own limit takes nothing from its org
        await take(credential, cred, cost);
        if (actor.orgId) await take(org, actor.orgId, cost);
      },
    }),
  };
  return { plugin, close: () => store.close() };
}
