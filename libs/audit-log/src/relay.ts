// Delivers outbox events to the audit subgraph: at-least-once (an event leaves the
// outbox only after the audit subgraph has stored it), idempotent on the receiving
// side by event id, so a crash between the two steps duplicates nothing. Claim,
// post and delete happen in one transaction: the delete function clears only the
// rows that transaction claimed. Each relay signs with its own service's key, and
// the audit subgraph accepts from it only events naming that service as source.
import { Pool } from 'pg';
import type { KeyObject } from 'node:crypto';
import { auditIngest, callService, type ServiceName } from '@packets/context';
import { backoff } from '@packets/jobs';
import type { AuditEvent } from './event';

/** One service-signed, body-bound POST to the audit subgraph's ingest endpoint (the auditIngest protocol of @packets/context). */
export async function postAuditEvents(auditUrl: string, service: string, key: KeyObject, events: AuditEvent[]): Promise<void> {
  const r = await callService(auditIngest, { service: service as ServiceName, key }, auditUrl, { events: events as unknown as Record<string, unknown>[] });
  if (!r.ok) throw new Error(`audit ingest answered ${r.status}`);
}

const KICK_DELAY_MS = 20;

interface RelayCommon {
  service: string;
  schema: string;
  databaseUrl: string;
  intervalMs?: number;
  batchSize?: number;
  log?: (msg: string) => void;
}

/** Over HTTP to the audit subgraph's ingest endpoint, signed with the service's own key. */
export interface HttpRelayOptions extends RelayCommon {
  auditUrl: string;
  serviceKey: KeyObject;
  sink?: never;
}

/**
 * In-process instead of over HTTP: the audit subgraph relays its own outbox
 * (exports, alert acknowledgements...) straight into its append path.
 */
export interface SinkRelayOptions extends RelayCommon {
  sink: (events: AuditEvent[]) => Promise<void>;
  auditUrl?: never;
  serviceKey?: never;
}

export type RelayOptions = HttpRelayOptions | SinkRelayOptions;

export class OutboxRelay {
  private readonly pool: Pool;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  private kickPending = false;

  constructor(private readonly opts: RelayOptions) {
    this.pool = new Pool({ connectionString: opts.databaseUrl, max: 1 });
    // an idle connection dropped by the server (restart, shutdown) must not crash the service
    this.pool.on('error', (err) => opts.log?.(`audit relay (${opts.service}): ${err.message}`));
  }

  start(): void {
    this.schedule(0);
  }

  /**
   * Ask for a delivery soon (after a mutation commits). A short delay lets a burst of
   * mutations travel in one batch instead of one round trip (and one signed append) each.
   */
  kick(): void {
    if (this.failures === 0 && !this.kickPending) {
      this.kickPending = true;
      this.schedule(KICK_DELAY_MS);
    }
  }

  /** Deliver everything pending now; resolves when the outbox is empty or delivery failed. */
  async flush(): Promise<boolean> {
    if (this.running) await this.running;
    for (;;) {
      const delivered = await this.deliverBatch();
      if (delivered <= 0) return delivered === 0;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running.catch(() => undefined);
    await this.pool.end();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.kickPending = false;
    if (this.running || this.stopped) return;
    this.running = (async () => {
      let delivered = 0;
      do {
        delivered = await this.deliverBatch();
      } while (delivered > 0 && !this.stopped);
    })();
    await this.running;
    this.running = null;
    const interval = this.opts.intervalMs ?? 1000;
    // after a failure: the shared back-off (twice the interval, doubling, at most 30 s), jittered so replicas spread out
    this.schedule(this.failures === 0 ? interval : backoff(this.failures, { baseMs: 2 * interval, maxMs: 30_000, jitter: true }));
  }

  private deliver(events: AuditEvent[]): Promise<void> {
    const o = this.opts;
    return o.sink ? o.sink(events) : postAuditEvents(o.auditUrl, o.service, o.serviceKey, events);
  }

  /** Returns the number delivered, or -1 when delivery failed. */
  private async deliverBatch(): Promise<number> {
    const { schema, batchSize = 200 } = this.opts;
    const client = await this.pool.connect().catch(() => null);
    if (!client) { this.failures += 1; return -1; }
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string; payload: AuditEvent }>(
        `select id, payload from "${schema}".outbox_pending($1)`, [batchSize],
      );
      if (rows.length === 0) { await client.query('commit'); this.failures = 0; return 0; }
      await this.deliver(rows.map((r) => r.payload));
      // deletes only the rows this transaction claimed in outbox_pending (finding 7)
      const { rows: [gone] } = await client.query<{ n: number }>(`select "${schema}".outbox_delivered($1) as n`, [rows.map((r) => r.id)]);
      if (gone?.n !== rows.length) this.opts.log?.(`audit relay (${this.opts.service}): ${rows.length} delivered, ${gone?.n ?? 0} cleared`);
      await client.query('commit');
      this.failures = 0;
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      this.failures += 1;
      if (this.failures === 1) this.opts.log?.(`audit relay (${this.opts.service}): ${(err as Error).message}; will retry`);
      return -1;
    } finally {
      client.release();
    }
  }
}
