// The one way a subgraph starts and stops. Each app names only its own parts
// (entities, schema, loaders, routes, jobs, runtime fields); the order is here:
// ORM -> outbox relay -> runtime -> schema -> jobs -> relay delivery -> background
// -> server, and one stop() that undoes them in reverse (also when a later step
// fails at start-up). Jobs start before the server listens, so that a request can
// send one from its first moment.
import type { GraphQLSchema } from 'graphql';
import type { SubgraphConfig } from '@packets/config';
import { createOrm, type OrmOptions } from '@packets/db';
import { OutboxRelay, type AuditEvent } from '@packets/audit-log';
import { startJobs, type JobDefinition, type Jobs } from '@packets/jobs';
import type { HttpAppOptions, Route, RunningServer } from '@packets/http';
import { startSubgraphServer } from './server';
import type { JobSender, RequestContext, SubgraphRuntime } from './request-context';

export interface StartSubgraphOptions<L, R extends SubgraphRuntime = SubgraphRuntime> {
  /** the service: its PostgreSQL schema, its outbox, the audience of its signed contexts */
  name: string;
  config: SubgraphConfig;
  entities: OrmOptions['entities'];
  schema: () => Promise<{ schema: GraphQLSchema }>;
  loaders: (ctx: RequestContext<L>) => L;
  /** the app's runtime: the base (name, orm, contextKey, relay, jobs, now) and its own fields; the base alone by default */
  runtime?: (base: SubgraphRuntime) => R;
  /** JSON routes, keyed "METHOD /path" (/ready is added) */
  routes?: (runtime: R) => Record<string, Route>;
  /** handlers that stream their own request and response (uploads, downloads) */
  raw?: (runtime: R) => NonNullable<HttpAppOptions<RequestContext<L>>['raw']>;
  /**
   * Delivers the outbox in-process instead of posting it to the audit subgraph
   * (the audit subgraph appends its own events). Called only once delivery has
   * started, so it may use the runtime.
   */
  sink?: (runtime: R, events: AuditEvent[]) => Promise<void>;
  /** the subgraph's jobs (@packets/jobs): their handlers may use the runtime, which sends through runtime.jobs */
  jobs?: (runtime: R) => JobDefinition[];
  /** background work the app starts once the runtime exists; its stop() runs right after the server's */
  background?: (runtime: R) => { start(): void; stop(): Promise<void> };
  /** closes what `runtime` opened (a mailer, a counter store), after everything else, before the ORM */
  close?: (runtime: R) => Promise<void> | void;
  /** the injectable clock (tests); real time otherwise */
  now?: () => Date;
}

/** A step to undo at stop, newest first. */
type Undo = () => Promise<void> | void;

export async function startSubgraph<L, R extends SubgraphRuntime = SubgraphRuntime>(opts: StartSubgraphOptions<L, R>): Promise<RunningServer> {
  const { name, config } = opts;
  const log = (m: string) => console.warn(m);
  const undo: Undo[] = [];
  const stop = async () => {
    // each step undone even when an earlier undo failed; the first failure is reported
    let failure: Error | null = null;
    for (const step of undo.splice(0).reverse()) {
      try { await step(); } catch (err) { failure ??= err instanceof Error ? err : new Error(String(err)); }
    }
    if (failure) throw failure;
  };
  try {
    const orm = await createOrm({ schema: name, clientUrl: config.databaseUrl, entities: opts.entities });
    undo.push(() => orm.close(true));
    let runtime: R | null = null;
    const sink = opts.sink;
    const relay = new OutboxRelay({
      service: name, schema: name, databaseUrl: config.databaseUrl, intervalMs: config.relayIntervalMs, log,
      ...(sink
        ? { sink: (events: AuditEvent[]) => sink(runtime!, events) }
        : { auditUrl: config.auditUrl, serviceKey: config.servicePrivateKey }),
    });
    let jobs: Jobs | null = null;
    const base: SubgraphRuntime = { name, orm, contextKey: config.contextPublicKey, relay, jobs: jobSender(name, () => jobs), now: opts.now };
    const rt = opts.runtime ? opts.runtime(base) : (base as R);
    runtime = rt;
    if (opts.close) { const close = opts.close; undo.push(() => close(rt)); }
    const { schema } = await opts.schema();
    const definitions = opts.jobs?.(rt) ?? [];
    if (definitions.length > 0) {
      const started = await startJobs({
        databaseUrl: config.databaseUrl, service: name, jobs: definitions, log, namespace: config.jobsNamespace ?? undefined,
      });
      jobs = started;
      undo.push(() => started.stop());
    }
    relay.start();
    undo.push(() => relay.stop());
    const background = opts.background?.(rt);
    if (background) {
      background.start();
      undo.push(() => background.stop());
    }
    const server = await startSubgraphServer({
      runtime: rt, schema, loaders: opts.loaders, port: config.port, host: config.host, dev: config.dev, tls: config.tls,
      routes: opts.routes?.(rt), raw: opts.raw?.(rt),
    });
    undo.push(() => server.stop());
    return { port: server.port, url: server.url, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** runtime.jobs: sends to the subgraph's scheduler once it runs; a subgraph without jobs has nothing to send to. */
function jobSender(service: string, jobs: () => Jobs | null): JobSender {
  return {
    send: (job, data, o) => {
      const running = jobs();
      return running ? running.send(job, data, o) : Promise.reject(new Error(`${service} has no scheduler running for job ${job}`));
    },
  };
}
