import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const CONTROL_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'IMPLEMENTED', 'NOT_APPLICABLE'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

@Entity({ tableName: 'controls' })
export class ControlEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'text', nullable: true }) description: string | null = null;
  @Property({ type: 'text' }) status: ControlStatus = 'NOT_STARTED';
  /** a User of identity; membership is checked through identity when set */
  @Property({ type: 'uuid', nullable: true }) ownerId: string | null = null;
  @Property({ type: 'text', nullable: true }) implementationNotes: string | null = null;
  /** set on controls created from the starter set, so that set is created once per org */
  @Property({ type: 'text', nullable: true }) starterKey: string | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'timestamptz' }) updatedAt: Date = new Date();
}

/** A control mapped to a requirement of a framework (built-in or imported). */
@Entity({ tableName: 'control_requirements' })
export class ControlRequirementEntity {
  @PrimaryKey({ type: 'uuid' }) controlId!: string;
  @PrimaryKey({ type: 'uuid' }) requirementId!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}
