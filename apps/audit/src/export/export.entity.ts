import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A requested export: what to read (filter, up to head_seq) and until when it may be downloaded. */
@Entity({ tableName: 'exports' })
export class ExportEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid', nullable: true }) requestedBy!: string | null;
  @Property({ type: 'text' }) format!: string;
  @Property({ type: 'json' }) filter!: Record<string, unknown>;
  @Property({ type: 'bigint', columnType: 'bigint' }) headSeq!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) downloadStartedAt!: Date | null;
}
