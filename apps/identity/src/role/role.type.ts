import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { RoleEntity } from './role.entity';
import { effectiveRules } from './role.rules';

@ObjectType('Role')
export class Role {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean, { description: 'System roles come with every organisation and cannot be edited' }) system!: boolean;
  @Field(() => GraphQLJSON, { description: 'CASL rules: [{ action, subject, fields?, conditions?, inverted? }]' }) rules!: unknown[];
}

export function toRole(e: RoleEntity): Role {
  return { id: e.id, name: e.name, description: e.description, system: e.system, rules: effectiveRules(e) };
}
