// Starts one subgraph: Apollo Server over the federated schema, behind the small
// HTTP front, with the signed-context check in front of every operation.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { close, createHttpApp, formatError, listen, validate, type HttpAppOptions, type Route, type RunningServer } from '@packets/http';
import { RequestContext, verifiedContext, type SubgraphRuntime } from './request-context';
import { accessAuditPlugin } from './access-audit';

export interface SubgraphServerOptions<L> {
  runtime: SubgraphRuntime;
  schema: GraphQLSchema;
  loaders: (ctx: RequestContext<L>) => L;
  port: number;
  host?: string;
  dev: boolean;
  routes?: Record<string, Route>;
  /** handlers that read and write their own streams (file uploads and downloads), keyed "METHOD /path" */
  raw?: HttpAppOptions<RequestContext<L>>['raw'];
  /** serve HTTPS (the subgraph's TLS_CERT_FILE / TLS_KEY_FILE); null or absent = plain HTTP */
  tls?: HttpAppOptions<RequestContext<L>>['tls'];
}


export async function startSubgraphServer<L>(opts: SubgraphServerOptions<L>): Promise<RunningServer> {
  const apollo = new ApolloServer<RequestContext<L>>({
    schema: opts.schema,
    introspection: opts.dev,
    includeStacktraceInErrorResponses: false,
    // the process that runs the server stops it (runService, npm start): Apollo's own
    // SIGINT handler would stop it a second time and re-raise the signal mid-shutdown
    stopOnTerminationSignals: false,
    formatError: formatError(opts.dev),
    // accessAuditPlugin: every answered read leaves its access event in the outbox first, and the request's transaction ends
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), accessAuditPlugin()],
  });
  await apollo.start();
  const server = createHttpApp({
    apollo,
    inspect: validate.refuseIllFormed, // as at the gateway: a direct caller cannot get such strings to SQL either
    raw: opts.raw,
    tls: opts.tls,
    routes: {
      ...opts.routes,
      'GET /ready': async () => {
        try {
          await opts.runtime.orm.em.fork().execute('select 1');
          return { status: 200, json: { status: 'ready' } };
        } catch {
          return { status: 503, json: { status: 'database unavailable' } };
        }
      },
    },
    context: async (req) => {
      const { actor, meta } = await verifiedContext(req, opts.runtime);
      // the request's reads share one transaction, ended by accessAuditPlugin when the response is ready
      const ctx = new RequestContext<L>(opts.runtime, actor, meta, { sharedReads: true });
      ctx.loaders = opts.loaders(ctx);
      return ctx;
    },
  });
  const port = await listen(server, opts.port, opts.host);
  return {
    port,
    url: `${opts.tls ? 'https' : 'http'}://${opts.host ?? '127.0.0.1'}:${port}`,
    stop: async () => {
      await close(server);
      await apollo.stop();
    },
  };
}
