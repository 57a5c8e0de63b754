import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One entry of the audit log, chained per organisation (seq, prev_hash, hash; see
 * libs/audit-log/src/chain.ts). Append-only: the database refuses UPDATE, DELETE and
 * TRUNCATE, except deletes by the retention role of events a retention checkpoint seals.
 */
@Entity({ tableName: 'events' })
export class AuditEventEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'bigint', columnType: 'bigint' }) seq!: string;
  @Property({ type: 'text' }) prevHash!: string;
  @Property({ type: 'text' }) hash!: string;
  @Property({ type: 'timestamptz' }) occurredAt!: Date;
  @Property({ type: 'timestamptz' }) receivedAt!: Date;
  @Property({ type: 'text' }) actorType!: string;
  @Property({ type: 'uuid', nullable: true }) actorId!: string | null;
  @Property({ type: 'uuid', nullable: true }) sessionId!: string | null;
  @Property({ type: 'uuid', nullable: true }) apiKeyId!: string | null;
  @Property({ type: 'text' }) action!: string;
  @Property({ type: 'text', nullable: true }) subjectType!: string | null;
  @Property({ type: 'text', nullable: true }) subjectId!: string | null;
  @Property({ type: 'text' }) outcome!: string;
  @Property({ type: 'text', nullable: true }) requestId!: string | null;
  @Property({ type: 'text', nullable: true }) ip!: string | null;
  @Property({ type: 'text', nullable: true }) userAgent!: string | null;
  @Property({ type: 'json' }) data!: Record<string, unknown>;
  @Property({ type: 'text' }) source!: string;
}
