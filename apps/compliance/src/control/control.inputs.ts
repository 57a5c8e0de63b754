import { Field, ID, InputType } from 'type-graphql';
import type { ControlStatus } from './control.entity';
import { ControlStatusEnum } from './control.type';

@InputType()
export class ControlInput {
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ControlStatusEnum, { nullable: true }) status?: ControlStatus | null;
  @Field(() => ID, { nullable: true, description: 'A member of the organisation' }) ownerId?: string | null;
  @Field(() => String, { nullable: true }) implementationNotes?: string | null;
}

@InputType()
export class ControlFilter {
  @Field(() => ControlStatusEnum, { nullable: true }) status?: ControlStatus | null;
  @Field(() => ID, { nullable: true }) ownerId?: string | null;
}
