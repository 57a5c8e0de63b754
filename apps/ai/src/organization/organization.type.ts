import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** identity's Organization, extended here with its AI settings. */
@ObjectType('Organization')
@Directive('@key(fields: "id")')
export class OrganizationAi {
  @Field(() => ID) id!: string;
}
