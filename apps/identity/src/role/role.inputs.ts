import { Field, InputType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';

@InputType()
export class RuleInput {
  @Field(() => GraphQLJSON, { description: 'An action or a list: manage, create, read, update, delete' }) action!: unknown;
  @Field(() => GraphQLJSON, { description: 'A subject or a list (see the permission registry), or all' }) subject!: unknown;
  @Field(() => [String], { nullable: true }) fields?: string[] | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Field conditions; operators $eq $ne $in $nin $gt $gte $lt $lte $exists; "${user.id}" is the member' })
  conditions?: unknown;
  @Field(() => Boolean, { nullable: true }) inverted?: boolean | null;
}

@InputType()
export class RoleInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [RuleInput]) rules!: RuleInput[];
}
