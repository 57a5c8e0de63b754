// The gateway's keep-alive sockets to the subgraphs must be dropped by the gateway
// well before a subgraph closes them: a request sent on a socket the subgraph has just
// closed fails ("socket hang up", an INTERNAL_SERVER_ERROR the gateway never retries,
// seen under load in auth.e2e's 30 concurrent sign-ins). Node keeps an idle client
// socket for the server's Keep-Alive hint less one second, counted from when the
// client read the answer; under load that read comes more than a second after the
// server wrote it, and the second is gone.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApolloServer } from '@apollo/server';
import type { Server } from 'node:http';
import { close, createHttpApp, listen } from '@packets/http';
import { fetcher, keepAliveAgent } from './signed-data-source';

describe('keep-alive between the gateway and a subgraph', () => {
  let server: Server | null = null;
  afterEach(async () => { if (server) await close(server); server = null; });

  it('the gateway drops an idle subgraph socket at least 10 s before the subgraph would close it', async () => {
    server = createHttpApp({
      apollo: null as unknown as ApolloServer, context: () => Promise.reject(new Error('no GraphQL here')),
      routes: { 'POST /ping': () => Promise.resolve({ status: 200, json: { ok: true } }) },
    });
    const port = await listen(server, 0);
    const res = await fetcher(`http://127.0.0.1:${port}/ping`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(await res.json()).toEqual({ ok: true });
    // what the subgraph announces, and what Node's agent makes of it (the hint less 1 s, or its own timeout if shorter)
    const hint = Number(/timeout=(\d+)/.exec(res.headers.get('keep-alive') ?? '')?.[1]) * 1000;
    const agentTimeout = (keepAliveAgent as unknown as { options: { timeout?: number } }).options.timeout;
    const clientIdle = Math.min(agentTimeout ?? Infinity, hint - 1000);
    expect(server.keepAliveTimeout).toBe(hint);
    expect(server.keepAliveTimeout - clientIdle).toBeGreaterThanOrEqual(10_000);
  });
});
