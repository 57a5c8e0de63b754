import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An alert raised by a rule (alert.rules.ts); acknowledged through the graph, delivered to the org's webhook. */
@Entity({ tableName: 'alerts' })
export class AlertEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) rule!: string;
  @Property({ type: 'text' }) severity!: string;
  @Property({ type: 'uuid', nullable: true }) actorId!: string | null;
  @Property({ type: 'text' }) dedupeKey!: string;
  @Property({ type: 'text' }) summary!: string;
  @Property({ type: 'json' }) details!: Record<string, unknown>;
  @Property({ type: 'uuid[]', columnType: 'uuid[]' }) eventIds!: string[];
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) acknowledgedAt!: Date | null;
  @Property({ type: 'uuid', nullable: true }) acknowledgedBy!: string | null;
  @Property({ type: 'text' }) webhookStatus!: string;
  @Property({ type: 'int' }) webhookAttempts!: number;
  @Property({ type: 'timestamptz', nullable: true }) webhookNextAt!: Date | null;
  @Property({ type: 'text', nullable: true }) webhookLastError!: string | null;
}
