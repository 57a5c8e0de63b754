import { Field, InputType } from 'type-graphql';

@InputType()
export class SignUpInput {
  @Field(() => String) organizationName!: string;
  @Field(() => String) name!: string;
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@InputType()
export class SignInInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
  @Field(() => String) organizationSlug!: string;
}

@InputType()
export class CreateOrganizationInput {
  @Field(() => String) name!: string;
}
