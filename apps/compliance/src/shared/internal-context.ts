// The compliance subgraph's HTTP routes outside GraphQL (file upload and download,
// large OSCAL imports) accept only requests the gateway signed, exactly like
// /graphql, and build the same per-request context.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { RequestContext, sendJson, verifiedContext } from '@packets/graphql';
import type { ComplianceContext, ComplianceLoaders, ComplianceRuntime } from '../compliance.context';

export async function internalContext(
  req: IncomingMessage, runtime: ComplianceRuntime, loaders: (ctx: RequestContext<ComplianceLoaders>) => ComplianceLoaders,
): Promise<ComplianceContext> {
  const { actor, meta } = await verifiedContext(req, runtime);
  const ctx = new RequestContext<ComplianceLoaders>(runtime, actor, meta);
  ctx.loaders = loaders(ctx);
  return ctx as ComplianceContext;
}

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429,
};

/**
 * Answers a route's error in the GraphQL error shape (`errors[].extensions.code`),
 * with an HTTP status to match. Unknown errors are logged and masked.
 */
export function sendError(res: ServerResponse, err: unknown, overrideStatus?: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof GraphQLError) {
    const code = typeof err.extensions.code === 'string' ? err.extensions.code : 'INTERNAL_SERVER_ERROR';
    const extensions: Record<string, unknown> = { ...err.extensions };
    delete extensions.http;
    return sendJson(res, overrideStatus ?? STATUS[code] ?? 500, { errors: [{ message: err.message, extensions: { ...extensions, code } }] });
  }
  console.warn(`compliance route failed: ${err instanceof Error ? err.message : String(err)}`);
  return sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}
