// Delivers outbox events to the audit subgraph: at-least-once (an event leaves the
// outbox only after the audit subgraph has stored it), idempotent on the receiving
// side by event id, so a crash between the two steps duplicates nothing.
import { Pool } from 'pg';
import type { KeyObject } from 'node:crypto';
import { SERVICE_HEADER, signServiceCall } from '@packets/context';
import type { AuditEvent } from './event';

export const AUDIT_INGEST_AUDIENCE = 'audit:ingest';
export const AUDIT_INGEST_PATH = '/internal/events';

export interface RelayOptions {
  service: string;
  schema: string;
  databaseUrl: string;
  auditUrl: string;
  serviceKey: KeyObject;
  intervalMs?: number;
  batchSize?: number;
  log?: (msg: string) => void;
}

export class OutboxRelay {
  private readonly pool: Pool;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;

  constructor(private readonly opts: RelayOptions) {
    this.pool = new Pool({ connectionString: opts.databaseUrl, max: 1 });
    // an idle connection dropped by the server (restart, shutdown) must not crash the service
    this.pool.on('error', (err) => opts.log?.(`audit relay (${opts.service}): ${err.message}`));
  }

  start(): void {
    this.schedule(0);
  }

  /** Ask for a delivery soon (after a mutation commits). */
  kick(): void {
    if (this.failures === 0) this.schedule(0);
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
    this.schedule(this.failures === 0 ? interval : Math.min(interval * 2 ** this.failures, 30_000));
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
      const body = JSON.stringify({ events: rows.map((r) => r.payload) });
      const token = await signServiceCall(this.opts.service, AUDIT_INGEST_AUDIENCE, body, this.opts.serviceKey);
      const res = await fetch(`${this.opts.auditUrl}${AUDIT_INGEST_PATH}`, {
        method: 'POST', headers: { 'content-type': 'application/json', [SERVICE_HEADER]: token }, body,
      });
      if (!res.ok) throw new Error(`audit ingest answered ${res.status}`);
      await client.query(`select "${schema}".outbox_delivered($1)`, [rows.map((r) => r.id)]);
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
