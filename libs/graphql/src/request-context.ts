// The one per-request object every resolver receives: the verified actor, the
// CASL ability built from the actor's rules, a forked EntityManager, DataLoaders,
// and the helpers that keep every write in a tenant transaction with its audit event.
import type { IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  CONTEXT_HEADER, ContextVerificationError, verifyRequestContext, type Actor, type RequestMeta,
} from '@packets/context';
import { abilityFromPacked, can, type Action, type AppAbility } from '@packets/authz';
import { tenantTx } from '@packets/db';
import type { Jobs } from '@packets/jobs';
import { buildEvent, writeAuditEvent, type AuditEntry, type OutboxRelay } from '@packets/audit-log';
import { GraphQLError } from 'graphql';
import { forbidden, unauthenticated } from '@packets/http';
import { withWriteRules } from './field-rules';
import { RequestTransaction } from './request-tx';

/** Sends a job to the subgraph's scheduler (@packets/jobs); rejects for a subgraph without jobs. */
export type JobSender = Pick<Jobs, 'send'>;

/** What every subgraph's runtime holds (startSubgraph builds it; each app adds its own fields). */
export interface SubgraphRuntime {
  name: string;
  orm: MikroORM;
  contextKey: KeyObject;
  relay: OutboxRelay;
  jobs: JobSender;
  now?: () => Date;
}

/**
 * The runtime's clock, for work without a request (relays, jobs, retention, routes
 * before a context exists): the injectable one (tests), else real time.
 */
export function runtimeNow(runtime: Pick<SubgraphRuntime, 'now'>): Date {
  return runtime.now?.() ?? new Date();
}

export class RequestContext<L = unknown> {
  readonly ability: AppAbility;
  readonly em: EntityManager;
  loaders!: L;
  /** the request's one transaction for the reads of the actor's org (null: each ctx.tx() has its own) */
  private readonly reads: RequestTransaction | null;

  /**
   * `sharedReads`: the caller ends the request with `endRequest()` (the subgraph
   * server does, when the response is ready), so the request's reads can share one
   * transaction. Without it (routes outside GraphQL) every ctx.tx() is its own.
   */
  constructor(readonly runtime: SubgraphRuntime, readonly actor: Actor, readonly meta: RequestMeta, opts: { sharedReads?: boolean } = {}) {
    this.ability = abilityFromPacked(actor.rules);
    this.em = runtime.orm.em.fork();
    this.reads = opts.sharedReads && this.isAuthenticated && actor.orgId ? new RequestTransaction(this.em, actor.orgId) : null;
  }

  /** The request's clock: the runtime's injectable one (tests), else real time. The only clock business rules read. */
  now(): Date {
    return runtimeNow(this.runtime);
  }

  get isAuthenticated(): boolean {
    return this.actor.kind !== 'anonymous' && this.actor.orgId !== null;
  }

  /** The organisation of the signed context; the only source of org scope. */
  get orgId(): string {
    if (!this.isAuthenticated || !this.actor.orgId) throw unauthenticated();
    return this.actor.orgId;
  }

  /** Throws FORBIDDEN unless the ability allows the action (on the object, when given). Refusals are audited. */
  authorize(action: Action, subjectType: string, obj?: Record<string, unknown>): void {
    if (!this.isAuthenticated) throw this.denied(unauthenticated(), action, subjectType, obj);
    if (!can(this.ability, action, subjectType, obj)) throw this.denied(forbidden(), action, subjectType, obj);
  }

  private readonly deniedLogged = new WeakSet<GraphQLError>();

  /**
   * Records a refusal (FORBIDDEN, UNAUTHENTICATED) of a known session or API key as
   * an `access.denied` event, in its own tenant transaction: the request's own
   * transaction is rolled back or never starts. Not awaited, so that authorize()
   * stays synchronous; a failed write is reported, never turned into the answer.
   * Returns the error for `throw ctx.denied(...)`.
   */
  denied(err: GraphQLError, action?: Action, subjectType?: string, obj?: Record<string, unknown>): GraphQLError {
    return this.recordDenied(err, {
      action: 'access.denied', subjectType,
      subjectId: typeof obj?.id === 'string' ? obj.id : undefined,
      data: { attempted: action ?? null },
    });
  }

  /**
   * The same record under the operation's own action name and details (an escalation
   * refused inside `role.create`, say). Each error is recorded once, however many
   * layers see it go by.
   */
  recordDenied(err: GraphQLError, entry: AuditEntry): GraphQLError {
    const orgId = this.actor.orgId;
    if (!orgId || (!this.actor.sessionId && !this.actor.apiKeyId) || this.deniedLogged.has(err)) return err;
    this.deniedLogged.add(err);
    const event = buildEvent(this.runtime.name, this.actor, this.meta, {
      ...entry, orgId, outcome: 'denied', data: { ...entry.data, code: err.extensions.code, reason: err.message },
    });
    void tenantTx(this.runtime.orm.em.fork(), orgId, (em) => writeAuditEvent(em, this.runtime.name, event)).then(
      () => this.runtime.relay.kick(),
      (e: unknown) => console.error(`audit: a denied event could not be written: ${(e as Error).message}`),
    );
    return err;
  }

  /**
   * A read in a tenant transaction for the actor's org: the request's shared one
   * (request-tx.ts), or its own for another org or outside GraphQL. Writes belong
   * in mutate(); a call that throws has its transaction rolled back.
   */
  tx<T>(fn: (em: EntityManager) => Promise<T>, orgId: string = this.orgId): Promise<T> {
    const reads = this.reads;
    if (reads && orgId === reads.orgId) return withWriteRules(this, () => reads.run(fn));
    return withWriteRules(this, async () => {
      await this.beforeOwnTransaction();
      return tenantTx(this.em, orgId, fn);
    });
  }

  /**
   * Ends the request's shared transaction: `last` (the access event) is written in
   * it just before it commits. Resolves whether `last` ran there; rejects when it or
   * the commit failed. Later ctx.tx() calls get transactions of their own.
   */
  endRequest(last?: (em: EntityManager) => Promise<void>): Promise<boolean> {
    return this.reads ? this.reads.end(last) : Promise.resolve(false);
  }

  /**
   * A transaction of its own (a mutation, another org's read) starts once the shared
   * one has committed: it never waits on locks its own request holds, and the
   * request never holds one connection while it waits for another. A call made from
   * inside a shared read cannot wait for that read to end, and goes ahead.
   */
  private async beforeOwnTransaction(): Promise<void> {
    if (this.reads && !this.reads.nested) await this.reads.settle();
  }

  /**
   * A mutation: the change and its audit event in one tenant transaction. If
   * anything throws, neither is written.
   */
  async mutate<T>(
    fn: (em: EntityManager) => Promise<{ result: T; audit: AuditEntry }> | { result: T; audit: AuditEntry },
    orgId: string = this.orgId,
  ): Promise<T> {
    await this.beforeOwnTransaction();
    // every write is checked field by field against the actor's rules (field-rules.ts)
    const result = await withWriteRules(this, () => tenantTx(this.em, orgId, async (em) => {
      const out = await fn(em);
      await em.flush();
      await writeAuditEvent(em, this.runtime.name, buildEvent(this.runtime.name, this.actor, this.meta, { orgId, ...out.audit }));
      return out.result;
    })).catch((err: unknown) => {
      // an object-level refusal inside the mutation rolled its work back: record the attempt
      const code = err instanceof GraphQLError ? err.extensions.code : undefined;
      if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') this.denied(err as GraphQLError);
      throw err;
    });
    this.runtime.relay.kick();
    return result;
  }
}

export async function verifiedContext(
  req: IncomingMessage, runtime: SubgraphRuntime,
): Promise<{ actor: Actor; meta: RequestMeta }> {
  const header = req.headers[CONTEXT_HEADER];
  try {
    return await verifyRequestContext(
      // transport freshness is real time; the runtime clock (injectable in tests) is for business rules
      Array.isArray(header) ? header[0] : header, runtime.name, runtime.contextKey, new Date(),
    );
  } catch (err) {
    if (err instanceof ContextVerificationError) throw unauthenticated('A valid signed request context is required', 401);
    throw err;
  }
}
