import { Field, ID, InputType } from 'type-graphql';

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
