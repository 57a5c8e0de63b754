import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from '@packets/graphql';
import { User } from '../user/user.type';

@ObjectType('Membership')
export class Membership {
  @Field(() => ID) id!: string;
  @Field(() => Date) createdAt!: Date;
  /** resolved by field resolvers through DataLoaders */
  userId!: string;
}

export const MembershipConnection = Connection(Membership, 'Membership');

@InputType()
export class InviteMemberInput {
  @Field(() => String) email!: string;
  @Field(() => [ID], { nullable: true, description: 'Roles the new member gets; default Member' }) roleIds?: string[] | null;
}

@InputType()
export class AcceptInvitationInput {
  @Field(() => String, { description: 'The token from the invitation mail' }) token!: string;
  @Field(() => String, { nullable: true, description: 'Required when the email has no account yet' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'Required when the email has no account yet' }) password?: string | null;
}

export { User };
export { Invitation } from '../invitation/invitation.type';
