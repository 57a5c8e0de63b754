// Catalogue tables: the built-in catalogues (global, read-only, loaded by migration)
// and the catalogues an organisation imported from OSCAL (tenant rows).
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { JsonObject } from '@packets/catalogs';

@Entity({ tableName: 'frameworks' })
export class FrameworkEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'text' }) key!: string;
  @Property({ type: 'text' }) version!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text', nullable: true }) publisher: string | null = null;
  @Property({ type: 'text', nullable: true }) source: string | null = null;
  @Property({ type: 'int' }) position = 0;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}

@Entity({ tableName: 'requirements' })
export class RequirementEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) frameworkId!: string;
  @Property({ type: 'int' }) position!: number;
  @Property({ type: 'text' }) ref!: string;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'text', nullable: true }) groupTitle: string | null = null;
  @Property({ type: 'text', nullable: true }) guidance: string | null = null;
  @Property({ type: 'text', nullable: true }) kind: string | null = null;
  @Property({ type: 'text', nullable: true }) parentRef: string | null = null;
}

@Entity({ tableName: 'org_frameworks' })
export class OrgFrameworkEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) key!: string;
  @Property({ type: 'text' }) version!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text', nullable: true }) publisher: string | null = null;
  @Property({ type: 'text', nullable: true }) source: string | null = null;
  /** the OSCAL catalogue's metadata, back-matter and group layout, for a faithful export */
  @Property({ type: 'json', nullable: true, lazy: true }) oscal: JsonObject | null = null;
  @Property({ type: 'uuid', nullable: true }) importedBy: string | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}

@Entity({ tableName: 'org_requirements' })
export class OrgRequirementEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) frameworkId!: string;
  @Property({ type: 'int' }) position!: number;
  @Property({ type: 'text' }) ref!: string;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'text', nullable: true }) groupTitle: string | null = null;
  @Property({ type: 'text', nullable: true }) guidance: string | null = null;
  @Property({ type: 'text', nullable: true }) kind: string | null = null;
  @Property({ type: 'text', nullable: true }) parentRef: string | null = null;
  /** the original OSCAL control (params, parts, props...), without nested controls */
  @Property({ type: 'json', nullable: true, lazy: true }) oscal: JsonObject | null = null;
}

/** A framework from either table, as services see it. */
export interface FrameworkRow {
  id: string;
  key: string;
  version: string;
  name: string;
  publisher: string | null;
  source: string | null;
  builtIn: boolean;
  createdAt: Date;
}

export interface RequirementRow {
  id: string;
  frameworkId: string;
  position: number;
  ref: string;
  title: string;
  groupTitle: string | null;
  guidance: string | null;
  kind: string | null;
  parentRef: string | null;
}

export function frameworkRow(e: FrameworkEntity | OrgFrameworkEntity): FrameworkRow {
  return {
    id: e.id, key: e.key, version: e.version, name: e.name, publisher: e.publisher, source: e.source,
    builtIn: e instanceof FrameworkEntity, createdAt: e.createdAt,
  };
}

export function requirementRow(e: RequirementEntity | OrgRequirementEntity): RequirementRow {
  return {
    id: e.id, frameworkId: e.frameworkId, position: e.position, ref: e.ref, title: e.title,
    groupTitle: e.groupTitle, guidance: e.guidance, kind: e.kind, parentRef: e.parentRef,
  };
}
