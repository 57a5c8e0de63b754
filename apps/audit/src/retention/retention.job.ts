// The retention job: the only thing that removes audit events. Per organisation it
// removes the oldest part of the chain whose events are all older than the org's
// retention (default and minimum 3 years), after
//   1. re-verifying that part (a tampered segment is never sealed: the org is skipped
//      and reported), and
//   2. writing a signed 'retention' checkpoint at its last event,
// so the remaining chain starts from a signed hash and still verifies. It runs as
// the packets_audit_retention role (SET ROLE), which the log's triggers let delete
// only events such a checkpoint seals. It runs daily as a job of the audit subgraph
// (retention.schedule.ts) when AUDIT_RETENTION_DATABASE_URL is set, and from the
// command line (`npm run audit-retention`); a per-org lock keeps two runs apart.
import type { KeyObject } from 'node:crypto';
import { Client } from 'pg';
import { AUDIT_RETENTION_ROLE } from '@packets/db';
import { ChainVerifier, signCheckpoint } from '@packets/audit-log';
import { CHECKPOINT_COLUMNS, EVENT_COLUMNS, toChained, toCheckpoint, type CheckpointRow, type EventRow } from '../chain/chain.rows';
import { MIN_RETENTION_DAYS } from '../settings/settings.type';

export interface RetentionOptions {
  /** an administrator URL, or a login role granted packets_audit_retention */
  databaseUrl: string;
  signingKey: KeyObject;
  /** the job's clock (tests inject one) */
  now?: () => Date;
  log?: (line: string) => void;
  /** only these organisations (default: every org with a chain) */
  orgIds?: string[];
}

export interface RetentionReport {
  orgId: string;
  retentionDays: number;
  /** events removed; 0 when nothing was old enough */
  deleted: number;
  /** the retention checkpoint written, when events were removed */
  sealedThroughSeq: number | null;
  /** set when the org was skipped because its old segment does not verify */
  error: string | null;
}

const PAGE = 5000;

export async function runRetention(opts: RetentionOptions): Promise<RetentionReport[]> {
  const client = new Client({ connectionString: opts.databaseUrl });
  await client.connect();
  const reports: RetentionReport[] = [];
  try {
    await client.query('begin');
    await client.query(`set local role ${AUDIT_RETENTION_ROLE}`);
    const orgs = (await client.query<{ org_id: string }>(
      'select org_id from audit.chain_heads where $1::uuid[] is null or org_id = any($1::uuid[]) order by org_id', [opts.orgIds ?? null],
    )).rows;
    await client.query('commit');
    for (const { org_id: orgId } of orgs) {
      const report = await retainOrg(client, opts, orgId);
      if (report.deleted > 0 || report.error) opts.log?.(`audit retention: ${JSON.stringify(report)}`);
      reports.push(report);
    }
  } finally {
    await client.end();
  }
  return reports;
}

/** The run in one line, and whether an org was skipped (its old segment does not verify). */
export function retentionSummary(reports: RetentionReport[]): { line: string; skipped: number } {
  const deleted = reports.reduce((n, r) => n + r.deleted, 0);
  const skipped = reports.filter((r) => r.error).length;
  return { line: `audit retention: ${reports.length} organisations, ${deleted} events removed, ${skipped} skipped`, skipped };
}

async function retainOrg(client: Client, opts: RetentionOptions, orgId: string): Promise<RetentionReport> {
  const now = opts.now?.() ?? new Date();
  await client.query('begin');
  try {
    await client.query(`set local role ${AUDIT_RETENTION_ROLE}`);
    // one run per org at a time (the scheduled job and the command line): the second sees the first's result
    await client.query(`select pg_advisory_xact_lock(hashtextextended('audit-retention:' || $1, 0))`, [orgId]);
    const settings = (await client.query<{ retention_days: number }>('select retention_days from audit.org_settings where org_id = $1', [orgId])).rows[0];
    const retentionDays = Math.max(settings?.retention_days ?? MIN_RETENTION_DAYS, MIN_RETENTION_DAYS);
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    const bounds = (await client.query<{ first: string | null; last: string | null; keep: string | null }>(
      `select min(seq) as first, max(seq) as last, min(seq) filter (where occurred_at >= $2) as keep from audit.events where org_id = $1`,
      [orgId, cutoff],
    )).rows[0];
    const report: RetentionReport = { orgId, retentionDays, deleted: 0, sealedThroughSeq: null, error: null };
    if (!bounds?.first) { await client.query('commit'); return report; }
    // the removable part is a prefix of the chain: up to the first event still within retention
    const through = bounds.keep ? Number(bounds.keep) - 1 : Number(bounds.last);
    if (through < Number(bounds.first)) { await client.query('commit'); return report; }

    const checkpoints = (await client.query<CheckpointRow>(
      `select ${CHECKPOINT_COLUMNS} from audit.checkpoints where org_id = $1 order by seq`, [orgId],
    )).rows.map(toCheckpoint);
    const verifier = new ChainVerifier(orgId, opts.signingKey);
    const base = checkpoints.filter((c) => c.kind === 'retention').at(-1);
    if (base) verifier.setBase(base);
    for (const c of checkpoints) if (c !== base) verifier.addCheckpoint(c);
    let after = Number(bounds.first) - 1;
    while (!verifier.failed && after < through) {
      const rows = (await client.query<EventRow>(
        `select ${EVENT_COLUMNS} from audit.events where org_id = $1 and seq > $2 and seq <= $3 order by seq limit $4`,
        [orgId, after, through, PAGE],
      )).rows;
      if (rows.length === 0) break;
      for (const r of rows) verifier.add(toChained(r));
      after = Number(rows.at(-1)!.seq);
    }
    const result = verifier.finish();
    if (!result.ok || result.headSeq !== through || !result.headHash) {
      await client.query('rollback');
      return { ...report, error: `not sealed: ${result.reason ?? 'segment incomplete'} (seq ${result.firstBrokenSeq ?? result.headSeq})` };
    }
    const cp = signCheckpoint(opts.signingKey, { orgId, seq: through, headHash: result.headHash, signedAt: now.toISOString() });
    await client.query(
      `insert into audit.checkpoints (id, org_id, seq, head_hash, signed_at, key_id, signature, kind) values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'retention')`,
      [orgId, cp.seq, cp.headHash, cp.signedAt, cp.keyId, cp.signature],
    );
    const deleted = await client.query('delete from audit.events where org_id = $1 and seq <= $2', [orgId, through]);
    await client.query('commit');
    return { ...report, deleted: deleted.rowCount ?? 0, sealedThroughSeq: through };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}
