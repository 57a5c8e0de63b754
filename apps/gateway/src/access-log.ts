// The gateway's part of the access log (AU-1): it describes the client's operation
// (name, type, SHA-256 of the document, top-level fields; operation.ts) inside the
// signed request context, gives each answer its request id, and each subgraph that serves part of the operation writes the access
// event into its own outbox before it answers (libs/graphql/src/access-audit.ts).
// The gateway keeps no events in memory: an answer that reached the caller has its
// access record committed already, whatever happens to the gateway afterwards.
//
// Also here: the export download route, which streams an export from the audit
// subgraph a page at a time (the gateway never holds more than one page).
import type { KeyObject } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { EXPORT_PAGE_AUDIENCE, EXPORT_PAGE_PATH, type ExportPageResponse } from '@packets/audit-log';
import { SERVICE_HEADER, signServiceCall } from '@packets/context';
import { clientIp, sendJson } from '@packets/http';
import type { GatewayContext } from './gateway.context';
import { fetcher } from './signed-data-source';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Answers carry their request id (`x-request-id`): the id every access event and
 * audit event of the request is filed under, for support and for matching an
 * answer to its record.
 */
export function requestIdPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: () => Promise.resolve({
      willSendResponse: (rc) => {
        const id = (rc.contextValue as Partial<GatewayContext>).claims?.meta.requestId;
        if (id) rc.response.http.headers.set(REQUEST_ID_HEADER, id);
        return Promise.resolve();
      },
    }),
  };
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
