import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PROGRAMME_STATUSES, type ProgrammeEntity, type ProgrammeStatus } from './programme.entity';

export const ProgrammeStatusEnum = Object.fromEntries(PROGRAMME_STATUSES.map((s) => [s, s])) as { [K in ProgrammeStatus]: K };
registerEnumType(ProgrammeStatusEnum, { name: 'ProgrammeStatus' });

@ObjectType('Readiness', { description: "Share of the framework's requirements covered by an IMPLEMENTED control with current (unexpired) evidence" })
export class Readiness {
  @Field(() => Int) requirementCount!: number;
  @Field(() => Int) coveredCount!: number;
  @Field(() => Float, { description: 'coveredCount / requirementCount, from 0 to 1' }) ratio!: number;
  @Field(() => Int, { description: 'ratio as a whole percentage, rounded down' }) percent!: number;
}

@ObjectType('Programme', { description: 'A framework the organisation has adopted' })
export class Programme {
  @Field(() => ID) id!: string;
  @Field(() => String) frameworkKey!: string;
  @Field(() => ProgrammeStatusEnum) status!: ProgrammeStatus;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  frameworkId!: string;
}

export function toProgramme(e: ProgrammeEntity): Programme {
  return { id: e.id, frameworkKey: e.frameworkKey, status: e.status, createdAt: e.createdAt, updatedAt: e.updatedAt, frameworkId: e.frameworkId };
}

export function readiness(requirementCount: number, coveredCount: number): Readiness {
  const ratio = requirementCount === 0 ? 0 : coveredCount / requirementCount;
  return { requirementCount, coveredCount, ratio, percent: Math.floor(ratio * 100) };
}
