import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An org's AI consent record. No row means AI has never been enabled: off. */
@Entity({ tableName: 'settings' })
export class AiSettingsEntity {
  @PrimaryKey({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'boolean' }) enabled: boolean = false;
  @Property({ type: 'timestamptz', nullable: true }) consentedAt: Date | null = null;
  @Property({ type: 'uuid', nullable: true }) consentedBy: string | null = null;
  @Property({ type: 'timestamptz', nullable: true }) withdrawnAt: Date | null = null;
  @Property({ type: 'text' }) provider: string = 'offline';
}
