import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@packets/graphql';
import type { MembershipEntity } from './membership.entity';

@ObjectType('Membership')
export class Membership {
  @Field(() => ID) id!: string;
  @Field(() => Date) createdAt!: Date;
  /** resolved by field resolvers through DataLoaders */
  userId!: string;
}

export function toMembership(e: MembershipEntity): Membership {
  return { id: e.id, createdAt: e.createdAt, userId: e.userId };
}

export const MembershipConnection = Connection(Membership, 'Membership');
