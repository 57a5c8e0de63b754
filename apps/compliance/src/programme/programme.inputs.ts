import { Field, InputType } from 'type-graphql';
import type { ProgrammeStatus } from './programme.entity';
import { ProgrammeStatusEnum } from './programme.type';

@InputType()
export class ProgrammeInput {
  @Field(() => ProgrammeStatusEnum) status!: ProgrammeStatus;
}
