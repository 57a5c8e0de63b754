import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AuditContext } from '../audit.context';
import { AuditFilter } from '../event/event.type';
import { AuditExport, AuditExportFormat } from './export.type';
import { requestExport } from './export.service';

@Resolver(() => AuditExport)
export class AuditExportResolver {
  @Mutation(() => AuditExport, {
    description: 'Prepares an export of the audit log (recorded in the log) and returns a short-lived, single-use download URL',
  })
  exportAuditEvents(
    @Ctx() ctx: AuditContext,
    @Arg('format', () => AuditExportFormat) format: AuditExportFormat,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter?: AuditFilter,
  ) {
    return requestExport(ctx, filter, format);
  }
}
