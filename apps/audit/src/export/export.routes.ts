// The page endpoint behind an export download. Only the gateway calls it (its
// service key, body-bound); the export token it forwards is the user's authorisation.
import { SERVICE_HEADER, verifyServiceCall, type ServiceKeys } from '@packets/context';
import { tenantTx } from '@packets/db';
import { EXPORT_PAGE_AUDIENCE, EXPORT_PAGE_PATH } from '@packets/audit-log';
import { runtimeNow, type Route } from '@packets/graphql';
import type { AuditRuntime } from '../audit.context';
import { exportPage, type ExportCursor } from './export.service';
import { verifyExportToken } from './export.token';


export function exportRoutes(runtime: AuditRuntime, senders: ServiceKeys): Record<string, Route> {
  return {
    [`POST ${EXPORT_PAGE_PATH}`]: async (req, body) => {
      const h = req.headers[SERVICE_HEADER];
      try {
        await verifyServiceCall(Array.isArray(h) ? h[0] : h, EXPORT_PAGE_AUDIENCE, body, senders);
      } catch {
        return { status: 401, json: { error: 'unauthorised' } };
      }
      let input: { token?: unknown; cursor?: unknown; client?: { ip?: unknown; userAgent?: unknown } | null };
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        return { status: 400, json: { error: 'body must be JSON' } };
      }
      const c = input.cursor as Partial<ExportCursor> | null | undefined;
      const claims = typeof input.token === 'string' ? await verifyExportToken(runtime.exportTokenKey, input.token, runtimeNow(runtime), Boolean(c)) : null;
      if (!claims) return { status: 401, json: { error: 'invalid or expired export link' } };
      if (c && (typeof c.afterSeq !== 'number' || !Number.isSafeInteger(c.afterSeq) || c.afterSeq < 0)) {
        return { status: 400, json: { error: 'bad cursor' } };
      }
      const cursor = c ? { afterSeq: c.afterSeq! } : null;
      // the downloader as the gateway saw it, for the download's audit event
      const text = (v: unknown, max: number) => (typeof v === 'string' && v !== '' ? v.slice(0, max) : null);
      const client = { ip: text(input.client?.ip, 100), userAgent: text(input.client?.userAgent, 500) };
      const page = await tenantTx(runtime.orm.em.fork(), claims.orgId, (em) => exportPage(em, runtime, claims.exportId, claims.orgId, cursor, client));
      if ('error' in page) return { status: page.status, json: { error: page.error } };
      return { status: 200, json: page };
    },
  };
}
