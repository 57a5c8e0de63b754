// OSCAL 1.1.2 JSON: import a catalog into a Catalog, export a Catalog as an OSCAL catalog, and export an organisation's controls as a component-definition.
import { randomUUID } from 'node:crypto';
import { CatalogError, formatJsonPath, type JsonPath } from './catalog-error';
import { LIMITS, validateCatalog, type Catalog, type JsonObject, type Requirement } from './catalog';
import { parseJsonLocated, type LocatedJson } from './json-text';

export const OSCAL_VERSION = '1.1.2';
/** namespace of the props this library adds (catalogue key, requirement kind, control status...) */
export const PACKETS_OSCAL_NS = 'urn:packets:oscal';

export interface OscalImportOptions {
  /** named in error messages; defaults to "OSCAL document" */
  fileName?: string;
  /** catalogue key; defaults to the `catalog-key` prop this library exports, else a slug of the title */
  key?: string;
}

export interface OscalExportOptions {
  /** last-modified time; defaults to now */
  now?: Date;
  /** UUID source, called in document order; defaults to crypto.randomUUID */
  uuid?: () => string;
}

/** OSCAL token (ids): a letter or underscore, then letters, digits, '.', '-' or '_' */
const TOKEN = /^(?:\p{L}|_)(?:\p{L}|\p{N}|[.\-_])*$/u;
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;
const OTHER_ROOTS = ['profile', 'component-definition', 'system-security-plan', 'assessment-plan', 'assessment-results', 'plan-of-action-and-milestones', 'mapping-collection'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The OSCAL id used for a ref: lowercase, parentheses turned into dots, other
 * characters outside [a-z0-9._-] into '-', prefixed with "r-" if it would not
 * start with a letter. "CC1.1" → "cc1.1", "A.5.1" → "a.5.1", "Art.33" →
 * "art.33", "S.8(6)" → "s.8.6", "6.1.2" → "r-6.1.2"; "ac-2.1" is unchanged.
 */
export function toOscalId(ref: string): string {
  let id = ref
    .trim()
    .toLowerCase()
    .replace(/\(([^()]*)\)/g, '.$1')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/([.-])[.-]+/g, '$1')
    .replace(/^[.-]+|[.-]+$/g, '');
  if (!/^[a-z_]/.test(id)) id = `r-${id}`;
  return id;
}

/** The OSCAL id of a requirement: its original OSCAL id when imported, else toOscalId(ref). */
export function oscalIdOf(req: Requirement): string {
  const original = req.oscal?.id;
  return typeof original === 'string' ? original : toOscalId(req.ref);
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

// ---------------------------------------------------------------- import

class OscalReader {
  private readonly requirements: Requirement[] = [];
  /** control id → JSON path of its first definition */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly located: LocatedJson,
  ) {}

  fail(path: JsonPath, reason: string): never {
    const pos = this.located.locate(path);
    throw new CatalogError({ file: this.file, line: pos.line, column: pos.column, path: formatJsonPath(path), reason });
  }

  private object(v: unknown, path: JsonPath): Record<string, unknown> {
    if (!isObject(v)) this.fail(path, 'expected a JSON object');
    return v;
  }

  private array(v: unknown, path: JsonPath): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'expected an array');
    if (v.length === 0) this.fail(path, 'an OSCAL array must not be empty');
    return v as unknown[];
  }

  private text(obj: Record<string, unknown>, key: string, path: JsonPath, required: true): string;
  private text(obj: Record<string, unknown>, key: string, path: JsonPath, required: false): string | undefined;
  private text(obj: Record<string, unknown>, key: string, path: JsonPath, required: boolean): string | undefined {
    const v = obj[key];
    if (v === undefined) {
      if (required) this.fail(path, `missing ${key}`);
      return undefined;
    }
    if (typeof v !== 'string') this.fail([...path, key], `${key} must be a string`);
    if (required && v.trim() === '') this.fail([...path, key], `${key} must not be empty`);
    return v;
  }

  private token(obj: Record<string, unknown>, key: string, path: JsonPath, required: boolean): string | undefined {
    const v = required ? this.text(obj, key, path, true) : this.text(obj, key, path, false);
    if (v !== undefined && !TOKEN.test(v)) this.fail([...path, key], `${key} ${JSON.stringify(v)} is not a valid OSCAL token`);
    return v;
  }

  private props(v: unknown, path: JsonPath): void {
    if (v === undefined) return;
    this.array(v, path).forEach((item, i) => {
      const p = this.object(item, [...path, i]);
      this.token(p, 'name', [...path, i], true);
      this.text(p, 'value', [...path, i], true);
    });
  }

  private links(v: unknown, path: JsonPath): void {
    if (v === undefined) return;
    this.array(v, path).forEach((item, i) => this.text(this.object(item, [...path, i]), 'href', [...path, i], true));
  }

  private params(v: unknown, path: JsonPath): void {
    if (v === undefined) return;
    this.array(v, path).forEach((item, i) => {
      const at = [...path, i];
      const p = this.object(item, at);
      this.token(p, 'id', at, true);
      this.props(p.props, [...at, 'props']);
      this.links(p.links, [...at, 'links']);
      if (p.select !== undefined) this.object(p.select, [...at, 'select']);
    });
  }

  private parts(v: unknown, path: JsonPath): void {
    if (v === undefined) return;
    this.array(v, path).forEach((item, i) => {
      const at = [...path, i];
      const p = this.object(item, at);
      this.token(p, 'name', at, true);
      this.token(p, 'id', at, false);
      this.text(p, 'prose', at, false);
      this.props(p.props, [...at, 'props']);
      this.links(p.links, [...at, 'links']);
      this.parts(p.parts, [...at, 'parts']);
    });
  }

  /** checks the parts of a control or group that this library keeps verbatim */
  private common(obj: Record<string, unknown>, path: JsonPath): void {
    this.text(obj, 'class', path, false);
    this.params(obj.params, [...path, 'params']);
    this.props(obj.props, [...path, 'props']);
    this.links(obj.links, [...path, 'links']);
    this.parts(obj.parts, [...path, 'parts']);
  }

  private title(obj: Record<string, unknown>, path: JsonPath): string {
    const title = this.text(obj, 'title', path, true).trim();
    if (title.length > LIMITS.title) this.fail([...path, 'title'], `title is ${title.length} characters, the limit is ${LIMITS.title}`);
    return title;
  }

  /** reads controls (and, recursively, their enhancements) into requirements; returns their ids */
  controls(v: unknown, path: JsonPath, group: string | undefined, parent: string | undefined): string[] {
    return this.array(v, path).map((item, i) => {
      const at = [...path, i];
      const control = this.object(item, at);
      if (control.id === undefined) this.fail(at, 'missing id');
      const id = this.token(control, 'id', at, true) as string;
      if (id.length > LIMITS.ref) this.fail([...at, 'id'], `id is ${id.length} characters, the limit is ${LIMITS.ref}`);
      const first = this.seen.get(id);
      if (first !== undefined) this.fail([...at, 'id'], `duplicate control id ${JSON.stringify(id)} (first defined at ${first})`);
      this.seen.set(id, formatJsonPath(at));
      const title = this.title(control, at);
      this.common(control, at);
      const { controls: children, ...kept } = control;
      const req: Requirement = { ref: id, title };
      if (group !== undefined) req.group = group;
      if (parent !== undefined) req.parent = parent;
      const guidance = guidanceOf(control.parts);
      if (guidance !== undefined) req.guidance = guidance;
      req.oscal = kept;
      this.requirements.push(req);
      if (children !== undefined) this.controls(children, [...at, 'controls'], group, id);
      return id;
    });
  }

  /** reads groups; returns their layout without controls (control ids in "control-ids") */
  groups(v: unknown, path: JsonPath): JsonObject[] {
    return this.array(v, path).map((item, i) => {
      const at = [...path, i];
      const group = this.object(item, at);
      const title = this.title(group, at);
      this.token(group, 'id', at, false);
      this.common(group, at);
      const { controls, groups, ...layout }: JsonObject = group;
      const out: JsonObject = { ...layout };
      if (groups !== undefined) out.groups = this.groups(groups, [...at, 'groups']);
      if (controls !== undefined) out['control-ids'] = this.controls(controls, [...at, 'controls'], title, undefined);
      return out;
    });
  }

  read(key: string | undefined): Catalog {
    const root = this.located.value;
    if (!isObject(root)) this.fail([], 'wrong root: expected a JSON object with a "catalog" property');
    if (!('catalog' in root)) {
      const other = OTHER_ROOTS.find((k) => k in root);
      this.fail([], other ? `wrong root: this is an OSCAL ${other}, not a catalog${other === 'profile' ? ' (resolve the profile into a catalog first)' : ''}` : 'wrong root: expected a "catalog" property');
    }
    const extra = Object.keys(root).filter((k) => k !== 'catalog' && k !== '$schema');
    if (extra.length > 0) this.fail([extra[0] ?? ''], `wrong root: unexpected property ${JSON.stringify(extra[0])} beside "catalog"`);
    const catalog = this.object(root.catalog, ['catalog']);
    const uuid = this.text(catalog, 'uuid', ['catalog'], true);
    if (!UUID.test(uuid)) this.fail(['catalog', 'uuid'], `uuid ${JSON.stringify(uuid)} is not a version 4 or 5 UUID`);
    const metadata = this.object(catalog.metadata, ['catalog', 'metadata']);
    const mPath = ['catalog', 'metadata'];
    const name = this.title(metadata, mPath);
    const version = this.text(metadata, 'version', mPath, true).trim();
    if (version.length > LIMITS.version) this.fail([...mPath, 'version'], `version is ${version.length} characters, the limit is ${LIMITS.version}`);
    const oscalVersion = this.text(metadata, 'oscal-version', mPath, true);
    if (!/^1\.\d+\.\d+/.test(oscalVersion)) this.fail([...mPath, 'oscal-version'], `unsupported oscal-version ${JSON.stringify(oscalVersion)} (expected 1.x.y)`);
    this.props(metadata.props, [...mPath, 'props']);
    this.params(catalog.params, ['catalog', 'params']);

    const kept: JsonObject = { uuid, metadata };
    if (catalog.params !== undefined) kept.params = catalog.params;
    if (catalog.groups !== undefined) kept.groups = this.groups(catalog.groups, ['catalog', 'groups']);
    if (catalog.controls !== undefined) kept['control-ids'] = this.controls(catalog.controls, ['catalog', 'controls'], undefined, undefined);
    if (catalog['back-matter'] !== undefined) kept['back-matter'] = this.object(catalog['back-matter'], ['catalog', 'back-matter']);
    if (this.requirements.length === 0) this.fail(['catalog'], 'the catalog has no controls');

    const catalogKey = key ?? keyProp(metadata.props) ?? keyFromTitle(name);
    return validateCatalog({ key: catalogKey, name, version, requirements: this.requirements, oscal: kept }, this.file);
  }
}

function keyProp(props: unknown): string | undefined {
  if (!Array.isArray(props)) return undefined;
  const p: unknown = props.find((x: unknown) => isObject(x) && x.ns === PACKETS_OSCAL_NS && x.name === 'catalog-key');
  return isObject(p) && typeof p.value === 'string' ? p.value : undefined;
}

/** a catalogue key from a title: its slug, cut at a word boundary to the key limit */
function keyFromTitle(title: string): string {
  let key = slug(title);
  if (!/^[a-z]/.test(key)) key = `oscal-${key}`.replace(/-+$/, '');
  if (key.length > LIMITS.key) {
    const cut = key.slice(0, LIMITS.key + 1);
    const boundary = cut.lastIndexOf('-');
    key = boundary > 0 ? cut.slice(0, boundary) : cut.slice(0, LIMITS.key);
  }
  return key;
}

function collectProse(parts: unknown[], out: string[]): void {
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (typeof part.prose === 'string' && part.prose.trim() !== '') out.push(part.prose.trim());
    if (Array.isArray(part.parts)) collectProse(part.parts as unknown[], out);
  }
}

/** prose of the control's top-level "guidance" parts (and their sub-parts), cut to the guidance limit */
function guidanceOf(parts: unknown): string | undefined {
  if (!Array.isArray(parts)) return undefined;
  const texts: string[] = [];
  collectProse(
    (parts as unknown[]).filter((p) => isObject(p) && p.name === 'guidance'),
    texts,
  );
  const text = texts.join('\n\n');
  return text === '' ? undefined : truncate(text, LIMITS.guidance);
}

/**
 * Imports an OSCAL 1.x catalog (JSON). Every control and control enhancement
 * becomes a requirement (ref = control id, group = enclosing group's title,
 * parent = enclosing control's id, guidance from the "guidance" part); the
 * OSCAL structure (params, parts, props, links, class, group layout,
 * metadata, back-matter) is kept in `oscal` fields for a faithful export.
 * Broken documents are refused with a CatalogError naming line, JSON path and reason.
 */
export function importOscalCatalog(text: string, options: OscalImportOptions = {}): Catalog {
  const file = options.fileName ?? 'OSCAL document';
  return new OscalReader(file, parseJsonLocated(text, file)).read(options.key);
}

// ---------------------------------------------------------------- export

function packetsProp(name: string, value: string): JsonObject {
  return { name, ns: PACKETS_OSCAL_NS, value };
}

class CatalogWriter {
  private readonly byRef: Map<string, Requirement>;
  private readonly children = new Map<string, Requirement[]>();
  private readonly ids = new Map<string, string>();
  private readonly placed = new Set<string>();

  constructor(private readonly catalog: Catalog) {
    this.byRef = new Map(catalog.requirements.map((r) => [r.ref, r]));
    const owner = new Map<string, string>();
    catalog.requirements.forEach((r, i) => {
      const id = oscalIdOf(r);
      const other = owner.get(id);
      if (other !== undefined) {
        throw new CatalogError({ file: catalog.key, path: `requirements[${i}].ref`, reason: `refs ${JSON.stringify(other)} and ${JSON.stringify(r.ref)} both map to OSCAL id ${JSON.stringify(id)}` });
      }
      owner.set(id, r.ref);
      this.ids.set(r.ref, id);
      if (r.parent !== undefined && this.byRef.has(r.parent)) {
        const list = this.children.get(r.parent) ?? [];
        list.push(r);
        this.children.set(r.parent, list);
      }
    });
  }

  private isTopLevel(r: Requirement): boolean {
    return r.parent === undefined || !this.byRef.has(r.parent);
  }

  control(req: Requirement): JsonObject {
    const id = this.ids.get(req.ref) ?? toOscalId(req.ref);
    let out: JsonObject;
    if (req.oscal) {
      out = { ...req.oscal, id, title: req.title };
      delete out.controls; // rebuilt below from the requirements' parents
    } else {
      const props: JsonObject[] = [{ name: 'label', value: req.ref }];
      if (req.kind) props.push(packetsProp('kind', req.kind));
      out = { id, title: req.title, props };
      if (req.guidance) out.parts = [{ id: `${id}_smt`, name: 'statement', prose: req.guidance }];
    }
    const kids = this.children.get(req.ref);
    if (kids && kids.length > 0) out.controls = kids.map((k) => this.control(k));
    return out;
  }

  /** rebuilds an imported group layout, placing the controls it lists */
  private layoutGroup(layout: unknown): JsonObject | undefined {
    if (!isObject(layout)) return undefined;
    const { groups, 'control-ids': ids, ...rest } = layout;
    const out: JsonObject = { ...rest };
    if (Array.isArray(groups)) {
      const sub = (groups as unknown[]).map((g) => this.layoutGroup(g)).filter((g): g is JsonObject => g !== undefined);
      if (sub.length > 0) out.groups = sub;
    }
    if (Array.isArray(ids)) {
      const controls = this.placeControls(ids as unknown[]);
      if (controls.length > 0) out.controls = controls;
    }
    return out;
  }

  private placeControls(ids: unknown[]): JsonObject[] {
    const out: JsonObject[] = [];
    for (const ref of ids) {
      const req = typeof ref === 'string' ? this.byRef.get(ref) : undefined;
      if (!req || !this.isTopLevel(req) || this.placed.has(req.ref)) continue;
      this.placed.add(req.ref);
      out.push(this.control(req));
    }
    return out;
  }

  layout(): { groups: JsonObject[]; controls: JsonObject[] } {
    const oscal = this.catalog.oscal;
    const groups: JsonObject[] = [];
    const controls: JsonObject[] = [];
    if (oscal) {
      if (Array.isArray(oscal.groups)) {
        for (const g of oscal.groups as unknown[]) {
          const rebuilt = this.layoutGroup(g);
          if (rebuilt) groups.push(rebuilt);
        }
      }
      if (Array.isArray(oscal['control-ids'])) controls.push(...this.placeControls(oscal['control-ids'] as unknown[]));
    }
    // everything not placed by an imported layout: grouped by `group`, in order of appearance
    const groupIds = new Set(groups.map((g) => g.id).filter((id): id is string => typeof id === 'string'));
    for (const req of this.catalog.requirements) {
      if (!this.isTopLevel(req) || this.placed.has(req.ref)) continue;
      this.placed.add(req.ref);
      const control = this.control(req);
      if (req.group === undefined) {
        controls.push(control);
        continue;
      }
      let group = groups.find((g) => g.title === req.group);
      if (!group) {
        let id = slug(req.group) || 'group';
        if (!/^[a-z]/.test(id)) id = `g-${id}`;
        for (let n = 2; groupIds.has(id); n++) id = `${slug(req.group) || 'group'}-${n}`;
        groupIds.add(id);
        group = { id, title: req.group };
        groups.push(group);
      }
      const list = Array.isArray(group.controls) ? (group.controls as unknown[]) : [];
      list.push(control);
      group.controls = list;
    }
    return { groups, controls };
  }
}

/**
 * Exports a catalogue as an OSCAL 1.1.2 catalog (JSON text). Imported
 * catalogues keep their OSCAL structure; our own get groups from `group`,
 * ids from toOscalId(ref) with the original ref in a `label` prop, and a
 * statement part holding the guidance.
 */
export function exportOscalCatalog(catalog: Catalog, options: OscalExportOptions = {}): string {
  const now = options.now ?? new Date();
  const uuid = options.uuid ?? randomUUID;
  const writer = new CatalogWriter(catalog);
  const docUuid = uuid();

  const original = catalog.oscal && isObject(catalog.oscal.metadata) ? catalog.oscal.metadata : undefined;
  const metadata: JsonObject = {
    ...original,
    title: catalog.name,
    'last-modified': now.toISOString(),
    version: catalog.version,
    'oscal-version': OSCAL_VERSION,
  };
  const props = (Array.isArray(original?.props) ? (original.props as unknown[]) : []).filter((p) => !(isObject(p) && p.ns === PACKETS_OSCAL_NS && p.name === 'catalog-key'));
  metadata.props = [...props, packetsProp('catalog-key', catalog.key)];
  if (!original) {
    if (catalog.source !== undefined && /^https?:\/\//.test(catalog.source)) metadata.links = [{ href: catalog.source, rel: 'reference' }];
    if (catalog.publisher !== undefined) {
      const party = uuid();
      metadata.roles = [{ id: 'publisher', title: 'Publisher' }];
      metadata.parties = [{ uuid: party, type: 'organization', name: catalog.publisher }];
      metadata['responsible-parties'] = [{ 'role-id': 'publisher', 'party-uuids': [party] }];
    }
    if (catalog.source !== undefined && !/^https?:\/\//.test(catalog.source)) metadata.remarks = catalog.source;
  }

  const out: JsonObject = { uuid: docUuid, metadata };
  if (catalog.oscal && Array.isArray(catalog.oscal.params)) out.params = catalog.oscal.params;
  const { groups, controls } = writer.layout();
  if (groups.length > 0) out.groups = groups;
  if (controls.length > 0) out.controls = controls;
  if (catalog.oscal && isObject(catalog.oscal['back-matter'])) out['back-matter'] = catalog.oscal['back-matter'];
  return `${JSON.stringify({ catalog: out }, null, 2)}\n`;
}

// ---------------------------------------------------------------- component-definition

export interface OrgControlMapping {
  frameworkKey: string;
  ref: string;
}

export interface OrgControl {
  id: string;
  title: string;
  description: string;
  /** e.g. "implemented", "partial", "planned", "not-applicable" */
  status: string;
  implementationNotes?: string | null;
  mappings: readonly OrgControlMapping[];
}

export interface ComponentDefinitionInput {
  orgName: string;
  controls: readonly OrgControl[];
  /** document version; defaults to the date of `now` */
  version?: string;
}

export interface ComponentDefinitionOptions extends OscalExportOptions {
  /** when given, every mapping must name an existing catalogue and ref, and control-ids follow the catalogue's OSCAL ids */
  catalogs?: readonly Catalog[];
}

/** the stable URI used as `source` of a framework's control-implementation */
export function catalogSourceUri(frameworkKey: string): string {
  return `packets:catalog:${frameworkKey}`;
}

/**
 * Exports an organisation's controls as an OSCAL 1.1.2 component-definition
 * (JSON text): one component with a control-implementation per framework
 * (frameworks in alphabetical order of key), and an implemented-requirement
 * per (control, ref) in input order. Output is deterministic given `now` and `uuid`.
 */
export function exportOscalComponentDefinition(input: ComponentDefinitionInput, options: ComponentDefinitionOptions = {}): string {
  const file = 'component-definition input';
  const fail = (path: string, reason: string): never => {
    throw new CatalogError({ file, path, reason });
  };
  const now = options.now ?? new Date();
  const uuid = options.uuid ?? randomUUID;
  const orgName = input.orgName.trim();
  if (orgName === '') fail('orgName', 'must not be empty');
  const catalogs = options.catalogs ? new Map(options.catalogs.map((c) => [c.key, c])) : undefined;

  interface Row {
    control: OrgControl;
    ref: string;
    controlId: string;
  }
  const byFramework = new Map<string, Row[]>();
  const done = new Set<string>();
  input.controls.forEach((control, i) => {
    if (control.id.trim() === '') fail(`controls[${i}].id`, 'must not be empty');
    if (control.title.trim() === '') fail(`controls[${i}].title`, 'must not be empty');
    if (control.status.trim() === '') fail(`controls[${i}].status`, 'must not be empty');
    control.mappings.forEach((m, j) => {
      const at = `controls[${i}].mappings[${j}]`;
      if (m.frameworkKey.trim() === '' || m.ref.trim() === '') fail(at, 'frameworkKey and ref must not be empty');
      let controlId = toOscalId(m.ref);
      if (catalogs) {
        const catalog = catalogs.get(m.frameworkKey) ?? fail(at, `unknown framework ${JSON.stringify(m.frameworkKey)}`);
        const req = catalog.requirements.find((r) => r.ref === m.ref) ?? fail(at, `ref ${JSON.stringify(m.ref)} does not exist in the ${m.frameworkKey} catalogue`);
        controlId = oscalIdOf(req);
      }
      const dedupe = JSON.stringify([control.id, m.frameworkKey, m.ref]);
      if (done.has(dedupe)) return;
      done.add(dedupe);
      const rows = byFramework.get(m.frameworkKey) ?? [];
      rows.push({ control, ref: m.ref, controlId });
      byFramework.set(m.frameworkKey, rows);
    });
  });

  const docUuid = uuid();
  const componentUuid = uuid();
  const implementations = [...byFramework.keys()].sort().map((frameworkKey): JsonObject => {
    const frameworkName = catalogs?.get(frameworkKey)?.name ?? frameworkKey;
    const implUuid = uuid();
    return {
      uuid: implUuid,
      source: catalogSourceUri(frameworkKey),
      description: `${orgName}: controls mapped to ${frameworkName}.`,
      'implemented-requirements': (byFramework.get(frameworkKey) ?? []).map(({ control, ref, controlId }): JsonObject => {
        const req: JsonObject = {
          uuid: uuid(),
          'control-id': controlId,
          description: control.description.trim() || control.title,
          props: [
            packetsProp('framework-ref', ref),
            packetsProp('org-control', control.id),
            packetsProp('org-control-title', control.title),
            packetsProp('status', control.status),
          ],
        };
        const notes = control.implementationNotes?.trim();
        if (notes) req.remarks = notes;
        return req;
      }),
    };
  });

  const component: JsonObject = {
    uuid: componentUuid,
    type: 'this-system',
    title: orgName,
    description: `Security and privacy controls operated by ${orgName}.`,
  };
  if (implementations.length > 0) component['control-implementations'] = implementations;
  const doc = {
    'component-definition': {
      uuid: docUuid,
      metadata: {
        title: `${orgName} control implementations`,
        'last-modified': now.toISOString(),
        version: input.version ?? now.toISOString().slice(0, 10),
        'oscal-version': OSCAL_VERSION,
      },
      components: [component],
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
