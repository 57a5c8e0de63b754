// The session's organisation and its security settings (ID-1; changing them is admin-only: update Organization).
import { appError, badInput, ErrorCode, notFound } from '@packets/graphql';
import { OrganizationEntity } from './organization.entity';
import { toOrganization, type Organization } from './organization.type';
import type { SecuritySettingsInput } from './organization.inputs';
import type { IdentityContext } from '../identity.context';

const REGIONS = ['IN', 'EU', 'US', 'GB', 'SG', 'AU'] as const;

function minutes(value: number | null | undefined, field: string, min: number, max: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${field} must be a whole number of minutes from ${min} to ${max}`, field);
  return value;
}

/** The session's organisation. */
export async function getOrganization(ctx: IdentityContext): Promise<Organization> {
  ctx.authorize('read', 'Organization');
  const org = await ctx.loaders.organizationById.load(ctx.orgId);
  if (!org) throw notFound('Organization');
  return org;
}

export async function updateSecuritySettings(ctx: IdentityContext, input: SecuritySettingsInput): Promise<Organization> {
  ctx.authorize('update', 'Organization');
  const idle = minutes(input.sessionIdleTimeoutMinutes, 'sessionIdleTimeoutMinutes', 5, 1440);
  const absolute = minutes(input.sessionAbsoluteLifetimeMinutes, 'sessionAbsoluteLifetimeMinutes', 15, 43_200);
  if (input.region !== null && input.region !== undefined && !(REGIONS as readonly string[]).includes(input.region)) {
    throw badInput(`region must be one of ${REGIONS.join(', ')}`, 'region');
  }
  const org = await ctx.mutate(async (em) => {
    const org = await em.findOne(OrganizationEntity, { id: ctx.orgId });
    if (!org) throw notFound('Organization');
    const before = { sessionIdleTimeoutMinutes: org.sessionIdleTimeoutMinutes, sessionAbsoluteLifetimeMinutes: org.sessionAbsoluteLifetimeMinutes, mfaRequired: org.mfaRequired, region: org.region };
    if (idle !== undefined) org.sessionIdleTimeoutMinutes = idle;
    if (absolute !== undefined) org.sessionAbsoluteLifetimeMinutes = absolute;
    if (input.mfaRequired !== null && input.mfaRequired !== undefined) org.mfaRequired = input.mfaRequired;
    if (input.region) org.region = input.region;
    if (org.sessionIdleTimeoutMinutes > org.sessionAbsoluteLifetimeMinutes) {
      throw appError(ErrorCode.BAD_USER_INPUT, 'The idle timeout cannot be longer than the absolute lifetime', { field: 'sessionIdleTimeoutMinutes' });
    }
    const after = { sessionIdleTimeoutMinutes: org.sessionIdleTimeoutMinutes, sessionAbsoluteLifetimeMinutes: org.sessionAbsoluteLifetimeMinutes, mfaRequired: org.mfaRequired, region: org.region };
    return { result: org, audit: { action: 'organization.security_settings.update', subjectType: 'Organization', subjectId: org.id, data: { before, after } } };
  });
  return toOrganization(org);
}
