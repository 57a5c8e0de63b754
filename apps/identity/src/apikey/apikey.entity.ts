import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A partner API key: acts with its role's rules; only the SHA-256 of the key is stored. */
@Entity({ tableName: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'uuid' }) roleId!: string;
  @Property({ type: 'text', hidden: true }) keyHash!: string;
  /** the first characters of the key, so people can tell keys apart */
  @Property({ type: 'text' }) prefix!: string;
  @Property({ type: 'uuid' }) createdBy!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) expiresAt: Date | null = null;
  @Property({ type: 'timestamptz', nullable: true }) revokedAt: Date | null = null;
  @Property({ type: 'timestamptz', nullable: true }) lastUsedAt: Date | null = null;
}
