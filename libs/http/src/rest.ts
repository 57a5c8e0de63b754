// The one REST error envelope. Every answer outside GraphQL that refuses (the gateway's
// raw routes, the subgraphs' internal and file routes, the HTTP front itself) has the
// shape of a GraphQL error, so a client reads `errors[0].extensions.code` whatever it called:
//   { "errors": [{ "message": "...", "extensions": { "code": "BAD_USER_INPUT", ...more } }] }
import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { databaseRefusedValue, ErrorCode } from './errors';

/** A refusal raised before or outside GraphQL (body too large, bad path...), answered with its status. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

export interface RestErrorBody {
  errors: { message: string; extensions: { code: string; [key: string]: unknown } }[];
}

/** What a JSON route answers: a status and a body. */
export interface RestAnswer<T = unknown> { status: number; json: T }

/** The HTTP status of each error code when it is the whole answer. */
export const HTTP_STATUS_OF: Readonly<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401, [ErrorCode.FORBIDDEN]: 403, [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404, [ErrorCode.CONFLICT]: 409, [ErrorCode.RATE_LIMITED]: 429, BAD_REQUEST: 400,
};

export function restErrorBody(code: string, message: string, extensions: Record<string, unknown> = {}): RestErrorBody {
  return { errors: [{ message, extensions: { ...extensions, code } }] };
}

/** A JSON route's refusal. */
export function restError(status: number, code: string, message: string, extensions?: Record<string, unknown>): RestAnswer<RestErrorBody> {
  return { status, json: restErrorBody(code, message, extensions) };
}

export function sendJson(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(json);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** A raw handler's refusal. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>): void {
  sendJson(res, status, restErrorBody(code, message), headers);
}

/**
 * The answer to anything a route threw: a value PostgreSQL refused is the caller's
 * mistake (400, no SQL); an HttpError keeps its status, a GraphQLError its code (and
 * other extensions) with the status it carries (extensions.http.status) or that of its code; anything else is a masked 500,
 * and `internal` is told about it. `status` overrides the code's status.
 */
export function restErrorOf(err: unknown, status?: number, internal?: (err: unknown) => void): RestAnswer<RestErrorBody> {
  if (databaseRefusedValue(err)) return restError(400, ErrorCode.BAD_USER_INPUT, 'An input value is not valid');
  if (err instanceof HttpError) return restError(status ?? err.status, err.code, err.message);
  // a GraphQLError without a code wraps something unexpected: masked like any other
  if (err instanceof GraphQLError && typeof err.extensions.code === 'string') {
    const code = err.extensions.code;
    const extensions: Record<string, unknown> = { ...err.extensions };
    // the status the error carries (appError(..., { http: { status } }), as GraphQL answers use it)
    const own = (extensions.http as { status?: unknown } | undefined)?.status;
    delete extensions.http;
    return restError(status ?? (typeof own === 'number' ? own : undefined) ?? HTTP_STATUS_OF[code] ?? 500, code, err.message, extensions);
  }
  internal?.(err);
  return restError(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}

/** `restErrorOf` sent; an answer already started is cut instead (the client sees a broken stream). */
export function sendErrorOf(res: ServerResponse, err: unknown, status?: number, internal?: (err: unknown) => void): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const out = restErrorOf(err, status, internal);
  sendJson(res, out.status, out.json);
}

/** The code and message of an envelope another service answered (for clients); null when the body is not one. */
export function readRestError(json: unknown): { code: string; message: string } | null {
  const first = (json as Partial<RestErrorBody> | null)?.errors?.[0];
  return first && typeof first.message === 'string' && typeof first.extensions?.code === 'string'
    ? { code: first.extensions.code, message: first.message } : null;
}
