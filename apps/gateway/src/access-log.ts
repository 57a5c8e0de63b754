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
import { callService, exportPage, type ExportPageResponse } from '@packets/context';
import { clientIp, sendError } from '@packets/http';
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
  const caller = { service: 'gateway', key: serviceKey, fetch: fetcher } as const;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const token = new URL(req.url ?? '/', 'http://local').searchParams.get('token');
    if (!token) return sendError(res, 400, 'BAD_USER_INPUT', 'token is required');
    let cursor: ExportPageResponse['next'] = null;
    let started = false;
    for (;;) {
      // the downloader, for the download's audit event (written with the first page)
      const ua = req.headers['user-agent'];
      const client = cursor ? null : { ip: clientIp(req), userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null };
      const r = await callService(exportPage, caller, auditUrl, { token, cursor, client });
      if (!r.ok) {
        if (started) { res.destroy(); return; }
        // the audit subgraph's refusal, as it said it; anything but a dead or used link is the gateway's trouble
        return sendError(res, r.status === 401 || r.status === 404 || r.status === 410 ? r.status : 502, r.error.code, r.error.message);
      }
      const page: ExportPageResponse = r.answer;
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
