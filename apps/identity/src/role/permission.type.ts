import { Field, ObjectType } from 'type-graphql';
import { ACTIONS, registeredSubjects, SQL_OPERATORS, subjectDefinition } from '@packets/authz';

@ObjectType()
export class PermissionSubject {
  @Field(() => String) subject!: string;
  @Field(() => String, { description: 'The subgraph that owns it' }) subgraph!: string;
  @Field(() => [String]) fields!: string[];
  @Field(() => [String]) actions!: string[];
  @Field(() => [String]) operators!: string[];
}

export function permissionRegistry(): PermissionSubject[] {
  return registeredSubjects().map((subject) => {
    const def = subjectDefinition(subject)!;
    return { subject, subgraph: def.subgraph, fields: [...def.fields], actions: [...ACTIONS], operators: [...SQL_OPERATORS] };
  });
}
