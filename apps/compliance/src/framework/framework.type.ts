import { Field, ID, ObjectType } from 'type-graphql';
import type { FrameworkRow, RequirementRow } from './framework.entity';

@ObjectType('Framework', { description: 'A catalogue of requirements: built in (SOC 2, ISO/IEC 27001, GDPR, DPDP) or imported by the organisation from OSCAL' })
export class Framework {
  @Field(() => ID) id!: string;
  @Field(() => String) key!: string;
  @Field(() => String) version!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) publisher!: string | null;
  @Field(() => String, { nullable: true }) source!: string | null;
  @Field(() => Boolean, { description: 'Shipped with Packets (false: imported by this organisation)' }) builtIn!: boolean;
}

@ObjectType('Requirement')
export class Requirement {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Identifier within the framework, e.g. CC6.1, A.8.24, Art.33, ac-2.1' }) ref!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true, description: 'Enclosing group (category, chapter, control family)' }) group!: string | null;
  @Field(() => String, { nullable: true }) guidance!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO/IEC 27001: clause or annex-a' }) kind!: string | null;
  @Field(() => String, { nullable: true, description: 'Ref of the requirement this one refines (OSCAL control enhancements)' }) parentRef!: string | null;
  /** resolved into a Framework by the field resolver */
  frameworkId!: string;
}

export function toFramework(r: FrameworkRow): Framework {
  return { id: r.id, key: r.key, version: r.version, name: r.name, publisher: r.publisher, source: r.source, builtIn: r.builtIn };
}

export function toRequirement(r: RequirementRow): Requirement {
  return {
    id: r.id, ref: r.ref, title: r.title, group: r.groupTitle, guidance: r.guidance, kind: r.kind,
    parentRef: r.parentRef, frameworkId: r.frameworkId,
  };
}
