import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { OrganizationEntity } from './organization.entity';

@ObjectType()
export class SecuritySettings {
  @Field(() => Int, { description: 'Minutes of inactivity after which a session ends' }) sessionIdleTimeoutMinutes!: number;
  @Field(() => Int, { description: 'Minutes after sign-in after which a session ends regardless of activity' })
  sessionAbsoluteLifetimeMinutes!: number;
  @Field(() => Boolean) mfaRequired!: boolean;
}

@ObjectType('Organization')
@Directive('@key(fields: "id")')
export class Organization {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) slug!: string;
  @Field(() => String, { description: 'Data residency region (ISO 3166 code)' }) region!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => SecuritySettings) securitySettings!: SecuritySettings;
}

export function toOrganization(e: OrganizationEntity): Organization {
  return {
    id: e.id, name: e.name, slug: e.slug, region: e.region, createdAt: e.createdAt,
    securitySettings: {
      sessionIdleTimeoutMinutes: e.sessionIdleTimeoutMinutes,
      sessionAbsoluteLifetimeMinutes: e.sessionAbsoluteLifetimeMinutes,
      mfaRequired: e.mfaRequired,
    },
  };
}
