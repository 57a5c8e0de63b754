// POST /internal/oscal/catalog/import[?key=]: the gateway's route for OSCAL documents
// larger than the 1 MB GraphQL body limit (NIST 800-53 is ~1.2 MB). Same service,
// same authorisation and audit as the importOscalCatalog mutation; its own size limit
// (OSCAL_MAX_BYTES, default 10 MiB) applies to this route only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardedRoutes } from '@packets/context';
import { readBody, sendJson, type RequestContext } from '@packets/graphql';
import { importOscalFramework } from './oscal.service';
import { internalContext, sendError } from '../shared/internal-context';
import type { ComplianceLoaders, ComplianceRuntime } from '../compliance.context';

export const OSCAL_IMPORT_PATH = forwardedRoutes.oscalImport.target;

export function oscalImportRoute(runtime: ComplianceRuntime, loaders: (ctx: RequestContext<ComplianceLoaders>) => ComplianceLoaders) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const ctx = await internalContext(req, runtime, loaders);
      ctx.authorize('create', 'Framework');
      const text = await readBody(req, runtime.settings.oscalMaxBytes);
      const key = new URL(req.url ?? '/', 'http://local').searchParams.get('key');
      const framework = await importOscalFramework(ctx, text, key || null);
      sendJson(res, 201, { framework });
    } catch (err) {
      sendError(res, err);
    }
  };
}
