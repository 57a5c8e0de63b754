import type { EntityManager } from '@mikro-orm/postgresql';
import { ComplianceSettingsEntity } from './settings.entity';
import type { ComplianceSettings, ComplianceSettingsInput } from './settings.type';
import type { ComplianceContext } from '../compliance.context';

/** The org's settings inside a transaction (defaults when never changed). */
export async function settingsOf(em: EntityManager, orgId: string): Promise<ComplianceSettings> {
  const row = await em.findOne(ComplianceSettingsEntity, { orgId });
  return { requirePolicyApprovalByOther: row?.requirePolicyApprovalByOther ?? false };
}

export async function getComplianceSettings(ctx: ComplianceContext): Promise<ComplianceSettings> {
  ctx.authorize('read', 'ComplianceSettings');
  return ctx.tx((em) => settingsOf(em, ctx.orgId));
}

export async function updateComplianceSettings(ctx: ComplianceContext, input: ComplianceSettingsInput): Promise<ComplianceSettings> {
  ctx.authorize('update', 'ComplianceSettings');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    let row = await em.findOne(ComplianceSettingsEntity, { orgId: ctx.orgId });
    const before = { requirePolicyApprovalByOther: row?.requirePolicyApprovalByOther ?? false };
    row ??= em.create(ComplianceSettingsEntity, { orgId: ctx.orgId, requirePolicyApprovalByOther: false, updatedAt: now });
    if (input.requirePolicyApprovalByOther !== undefined && input.requirePolicyApprovalByOther !== null) {
      row.requirePolicyApprovalByOther = input.requirePolicyApprovalByOther;
    }
    row.updatedAt = now;
    const after = { requirePolicyApprovalByOther: row.requirePolicyApprovalByOther };
    return { result: after, audit: { action: 'compliance.settings.update', subjectType: 'ComplianceSettings', subjectId: ctx.orgId, data: { before, after } } };
  });
}
