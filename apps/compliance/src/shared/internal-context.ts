// The compliance subgraph's HTTP routes outside GraphQL (file upload and download,
// large OSCAL imports) accept only requests the gateway signed, exactly like
// /graphql, and build the same per-request context.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext, sendErrorOf, verifiedContext } from '@packets/graphql';
import type { ComplianceContext, ComplianceLoaders, ComplianceRuntime } from '../compliance.context';

export async function internalContext(
  req: IncomingMessage, runtime: ComplianceRuntime, loaders: (ctx: RequestContext<ComplianceLoaders>) => ComplianceLoaders,
): Promise<ComplianceContext> {
  const { actor, meta } = await verifiedContext(req, runtime);
  const ctx = new RequestContext<ComplianceLoaders>(runtime, actor, meta);
  ctx.loaders = loaders(ctx);
  return ctx as ComplianceContext;
}

/** Answers a route's error in the REST envelope (libs/http rest.ts); unknown errors are logged and masked. */
export function sendError(res: ServerResponse, err: unknown, overrideStatus?: number): void {
  sendErrorOf(res, err, overrideStatus, (e) => console.warn(`compliance route failed: ${e instanceof Error ? e.message : String(e)}`));
}
