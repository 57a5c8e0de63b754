// The page endpoint behind an export download (the exportPage protocol of
// @packets/context). Only the gateway calls it; the export token it forwards is
// the user's authorisation.
import { exportPage as exportPageProtocol, serviceRoute, type ServiceKeys } from '@packets/context';
import { tenantTx } from '@packets/db';
import { restError, runtimeNow, type Route } from '@packets/graphql';
import type { AuditRuntime } from '../audit.context';
import { exportPage } from './export.service';
import { verifyExportToken } from './export.token';

export function exportRoutes(runtime: AuditRuntime, senders: ServiceKeys): Record<string, Route> {
  return serviceRoute(exportPageProtocol, senders, async ({ token, cursor, client }) => {
    const claims = await verifyExportToken(runtime.exportTokenKey, token, runtimeNow(runtime), Boolean(cursor));
    if (!claims) return restError(401, 'UNAUTHENTICATED', 'invalid or expired export link');
    const page = await tenantTx(runtime.orm.em.fork(), claims.orgId, (em) => exportPage(em, runtime, claims.exportId, claims.orgId, cursor, client));
    if ('error' in page) return restError(page.status, page.status === 404 ? 'NOT_FOUND' : 'BAD_USER_INPUT', page.error);
    return { status: 200, json: page };
  });
}
