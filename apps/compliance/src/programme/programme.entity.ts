import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const PROGRAMME_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'COMPLIANT', 'CERTIFIED'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

/** An organisation's adoption of one framework (built-in or imported): one per framework key. */
@Entity({ tableName: 'programmes' })
export class ProgrammeEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) frameworkId!: string;
  @Property({ type: 'text' }) frameworkKey!: string;
  @Property({ type: 'text' }) status: ProgrammeStatus = 'NOT_STARTED';
  @Property({ type: 'uuid', nullable: true }) adoptedBy: string | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'timestamptz' }) updatedAt: Date = new Date();
}
