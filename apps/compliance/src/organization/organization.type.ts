import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** identity's Organization, extended here with its programmes. */
@ObjectType('Organization')
@Directive('@key(fields: "id")')
export class OrganizationCompliance {
  @Field(() => ID) id!: string;
}
