import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, UserRef } from '@packets/graphql';
import { CONTROL_STATUSES, type ControlEntity, type ControlStatus } from './control.entity';

export const ControlStatusEnum = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, s])) as { [K in ControlStatus]: K };
registerEnumType(ControlStatusEnum, { name: 'ControlStatus' });

@ObjectType('Control')
@Directive('@key(fields: "id")')
export class Control {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ControlStatusEnum) status!: ControlStatus;
  @Field(() => String, { nullable: true }) implementationNotes!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  /** resolved by the field resolver into a User reference */
  ownerId!: string | null;
}

export function toControl(e: ControlEntity): Control {
  return {
    id: e.id, title: e.title, description: e.description, status: e.status,
    implementationNotes: e.implementationNotes, createdAt: e.createdAt, updatedAt: e.updatedAt, ownerId: e.ownerId,
  };
}

export const ControlConnection = Connection(Control, 'Control');
export type ControlConnection = InstanceType<typeof ControlConnection>;
export { UserRef };
