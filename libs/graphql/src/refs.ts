// Stubs for entities owned by another subgraph, referenced by key only: the
// gateway fetches their fields from the owner (identity for User).
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType('User')
@Directive('@key(fields: "id", resolvable: false)')
export class UserRef {
  @Field(() => ID) id!: string;
}
