import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Per-organisation audit settings. The webhook secret is sealed under the org's data key. */
@Entity({ tableName: 'org_settings' })
export class AuditSettingsEntity {
  @PrimaryKey({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'int' }) retentionDays!: number;
  @Property({ type: 'text', nullable: true }) webhookUrl!: string | null;
  /** AES-256-GCM, libs/crypto envelope, aad `audit-webhook:<orgId>` */
  @Property({ type: 'text', nullable: true }) webhookSecret!: string | null;
  @Property({ type: 'boolean' }) webhookEnabled!: boolean;
  @Property({ type: 'timestamptz', nullable: true }) webhookConfiguredAt!: Date | null;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
}
