// The gateway's access log (AU-1): one audit event per GraphQL operation, reads
// included, for every caller that belongs to an organisation: operation name and
// type, SHA-256 of the document, top-level fields, ids it referenced, outcome,
// error codes and duration. Events are buffered and posted in batches to the audit
// subgraph's ingest endpoint (service-signed, body-bound, like the outbox relays);
// a failed post keeps them and retries with back-off; stop() flushes what is left.
// Anonymous operations (sign-up, sign-in, the public trust centre) have no org
// chain to go into: the subgraphs' own events cover the mutations among them.
//
// Also here: the export download route, which streams an export from the audit
// subgraph a page at a time (the gateway never holds more than one page).
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import {
  EXPORT_PAGE_AUDIENCE, EXPORT_PAGE_PATH, postAuditEvents, type AuditEvent, type AuditOutcome, type ExportPageResponse,
} from '@packets/audit-log';
import { SERVICE_HEADER, signServiceCall } from '@packets/context';
import { clientIp, sendJson } from '@packets/graphql';
import type { GatewayContext } from './gateway.context';
import { fetcher } from './signed-data-source';

export const ACCESS_LOG_DEFAULTS = {
  /** post at least this often */
  flushIntervalMs: 1000,
  /** or as soon as this many are waiting */
  batchSize: 200,
  /** beyond this many unsent events (audit down for long), the oldest are dropped and counted */
  maxBuffer: 50_000,
};

const DENIED_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);
const UUID_G = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const MAX_IDS = 20;
const MAX_FIELDS = 50;

export interface AccessLogOptions {
  auditUrl: string;
  serviceKey: KeyObject;
  log?: (line: string) => void;
  flushIntervalMs?: number;
  batchSize?: number;
  maxBuffer?: number;
}

function topLevelFields(selectionSet: SelectionSetNode | undefined, document: DocumentNode | undefined, out = new Set<string>()): Set<string> {
  for (const s of selectionSet?.selections ?? []) {
    if (out.size >= MAX_FIELDS) break;
    if (s.kind === Kind.FIELD) out.add(s.name.value);
    else if (s.kind === Kind.INLINE_FRAGMENT) topLevelFields(s.selectionSet, document, out);
    else {
      const fragment = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) topLevelFields(fragment.selectionSet, document, out);
    }
  }
  return out;
}

export class AccessLog {
  private buffer: AuditEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  private dropped = 0;
  private stopped = false;
  private readonly o: Required<Omit<AccessLogOptions, 'log'>> & Pick<AccessLogOptions, 'log'>;

  constructor(opts: AccessLogOptions) {
    this.o = { ...ACCESS_LOG_DEFAULTS, ...opts };
    this.schedule(this.o.flushIntervalMs);
  }

  plugin(): ApolloServerPlugin<GatewayContext> {
    return {
      requestDidStart: () => {
        const startedAt = new Date();
        const started = performance.now();
        return Promise.resolve({
          willSendResponse: (rc: GraphQLRequestContextWillSendResponse<GatewayContext>) => {
            this.record(rc, startedAt, performance.now() - started);
            return Promise.resolve();
          },
        });
      },
    };
  }

  private record(rc: GraphQLRequestContextWillSendResponse<GatewayContext>, startedAt: Date, durationMs: number): void {
    const claims = (rc.contextValue as Partial<GatewayContext>).claims;
    const actor = claims?.actor;
    if (!claims || !actor?.orgId) return;
    const body = rc.response.body;
    const errors = body.kind === 'single' ? body.singleResult.errors ?? [] : [];
    const errorCodes = [...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR')))];
    const outcome: AuditOutcome = errorCodes.some((c) => DENIED_CODES.has(c)) ? 'denied' : errorCodes.length > 0 ? 'failure' : 'success';
    const source = rc.request.query ?? rc.source ?? '';
    const operationType = rc.operation?.operation ?? null;
    const ids = new Set<string>();
    for (const m of `${source}\n${JSON.stringify(rc.request.variables ?? {})}`.matchAll(UUID_G)) {
      if (ids.size >= MAX_IDS) break;
      ids.add(m[0].toLowerCase());
    }
    this.push({
      id: randomUUID(),
      orgId: actor.orgId,
      occurredAt: startedAt.toISOString(),
      actorType: actor.kind,
      actorId: actor.kind === 'apiKey' ? actor.apiKeyId : actor.userId,
      sessionId: actor.sessionId,
      apiKeyId: actor.apiKeyId,
      // graphql.query / graphql.mutation / graphql.subscription; graphql.rejected when it never ran (parse, validation)
      action: operationType ? `graphql.${operationType}` : 'graphql.rejected',
      subjectType: 'Operation',
      subjectId: rc.operationName ?? rc.request.operationName ?? null,
      outcome,
      requestId: claims.meta.requestId,
      ip: claims.meta.ip,
      userAgent: claims.meta.userAgent,
      data: {
        operationName: rc.operationName ?? rc.request.operationName ?? null,
        operationType,
        documentSha256: createHash('sha256').update(source).digest('hex'),
        fields: [...topLevelFields(rc.operation?.selectionSet, rc.document)],
        durationMs: Math.round(durationMs * 10) / 10,
        errorCodes,
        ids: [...ids],
      },
      source: 'gateway',
    });
  }

  private push(event: AuditEvent): void {
    this.buffer.push(event);
    if (this.buffer.length > this.o.maxBuffer) {
      const excess = this.buffer.length - this.o.maxBuffer;
      this.buffer.splice(0, excess);
      this.dropped += excess;
      this.o.log?.(`access log: audit unreachable, ${this.dropped} access events dropped so far`);
    }
    if (this.buffer.length >= this.o.batchSize && this.failures === 0) void this.flushOnce();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.flushOnce().finally(() => {
        const backoff = this.failures === 0 ? this.o.flushIntervalMs : Math.min(this.o.flushIntervalMs * 2 ** this.failures, 30_000);
        this.schedule(backoff);
      });
    }, delay);
    this.timer.unref();
  }

  /** Posts what is buffered, in batches; on failure keeps them for the next try. One at a time. */
  private flushOnce(): Promise<void> {
    // .finally is attached after the assignment, so it always clears this very promise
    this.flushing ??= this.drain().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, 500);
      try {
        await postAuditEvents(this.o.auditUrl, 'gateway', this.o.serviceKey, batch);
      } catch (err) {
        this.failures += 1;
        if (this.failures === 1) this.o.log?.(`access log: ${(err as Error).message}; will retry`);
        return;
      }
      this.failures = 0;
      this.buffer.splice(0, batch.length);
    }
  }

  /** Sends everything buffered now; true when nothing is left. */
  async flush(): Promise<boolean> {
    if (this.flushing) await this.flushing;
    await this.flushOnce();
    return this.buffer.length === 0;
  }

  /** Final flush on shutdown (a few tries), then stop the timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (let i = 0; i < 3 && !(await this.flush()); i++) await new Promise((r) => setTimeout(r, 200 * (i + 1)));
    if (this.buffer.length > 0) this.o.log?.(`access log: ${this.buffer.length} access events could not be delivered at shutdown`);
  }
}

/**
 * GET /audit/exports/download?token=...: streams an export. The token (from
 * exportAuditEvents) is the authorisation; it is short-lived and single use. The
 * audit subgraph serves it a page at a time to this gateway only (service key).
 */
export function exportDownloadRoute(auditUrl: string, serviceKey: KeyObject) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const token = new URL(req.url ?? '/', 'http://local').searchParams.get('token');
    if (!token) return sendJson(res, 400, { errors: [{ message: 'token is required', extensions: { code: 'BAD_USER_INPUT' } }] });
    let cursor: ExportPageResponse['next'] = null;
    let started = false;
    for (;;) {
      // the downloader, for the download's audit event (written with the first page)
      const ua = req.headers['user-agent'];
      const body = JSON.stringify({ token, cursor, client: cursor ? null : { ip: clientIp(req), userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null } });
      const signed = await signServiceCall('gateway', EXPORT_PAGE_AUDIENCE, body, serviceKey);
      const r = await fetcher(`${auditUrl}${EXPORT_PAGE_PATH}`, {
        method: 'POST', headers: { 'content-type': 'application/json', [SERVICE_HEADER]: signed }, body,
      });
      if (!r.ok) {
        if (started) { res.destroy(); return; }
        const message = ((await r.json().catch(() => ({}))) as { error?: string }).error ?? 'export unavailable';
        const code = r.status === 401 ? 'UNAUTHENTICATED' : r.status === 404 ? 'NOT_FOUND' : 'BAD_USER_INPUT';
        return sendJson(res, r.status === 401 || r.status === 404 || r.status === 410 ? r.status : 502, { errors: [{ message, extensions: { code } }] });
      }
      const page = (await r.json()) as ExportPageResponse;
      if (!started) {
        res.writeHead(200, {
          'content-type': page.contentType,
          'content-disposition': `attachment; filename="${page.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        started = true;
      }
      if (!res.write(page.chunk)) await once(res, 'drain');
      if (!page.next) break;
      cursor = page.next;
    }
    res.end();
  };
}
