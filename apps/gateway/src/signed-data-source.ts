// How the gateway talks to subgraphs: every request carries the caller's context
// as a JWS signed for that one subgraph (audience = subgraph name), over a
// keep-alive connection pool (node-fetch 2 with an http.Agent: about twice the
// throughput of the gateway's default fetcher here, see STACK.md).
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { KeyObject } from 'node:crypto';
import nodeFetch from 'node-fetch';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CONTEXT_HEADER, signRequestContext } from '@packets/context';
import type { GatewayContext } from './gateway.context';
import { describeOperation } from './operation';

/**
 * An idle socket is dropped after 15 s, far inside the subgraphs' keep-alive (libs/http
 * KEEP_ALIVE_TIMEOUT_MS, 65 s), so a busy gateway never sends on one a subgraph closed.
 */
const IDLE_SOCKET_MS = 15_000;
export const keepAliveAgent = new Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_MS });
/** for subgraphs serving HTTPS: Node's CA store, plus NODE_EXTRA_CA_CERTS for a private CA */
export const keepAliveHttpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64, minVersion: 'TLSv1.2', timeout: IDLE_SOCKET_MS });

export const fetcher = ((url: string, init?: Record<string, unknown>) =>
  nodeFetch(url, { ...init, agent: (u: URL) => (u.protocol === 'https:' ? keepAliveHttpsAgent : keepAliveAgent) })) as unknown as typeof import('node-fetch').default;

export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: string, url: string, private readonly key: KeyObject) {
    super({ url, fetcher });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const { request, context } = options;
    // health checks and schema loading carry no request context
    const ctx = context as Partial<GatewayContext>;
    if (!ctx.claims || !ctx.signed) return;
    // the client's operation, described once, before the first context is signed (for the subgraphs' access events)
    if (!ctx.claims.meta.operation && 'incomingRequestContext' in options) {
      ctx.claims.meta.operation = describeOperation(options.incomingRequestContext);
    }
    const cache = ctx.signed;
    let token = cache.get(this.subgraph);
    if (!token) {
      token = await signRequestContext(ctx.claims, this.subgraph, this.key);
      cache.set(this.subgraph, token);
    }
    request.http?.headers.set(CONTEXT_HEADER, token);
  }
}
