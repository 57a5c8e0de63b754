// Exports of the audit log (AU-3). Requesting one is a mutation (audited like any
// other, in the same transaction as the export record); it fixes what the export
// holds: the filter, the caller's CASL scope and the chain head at that moment, with
// the signed head kept as an 'export' checkpoint. The file itself is produced a page
// at a time when the gateway pulls it (export.routes.ts), so neither the audit
// subgraph nor the gateway ever holds more than one page of events.
import { randomUUID } from 'node:crypto';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import { accessibleFilter, fieldsFilter, hasFieldRules, subjectDefinition } from '@packets/authz';
import {
  CSV_COLUMNS, csvRecord, EXPORT_DOWNLOAD_PATH, writeAuditEvent, EXPORT_FORMAT_VERSION, publicKeyBase64, type ExportPageResponse, type ExportCheckpointLine, type ExportHeaderLine,
} from '@packets/audit-log';
import { appError, ErrorCode, forbidden, runtimeNow, validate } from '@packets/graphql';
import { AuditEventEntity } from '../event/event.entity';
import { cleanFilter, filterWhere, type CleanFilter } from '../event/event.service';
import type { AuditFilter } from '../event/event.type';
import { insertCheckpoint } from '../chain/chain.append';
import { CHECKPOINT_COLUMNS, headCheckpoint, toCheckpoint, type CheckpointRow, type HeadRow } from '../chain/chain.rows';
import type { AuditContext, AuditRuntime } from '../audit.context';
import { ExportEntity } from './export.entity';
import { MAX_DOWNLOAD_SECONDS, signExportToken } from './export.token';
import { AuditExportFormat, type AuditExport } from './export.type';

export const EXPORT_PAGE = 2000;

interface StoredFilter {
  filter: CleanFilter;
  /** the requester's ability as a filter, fixed at request time */
  scope: Record<string, unknown>;
}

export async function requestExport(ctx: AuditContext, filter: AuditFilter | null | undefined, format: AuditExportFormat): Promise<AuditExport> {
  ctx.authorize('read', 'AuditEvent');
  const scope = accessibleFilter(ctx.ability, 'read', 'AuditEvent');
  if (!scope) throw ctx.denied(forbidden(), 'read', 'AuditEvent');
  // An export copies whole events (the verifier needs every field to recompute the chain), so a role
  // whose rules hide any field of an event it may read cannot export: the file would show that field.
  const whole = JSON.stringify(scope);
  const field = hasFieldRules(ctx.ability, 'read', 'AuditEvent')
    ? (subjectDefinition('AuditEvent')?.fields ?? []).find((f) => JSON.stringify(fieldsFilter(ctx.ability, 'read', 'AuditEvent', [f])) !== whole)
    : undefined;
  if (field) {
    throw ctx.denied(appError(ErrorCode.FORBIDDEN, `An export holds whole events: you are not allowed to read ${field} of AuditEvent`, { field, subject: 'AuditEvent' }),
      'read', 'AuditEvent');
  }
  const clean = cleanFilter(filter);
  const fmt = validate.oneOf(format, 'format', [AuditExportFormat.JSONL, AuditExportFormat.CSV]);
  const contiguous = Object.keys(clean).length === 0 && Object.keys(scope).length === 0;
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.runtime.tuning.exportUrlTtlSeconds * 1000);
  const id = randomUUID();
  const headSeq = await ctx.mutate(async (em) => {
    // the chain lock waits for an append in flight: head and max(seq) then agree, and any
    // event above the signed head can only be a forgery (the verifier will say so)
    const [head] = await em.execute<HeadRow[]>(
      `select org_id, seq, hash, signed_at, key_id, signature from audit.chain_head_lock(?)`, [ctx.orgId],
    );
    const [max] = await em.execute<{ seq: string | null }[]>(`select max(seq) as seq from audit.events where org_id = ?`, [ctx.orgId]);
    const upTo = Number(max?.seq ?? 0);
    const signed = head ? headCheckpoint(head) : null;
    if (signed) {
      const [exists] = await em.execute<{ n: string }[]>(
        `select count(*) as n from audit.checkpoints where org_id = ? and seq = ? and head_hash = ?`, [ctx.orgId, signed.seq, signed.headHash],
      );
      if (Number(exists?.n ?? 0) === 0) await insertCheckpoint(em, signed, 'export');
    }
    em.create(ExportEntity, {
      id, orgId: ctx.orgId, requestedBy: ctx.actor.userId, format: fmt, filter: { filter: clean, scope } satisfies StoredFilter,
      headSeq: String(upTo), createdAt: now, expiresAt, downloadStartedAt: null,
    });
    return {
      result: upTo,
      audit: { action: 'audit.export', subjectType: 'AuditExport', subjectId: id, data: { format: fmt, filter: { ...clean }, headSeq: upTo } },
    };
  });
  const token = await signExportToken(ctx.runtime.exportTokenKey, id, ctx.orgId, expiresAt, now);
  return { id, format: fmt, url: `${EXPORT_DOWNLOAD_PATH}?token=${token}`, expiresAt, headSeq, contiguous };
}

export interface ExportCursor { afterSeq: number }

/** Who fetched the download URL, as the gateway saw the request. */
export interface DownloadClient { ip: string | null; userAgent: string | null }

export const EXPORT_DOWNLOAD_ACTION = 'audit.export_download';

/**
 * The download of an export, in the audit log: written into the audit subgraph's own
 * outbox in the transaction that marks the single-use URL as used (or refuses it), so
 * the file never leaves without its record. The actor is the export's requester (the
 * URL is theirs); the IP and user agent are those of whoever fetched it.
 */
async function auditDownload(
  em: EntityManager, exp: ExportEntity, client: DownloadClient | null, outcome: 'success' | 'denied', reason: string | null,
): Promise<void> {
  await writeAuditEvent(em, 'audit', {
    id: randomUUID(), orgId: exp.orgId, occurredAt: new Date().toISOString(), actorType: exp.requestedBy ? 'user' : 'system',
    actorId: exp.requestedBy ?? null, sessionId: null, apiKeyId: null, action: EXPORT_DOWNLOAD_ACTION, subjectType: 'AuditExport',
    subjectId: exp.id, outcome, requestId: null, ip: client?.ip ?? null, userAgent: client?.userAgent ?? null,
    data: { format: exp.format, headSeq: Number(exp.headSeq), ...(reason ? { reason } : {}) }, source: 'audit',
  });
}

type ExportPage = ExportPageResponse;

/**
 * One page of an export's file. The first call (no cursor) is allowed once: a
 * download URL is single use. Runs in the org's tenant transaction.
 */
export async function exportPage(
  em: EntityManager, runtime: AuditRuntime, exportId: string, orgId: string, cursor: ExportCursor | null, client: DownloadClient | null = null,
): Promise<ExportPage | { status: number; error: string }> {
  const exp = await em.findOne(ExportEntity, { id: exportId, orgId });
  const now = runtimeNow(runtime);
  if (!exp) return { status: 404, error: 'no such export' };
  if (!cursor) {
    const refused = exp.expiresAt <= now ? 'export link expired' : exp.downloadStartedAt ? 'export already downloaded' : null;
    await auditDownload(em, exp, client, refused ? 'denied' : 'success', refused);
    if (refused) return { status: 410, error: refused };
    exp.downloadStartedAt = now;
    await em.flush();
  } else if (!exp.downloadStartedAt) {
    return { status: 400, error: 'start the download from the beginning' };
  } else if (exp.downloadStartedAt.getTime() + MAX_DOWNLOAD_SECONDS * 1000 <= now.getTime()) {
    return { status: 410, error: 'download took too long; request a new export' };
  }
  const stored = exp.filter as unknown as StoredFilter;
  const headSeq = Number(exp.headSeq);
  const csv = exp.format === 'CSV';
  const contentType = csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
  const filename = `audit-${orgId}-${exp.id}.${csv ? 'csv' : 'jsonl'}`;
  let chunk = '';
  if (!cursor && !csv) chunk += await jsonlPreamble(em, runtime, exp, stored, headSeq);
  const after = cursor?.afterSeq ?? 0;
  const where: FilterQuery<AuditEventEntity>[] = [
    stored.scope, ...filterWhere(stored.filter), { seq: { $gt: String(after), $lte: String(headSeq) } },
  ];
  // plain rows, no entities: a page is read, written out and forgotten
  const rows = await em.createQueryBuilder(AuditEventEntity).select('*').where({ $and: where }).orderBy({ seq: 'asc' }).limit(EXPORT_PAGE)
    .execute<AuditEventEntity[]>('all', true);
  const events = rows.map((r) => ({
    id: r.id, orgId: r.orgId, seq: Number(r.seq), prevHash: r.prevHash, hash: r.hash, occurredAt: new Date(r.occurredAt).toISOString(),
    receivedAt: new Date(r.receivedAt).toISOString(), actorType: r.actorType as 'user', actorId: r.actorId, sessionId: r.sessionId, apiKeyId: r.apiKeyId,
    action: r.action, subjectType: r.subjectType, subjectId: r.subjectId, outcome: r.outcome as 'success', requestId: r.requestId,
    ip: r.ip, userAgent: r.userAgent, data: r.data, source: r.source,
  }));
  if (csv) {
    chunk += stringify(events.map(csvRecord), { header: !cursor, columns: [...CSV_COLUMNS] });
  } else {
    for (const e of events) chunk += `${JSON.stringify({ type: 'event', ...e })}\n`;
  }
  const next = rows.length === EXPORT_PAGE ? { afterSeq: Number(rows.at(-1)!.seq) } : null;
  return { contentType, filename, chunk, next };
}

/** Header line and the signed checkpoints the offline verifier needs before the events. */
async function jsonlPreamble(
  em: EntityManager, runtime: AuditRuntime, exp: ExportEntity, stored: StoredFilter, headSeq: number,
): Promise<string> {
  const contiguous = Object.keys(stored.filter).length === 0 && Object.keys(stored.scope).length === 0;
  const header: ExportHeaderLine = {
    type: 'export', version: EXPORT_FORMAT_VERSION, exportId: exp.id, orgId: exp.orgId, exportedAt: exp.createdAt.toISOString(),
    contiguous, filter: { ...stored.filter }, headSeq, keyId: runtime.keyId, publicKey: publicKeyBase64(runtime.publicKey),
  };
  const checkpoints = (await em.execute<CheckpointRow[]>(
    `select ${CHECKPOINT_COLUMNS} from audit.checkpoints where org_id = ? and seq <= ? order by seq, created_at`, [exp.orgId, headSeq],
  )).map(toCheckpoint);
  const base = checkpoints.filter((c) => c.kind === 'retention').at(-1);
  // the head: the newest signed state at or below headSeq (the export's own checkpoint,
  // taken from the signed chain head); an event above it was never signed by the service
  const head = checkpoints.filter((c) => c.kind !== 'retention').at(-1);
  const lines = [JSON.stringify(header)];
  for (const c of checkpoints) {
    const role = c === base ? 'base' : c === head ? 'head' : 'checkpoint';
    const line: ExportCheckpointLine = { type: 'checkpoint', role, ...c };
    lines.push(JSON.stringify(line));
  }
  return `${lines.join('\n')}\n`;
}
