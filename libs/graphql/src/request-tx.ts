// One tenant transaction per request for the request's reads (issue 9). The first
// ctx.tx() opens it (BEGIN, set_config app.org_id); the request's loaders and
// services share it on one connection; it commits when the response is ready, with
// the read's access event written in it just before (access-audit.ts). Mutations
// keep their own transaction: the shared one commits before a mutation starts, so
// the mutation never waits on locks of its own request and a request never holds
// two connections while it waits for one; reads after the mutation open a new one,
// which sees the mutation's writes (READ COMMITTED).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tenantTx } from '@packets/db';

/** Backstop: a shared transaction still open this long is rolled back (a request that never ended). */
export const REQUEST_TX_MAX_MS = 120_000;

class Rollback extends Error {}

/** PostgreSQL's answer to a statement sent in a transaction an earlier error aborted. */
const IN_FAILED_TRANSACTION = '25P02';

/** Whether `err` (or what it wraps) is a statement refused because its transaction had already failed. */
function refusedForAbortedTransaction(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, sqlState } = e as { code?: unknown; sqlState?: unknown };
    if (code === IN_FAILED_TRANSACTION || sqlState === IN_FAILED_TRANSACTION) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

interface Shared {
  /** the transaction's EntityManager, once BEGIN and set_config have run */
  em: Promise<EntityManager>;
  /** calls running in it now */
  users: number;
  /** a settle is waiting for its calls: callers from outside wait for the next transaction */
  closing: boolean;
  /** its calls are done and it is committing or rolling back: nobody may join */
  ending: boolean;
  /** a call in it threw: roll it back rather than commit (reads lose nothing; a throwing call's work never commits) */
  failed: boolean;
  /** called when the last running call is done, while a settle waits */
  idle: (() => void) | null;
  /** ends the transaction's callback: commit (true) or roll back */
  end: (commit: boolean) => void;
  /** settles when the transaction has committed or rolled back; rejects when it could not begin or commit */
  done: Promise<void>;
  timer: NodeJS.Timeout;
}

/** The shared transaction the current call runs in: a nested ctx.tx() joins it whatever its state. */
const within = new AsyncLocalStorage<Shared>();

export class RequestTransaction {
  private shared: Shared | null = null;
  private closing: Promise<boolean> | null = null;
  private ended = false;

  constructor(private readonly em: EntityManager, readonly orgId: string) {}

  /** Whether the caller runs inside one of this request's shared calls (so it must not wait for that one to end). */
  get nested(): boolean {
    const s = within.getStore();
    return s !== undefined && s === this.shared && !s.ending;
  }

  /** Runs `fn` in the request's transaction, opening it if need be; after the request ended, in a transaction of its own. */
  async run<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    let s: Shared;
    if (this.nested) {
      s = this.shared!;
    } else {
      for (;;) {
        if (this.ended) return tenantTx(this.em, this.orgId, fn);
        const cur = this.shared;
        if (!cur) break;
        // waiting for its calls to end, or failed while calls still run in it: never wait for
        // those calls (one may be waiting for this one: a loader batch another resolver
        // scheduled); this call takes a transaction of its own
        if (cur.closing ? !cur.ending : cur.failed && cur.users > 0) return tenantTx(this.em, this.orgId, fn);
        // committing or rolling back: that waits on nothing, so wait for it
        if (cur.closing) await this.closing?.catch(() => undefined);
        // failed (or rolled back by the backstop) and idle: retire it
        else if (cur.failed || cur.ending) void this.close().catch(() => undefined);
        else break;
      }
      s = this.shared ??= this.begin();
    }
    s.users += 1;
    try {
      const em = await s.em;
      const out = await within.run(s, () => fn(em));
      await em.flush();
      return out;
    } catch (err) {
      s.failed = true;
      // another call's statement failed and PostgreSQL aborted the shared transaction under
      // this one (a value it refused in one loader batch): this read is not at fault, so it
      // runs again in a transaction of its own instead of failing its field
      if (!refusedForAbortedTransaction(err)) throw err;
    } finally {
      s.users -= 1;
      if (s.users === 0) s.idle?.();
    }
    return tenantTx(this.em, this.orgId, fn);
  }

  /** Commits the open transaction (rolls it back when a call in it failed) once its running calls are done. */
  async settle(): Promise<void> {
    while (this.closing) await this.closing.catch(() => undefined);
    await this.close();
  }

  /**
   * Ends the request: `last` (the access event) runs in the open transaction just
   * before it commits, unless a call in it failed. Resolves whether `last` ran there
   * (and committed); rejects when `last` or the commit failed. Any later ctx.tx()
   * runs in a transaction of its own.
   */
  async end(last?: (em: EntityManager) => Promise<void>): Promise<boolean> {
    this.ended = true;
    while (this.closing) await this.closing.catch(() => undefined);
    return this.close(last);
  }

  private close(last?: (em: EntityManager) => Promise<void>): Promise<boolean> {
    const s = this.shared;
    if (!s) return Promise.resolve(false);
    s.closing = true;
    const closing: Promise<boolean> = (async () => {
      if (s.users > 0) await new Promise<void>((resolve) => { s.idle = () => { s.ending = true; resolve(); }; });
      s.ending = true;
      clearTimeout(s.timer);
      let ranLast = false;
      let lastError: Error | null = null;
      if (last && !s.failed) {
        try {
          await last(await s.em);
          ranLast = true;
        } catch (err) {
          s.failed = true;
          lastError = err instanceof Error ? err : new Error(String(err));
        }
      }
      s.end(!s.failed);
      if (s.failed) await s.done.catch(() => undefined);
      else await s.done;
      if (lastError) throw lastError;
      return ranLast;
    })().finally(() => {
      if (this.shared === s) this.shared = null;
      if (this.closing === closing) this.closing = null;
    });
    this.closing = closing;
    return closing;
  }

  private begin(): Shared {
    let end!: (commit: boolean) => void;
    const ended = new Promise<boolean>((resolve) => { end = resolve; });
    let opened!: (em: EntityManager) => void;
    const em = new Promise<EntityManager>((resolve) => { opened = resolve; });
    const done = tenantTx(this.em, this.orgId, async (tem) => {
      opened(tem);
      if (!(await ended)) throw new Rollback();
    }).then(() => undefined, (err: unknown) => { if (!(err instanceof Rollback)) throw err; });
    const timer = setTimeout(() => {
      console.error(`request transaction for org ${this.orgId} still open after ${REQUEST_TX_MAX_MS} ms: rolled back`);
      s.failed = true;
      s.ending = true;
      end(false);
      s.idle?.(); // a settle waiting for its calls goes on
    }, REQUEST_TX_MAX_MS);
    timer.unref();
    const s: Shared = {
      // BEGIN or set_config failing ends the transaction before it opened: its callers see that error
      em: Promise.race([em, done.then(() => { throw new Error('the request transaction ended before it opened'); })]),
      users: 0, closing: false, ending: false, failed: false, idle: null, end, done, timer,
    };
    return s;
  }
}
