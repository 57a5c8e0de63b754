// A deliberately small HTTP front for Apollo Server: /graphql, /health and a few
// named internal routes, with a hard body-size limit. No framework needed.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TlsSettings } from '@packets/config';
import { HSTS, httpsOptions } from './tls';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { databaseRefusedValue } from './errors';
import { illFormedPath, isWellFormed } from './validate';
import { HttpError, sendError, sendJson } from './rest';

export const MAX_BODY_BYTES = 1_000_000;

export interface Refusal { status: number; code: string; message: string }

export type Route = (req: IncomingMessage, body: string) => Promise<{ status: number; json: unknown }>;

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A raw handler for every path under a prefix (paths with a parameter, e.g. /auth/sso/:orgSlug/start). */
export interface RawPrefixRoute { method: string; prefix: string; handler: RawHandler }

export interface HttpAppOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  context: (req: IncomingMessage) => Promise<C>;
  /** keyed by "METHOD /path" */
  routes?: Record<string, Route>;
  /** a check of the parsed GraphQL body before Apollo runs it (query limits) */
  inspect?: (body: unknown) => Refusal | null;
  /** raw handlers that stream their own response, keyed by "METHOD /path" */
  raw?: Record<string, RawHandler>;
  /** tried after `raw` and before `routes`; the handler parses the rest of the path itself */
  rawPrefix?: RawPrefixRoute[];
  /** serve HTTPS (TLS 1.2+, HSTS on every answer); null or absent = plain HTTP */
  tls?: TlsSettings | null;
  /** set on every answer before any handler runs (security headers); a handler's own headers add to them */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Reads a request body up to `limit` bytes. A larger body is read to its end and
 * discarded (so the client gets its 413 instead of a reset), up to 16x the limit,
 * after which the connection is cut.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit * 16) req.destroy();
      else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) reject(new HttpError(413, 'BAD_USER_INPUT', `Request body larger than ${limit} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * A GET request's GraphQL fields as a POST body carries them, for `inspect`: the first
 * value of each (as Apollo reads them), JSON fields parsed, and every pair as sent.
 */
function searchRequest(url: URL): Record<string, unknown> {
  const json = (v: string | null): unknown => {
    if (v === null) return undefined;
    try { return JSON.parse(v) as unknown; } catch { return v; }
  };
  const p = url.searchParams;
  return {
    query: p.get('query') ?? undefined, operationName: p.get('operationName') ?? undefined,
    variables: json(p.get('variables')), extensions: json(p.get('extensions')), params: [...p],
  };
}

function wellFormedUrl(url: URL): boolean {
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname; // a malformed escape is the handler's to refuse
  }
  return isWellFormed(path) && [...url.searchParams].every(([k, v]) => isWellFormed(k) && isWellFormed(v));
}

/** A JSON body holding an ill-formed string (escaped or raw); a body that is not JSON is the route's to judge. */
function jsonIllFormed(body: string): boolean {
  if (!isWellFormed(body)) return true;
  if (!body.includes('\\u')) return false;
  try {
    return illFormedPath(JSON.parse(body)) !== null;
  } catch {
    return false;
  }
}

export function clientIp(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}

/** How long a server keeps an idle keep-alive connection (announced in the Keep-Alive header). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpApp<C extends BaseContext>(opts: HttpAppOptions<C>): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const key = `${req.method} ${url.pathname}`;
    if (key === 'GET /health') return sendJson(res, 200, { status: 'ok' });
    // every route: no U+0000 or unpaired surrogate in the path or the query string (they would reach SQL)
    if (!wellFormedUrl(url)) return sendError(res, 400, 'BAD_USER_INPUT', 'The address contains a NUL character or an unpaired surrogate');
    const raw = opts.raw?.[key];
    if (raw) return raw(req, res);
    const prefixed = opts.rawPrefix?.find((r) => r.method === req.method && url.pathname.startsWith(r.prefix));
    if (prefixed) return prefixed.handler(req, res);
    const route = opts.routes?.[key];
    if (route) {
      const body = await readBody(req);
      if (jsonIllFormed(body)) return sendError(res, 400, 'BAD_USER_INPUT', 'The body contains a NUL character or an unpaired surrogate');
      const out = await route(req, body);
      return sendJson(res, out.status, out.json);
    }
    if (url.pathname !== '/graphql') return sendError(res, 404, 'NOT_FOUND', 'No such endpoint');
    if (req.method !== 'POST' && req.method !== 'GET') {
      return sendError(res, 405, 'BAD_REQUEST', 'Use GET or POST', { allow: 'GET, POST' });
    }
    const text = req.method === 'POST' ? await readBody(req) : '';
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      if (!(headers.get('content-type') ?? '').includes('application/json')) {
        return sendError(res, 415, 'BAD_REQUEST', 'POST bodies must be application/json');
      }
      try {
        body = JSON.parse(text);
      } catch {
        return sendError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
      }
    }
    const refusal = opts.inspect?.(req.method === 'POST' ? body : searchRequest(url));
    if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
    const result = await opts.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
      context: () => opts.context(req),
    });
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of result.headers) outHeaders[k] = v;
    res.writeHead(result.status ?? 200, outHeaders);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [name, value] of Object.entries(opts.headers ?? {})) res.setHeader(name, value);
    if (opts.tls) res.setHeader('strict-transport-security', HSTS);
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) { res.destroy(); return; }
      if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message);
      // a value PostgreSQL could not take (a malformed uuid, U+0000) is the caller's mistake: no SQL in the answer
      if (databaseRefusedValue(err)) return sendError(res, 400, 'BAD_USER_INPUT', 'An input value is not valid');
      return sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  };
  const server: Server = opts.tls ? createHttpsServer(httpsOptions(opts.tls), listener) : createServer(listener);
  // idle keep-alive sockets stay open well past the time a client drops them (the gateway's
  // agent: 15 s): with Node's 5 s default, a client reading an answer a second late
  // reused a socket the server had just closed ("socket hang up")
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  // a request Node cannot parse (headers too large: 431, malformed: 400) is answered by
  // Node before any listener runs: answer it here, as Node would, with the same headers
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) { socket.destroy(); return; }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const extra = { ...opts.headers, ...(opts.tls ? { 'strict-transport-security': HSTS } : {}) };
    const head = Object.entries(extra).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}connection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  return server;
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  return (server.address() as AddressInfo).port;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
