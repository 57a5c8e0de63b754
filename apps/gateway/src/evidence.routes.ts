// File routes of the compliance subgraph, served by the gateway because bodies and
// answers here are streams, not GraphQL:
//   POST /evidence/upload?controlId=&fileName=&title=&collectedAt=&expiresAt=
//        Authorization: Bearer <token>; Content-Type: the file's type; body: the file.
//   GET  /evidence/download?token=<link token from evidenceDownloadUrl>   (no other credentials)
//   POST /oscal/catalog/import[?key=]   Authorization: Bearer; body: an OSCAL catalog (JSON),
//        for documents over the 1 MB GraphQL body limit (own limit: OSCAL_MAX_BYTES in compliance).
// The gateway resolves the caller exactly as for /graphql, signs the request context
// for the compliance subgraph, and pipes bodies both ways without buffering them;
// size, type and authorisation are decided by the compliance subgraph.
import { randomUUID, type KeyObject } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { ANONYMOUS, CONTEXT_HEADER, forwardedRoutes, routeKey, signRequestContext, verifyEvidenceLink, type Actor, type ForwardedRoute } from '@packets/context';
import { clientIp, sendError } from '@packets/http';
import { GraphQLError } from 'graphql';
import type { SessionClient } from './session.client';

const PASSED_BACK = ['content-type', 'content-length', 'content-disposition', 'cache-control', 'x-content-type-options', 'x-evidence-sha256'];

export interface EvidenceRouteOptions {
  sessions: SessionClient;
  complianceUrl: string;
  contextPrivateKey: KeyObject;
  /** compliance's service public key: it signs the download links */
  downloadLinkKey: KeyObject;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

async function signedContext(req: IncomingMessage, actor: Actor, key: KeyObject): Promise<string> {
  const ua = req.headers['user-agent'];
  const meta = { requestId: randomUUID(), ip: clientIp(req), userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null };
  return signRequestContext({ actor, meta }, 'compliance', key);
}

/**
 * Pipes the request (when `body`) to the compliance subgraph and its answer back.
 * A client that goes away mid-upload ends the upstream request too (the subgraph
 * then removes what it had stored); an upstream failure mid-answer cuts the client's.
 */
function forward(req: IncomingMessage, res: ServerResponse, target: string, headers: Record<string, string>, body: boolean): Promise<void> {
  return new Promise((resolve) => {
    let answered = false;
    const upstream = httpRequest(target, { method: req.method, headers }, (up) => {
      answered = true;
      const out: Record<string, string> = {};
      for (const name of PASSED_BACK) {
        const v = up.headers[name as keyof IncomingHttpHeaders];
        if (typeof v === 'string') out[name] = v;
      }
      // the upstream answered before the whole body arrived (a refusal): do not keep the connection
      if (body && !req.complete) out.connection = 'close';
      res.writeHead(up.statusCode ?? 502, out);
      res.flushHeaders(); // the answer has started: an upstream failure from here on shows as a broken stream
      up.pipe(res);
      up.once('error', () => res.destroy());
      up.once('close', () => {
        if (!up.complete) res.destroy();
        resolve();
      });
    });
    upstream.once('error', () => {
      if (!answered) {
        if (!res.headersSent) sendError(res, 502, 'INTERNAL_SERVER_ERROR', 'Compliance service unavailable');
        else res.destroy();
        resolve();
      }
    });
    if (!body) {
      upstream.end();
      return;
    }
    req.once('close', () => {
      if (!req.complete) upstream.destroy(new Error('client went away'));
    });
    req.pipe(upstream);
  });
}

function withActor(opts: EvidenceRouteOptions, route: ForwardedRoute, headers: (req: IncomingMessage) => Record<string, string>): Handler {
  return async (req, res) => {
    const token = bearer(req);
    if (!token) return sendError(res, 401, 'UNAUTHENTICATED', 'Authorization: Bearer <token> is required');
    let actor: Actor;
    try {
      actor = await opts.sessions.resolve(token);
    } catch (err) {
      const status = err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED' ? 401 : 503;
      return sendError(res, status, status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR', err instanceof GraphQLError ? err.message : 'Unavailable');
    }
    const search = new URL(req.url ?? '/', 'http://local').search;
    await forward(req, res, `${opts.complianceUrl}${route.target}${search}`, {
      ...headers(req), [CONTEXT_HEADER]: await signedContext(req, actor, opts.contextPrivateKey),
    }, true);
  };
}

function bodyHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  if (req.headers['content-type']) out['content-type'] = req.headers['content-type'];
  if (req.headers['content-length']) out['content-length'] = req.headers['content-length'];
  else out['transfer-encoding'] = 'chunked';
  return out;
}

export function evidenceRoutes(opts: EvidenceRouteOptions): Record<string, Handler> {
  const linkKey = opts.downloadLinkKey;
  return {
    [routeKey(forwardedRoutes.evidenceUpload)]: withActor(opts, forwardedRoutes.evidenceUpload, bodyHeaders),
    [routeKey(forwardedRoutes.oscalImport)]: withActor(opts, forwardedRoutes.oscalImport, bodyHeaders),
    [routeKey(forwardedRoutes.evidenceDownload)]: async (req, res) => {
      const token = new URL(req.url ?? '/', 'http://local').searchParams.get('token') ?? '';
      if (!await verifyEvidenceLink(linkKey, token)) return sendError(res, 401, 'UNAUTHENTICATED', 'The download link is invalid or has expired');
      // the link is the authorisation; the subgraph checks it again and records the download
      await forward(req, res, `${opts.complianceUrl}${forwardedRoutes.evidenceDownload.target}?token=${encodeURIComponent(token)}`, {
        [CONTEXT_HEADER]: await signedContext(req, ANONYMOUS, opts.contextPrivateKey),
      }, false);
    },
  };
}
