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

  constructor(readonly runtime: SubgraphRuntime, readonly actor: Actor, readonly meta: RequestMeta) {
    this.ability = abilityFromPacked(actor.rules);
    this.em = runtime.orm.em.fork();
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

  /** A read or write inside a tenant transaction for the actor's org. */
  tx<T>(fn: (em: EntityManager) => Promise<T>, orgId: string = this.orgId): Promise<T> {
    return withWriteRules(this, () => tenantTx(this.em, orgId, fn));
  }

  /**
   * A mutation: the change and its audit event in one tenant transaction. If
   * anything throws, neither is written.
   */
  async mutate<T>(
    fn: (em: EntityManager) => Promise<{ result: T; audit: AuditEntry }> | { result: T; audit: AuditEntry },
    orgId: string = this.orgId,
  ): Promise<T> {
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
