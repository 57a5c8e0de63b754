import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Compliance-side organisation settings (one row per org, created on first change). */
@Entity({ tableName: 'settings' })
export class ComplianceSettingsEntity {
  @PrimaryKey({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'boolean' }) requirePolicyApprovalByOther = false;
  @Property({ type: 'timestamptz' }) updatedAt: Date = new Date();
}
