// Framework catalogue and starter-control types, their validation (with file/line/reason errors) and loading of the built-in data files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogError, formatJsonPath, type JsonPath } from './catalog-error';
import { parseJsonLocated, type LocatedJson } from './json-text';

export { CatalogError, type CatalogErrorDetails } from './catalog-error';

/** JSON kept as-is (e.g. the original OSCAL structure): only known to be a JSON object */
export type JsonObject = { [key: string]: unknown };

export type RequirementKind = 'clause' | 'annex-a';

export interface Requirement {
  /** identifier unique within the catalogue, e.g. "CC6.1", "A.8.24", "Art.33", "S.8(6)", "ac-2.1" */
  ref: string;
  title: string;
  /** title of the enclosing group (chapter, category, control family) */
  group?: string;
  guidance?: string;
  /** ISO/IEC 27001 only: management-system clause or Annex A control */
  kind?: RequirementKind;
  /** ref of the requirement this one refines (OSCAL control enhancements) */
  parent?: string;
  /** original OSCAL control (without nested controls), for a faithful round trip */
  oscal?: JsonObject;
}

export interface Catalog {
  /** short stable key, e.g. "soc2", "iso27001" */
  key: string;
  name: string;
  version: string;
  publisher?: string;
  source?: string;
  requirements: Requirement[];
  /** original OSCAL catalogue metadata, back-matter and group layout, for a faithful round trip */
  oscal?: JsonObject;
}

export interface StarterControl {
  key: string;
  title: string;
  description: string;
  /** framework key → refs in that framework's catalogue */
  mappings: Record<string, string[]>;
}

export const LIMITS = {
  key: 64,
  name: 200,
  version: 100,
  publisher: 200,
  source: 500,
  ref: 64,
  title: 200,
  group: 200,
  guidance: 1000,
  description: 1000,
} as const;

export const BUILT_IN_CATALOG_KEYS = ['soc2', 'iso27001', 'gdpr', 'dpdp'] as const;
export type BuiltInCatalogKey = (typeof BUILT_IN_CATALOG_KEYS)[number];

/** libs/catalogs/data: the catalogues the product ships, read at run time (migration, starter controls) */
export const CATALOG_DATA_DIR = join(__dirname, '..', 'data');

const KEY_PATTERN = /^[a-z][a-z0-9-]*$/;
const CATALOG_KEYS = new Set(['key', 'name', 'version', 'publisher', 'source', 'requirements', 'oscal']);
const REQUIREMENT_KEYS = new Set(['ref', 'title', 'group', 'guidance', 'kind', 'parent', 'oscal']);
const STARTER_FILE_KEYS = new Set(['controls']);
const STARTER_KEYS = new Set(['key', 'title', 'description', 'mappings']);
const KINDS: readonly string[] = ['clause', 'annex-a'] satisfies RequirementKind[];

export interface ValidateCatalogOptions {
  /**
   * Require the descriptive fields our own data files carry: publisher and
   * source on the catalogue, group and guidance on every requirement.
   */
  requireDescriptions?: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where validation is: the file, and the parsed text when there is one (for line numbers). */
class Checker {
  constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly located?: LocatedJson,
  ) {}

  lineOf(path: JsonPath): number | undefined {
    return this.located?.locate(path).line;
  }

  fail(path: JsonPath, reason: string): never {
    const pos = this.located?.locate(path);
    throw new CatalogError({ file: this.file, line: pos?.line, column: pos?.column, path: formatJsonPath(path), reason });
  }

  object(v: unknown, path: JsonPath, allowed: ReadonlySet<string>): Record<string, unknown> {
    if (!isObject(v)) this.fail(path, 'expected a JSON object');
    for (const k of Object.keys(v)) {
      if (!allowed.has(k)) this.fail([...path, k], `unknown key ${JSON.stringify(k)} (allowed: ${[...allowed].join(', ')})`);
    }
    return v;
  }

  string(obj: Record<string, unknown>, key: string, path: JsonPath, max: number, required: true): string;
  string(obj: Record<string, unknown>, key: string, path: JsonPath, max: number, required: boolean): string | undefined;
  string(obj: Record<string, unknown>, key: string, path: JsonPath, max: number, required: boolean): string | undefined {
    const v = obj[key];
    if (v === undefined) {
      if (required) this.fail(path, `missing ${JSON.stringify(key)}`);
      return undefined;
    }
    const at = [...path, key];
    if (typeof v !== 'string') this.fail(at, `${JSON.stringify(key)} must be a string`);
    if (v.trim() === '') this.fail(at, `${JSON.stringify(key)} must not be empty`);
    if (v !== v.trim()) this.fail(at, `${JSON.stringify(key)} has leading or trailing whitespace`);
    if (v.length > max) this.fail(at, `${JSON.stringify(key)} is ${v.length} characters, the limit is ${max}`);
    return v;
  }

  key(obj: Record<string, unknown>, path: JsonPath): string {
    const key = this.string(obj, 'key', path, LIMITS.key, true);
    if (!KEY_PATTERN.test(key)) this.fail([...path, 'key'], `key ${JSON.stringify(key)} must be lowercase letters, digits and hyphens, starting with a letter`);
    return key;
  }

  array(obj: Record<string, unknown>, key: string, path: JsonPath): unknown[] {
    const v = obj[key];
    if (v === undefined) this.fail(path, `missing ${JSON.stringify(key)}`);
    if (!Array.isArray(v)) this.fail([...path, key], `${JSON.stringify(key)} must be an array`);
    return v as unknown[];
  }
}

function start(input: unknown, fileName: string): Checker {
  if (typeof input === 'string') {
    const located = parseJsonLocated(input, fileName);
    return new Checker(fileName, located.value, located);
  }
  return new Checker(fileName, input);
}

/**
 * Validates a framework catalogue, given as raw JSON text (errors then carry
 * line numbers) or as an already-parsed value. Refuses unknown keys, missing,
 * empty or oversized fields, duplicate refs and dangling parents with a
 * CatalogError naming the file, line, JSON path and reason.
 */
export function validateCatalog(input: unknown, fileName: string, options: ValidateCatalogOptions = {}): Catalog {
  // explicitly typed so that check.fail() (returning never) narrows
  const check: Checker = start(input, fileName);
  const value = check.value;
  const strict = options.requireDescriptions === true;
  const root = check.object(value, [], CATALOG_KEYS);
  const catalog: Catalog = {
    key: check.key(root, []),
    name: check.string(root, 'name', [], LIMITS.name, true),
    version: check.string(root, 'version', [], LIMITS.version, true),
    requirements: [],
  };
  const publisher = check.string(root, 'publisher', [], LIMITS.publisher, strict);
  const source = check.string(root, 'source', [], LIMITS.source, strict);
  if (publisher !== undefined) catalog.publisher = publisher;
  if (source !== undefined) catalog.source = source;
  if (root.oscal !== undefined) {
    if (!isObject(root.oscal)) check.fail(['oscal'], '"oscal" must be a JSON object');
    catalog.oscal = root.oscal;
  }

  const items = check.array(root, 'requirements', []);
  if (items.length === 0) check.fail(['requirements'], 'the catalogue has no requirements');
  const firstIndex = new Map<string, number>();
  items.forEach((item, i) => {
    const path = ['requirements', i];
    const r = check.object(item, path, REQUIREMENT_KEYS);
    const ref = check.string(r, 'ref', path, LIMITS.ref, true);
    const seen = firstIndex.get(ref);
    if (seen !== undefined) {
      const firstLine = check.lineOf(['requirements', seen, 'ref']);
      check.fail([...path, 'ref'], `duplicate ref ${JSON.stringify(ref)} (first used at requirements[${seen}]${firstLine !== undefined ? `, line ${firstLine}` : ''})`);
    }
    firstIndex.set(ref, i);
    const req: Requirement = { ref, title: check.string(r, 'title', path, LIMITS.title, true) };
    const group = check.string(r, 'group', path, LIMITS.group, strict);
    const guidance = check.string(r, 'guidance', path, LIMITS.guidance, strict);
    if (group !== undefined) req.group = group;
    if (guidance !== undefined) req.guidance = guidance;
    if (r.kind !== undefined) {
      if (typeof r.kind !== 'string' || !KINDS.includes(r.kind)) check.fail([...path, 'kind'], `"kind" must be one of ${KINDS.join(', ')}`);
      req.kind = r.kind as RequirementKind;
    }
    const parent = check.string(r, 'parent', path, LIMITS.ref, false);
    if (parent !== undefined) req.parent = parent;
    if (r.oscal !== undefined) {
      if (!isObject(r.oscal)) check.fail([...path, 'oscal'], '"oscal" must be a JSON object');
      req.oscal = r.oscal;
    }
    catalog.requirements.push(req);
  });

  // parents must exist and must not loop
  const byRef = new Map(catalog.requirements.map((r) => [r.ref, r]));
  catalog.requirements.forEach((r, i) => {
    if (r.parent === undefined) return;
    if (!byRef.has(r.parent)) check.fail(['requirements', i, 'parent'], `parent ${JSON.stringify(r.parent)} is not a ref in this catalogue`);
    const chain = new Set([r.ref]);
    for (let p: string | undefined = r.parent; p !== undefined; p = byRef.get(p)?.parent) {
      if (chain.has(p)) check.fail(['requirements', i, 'parent'], `parent chain of ${JSON.stringify(r.ref)} loops back to ${JSON.stringify(p)}`);
      chain.add(p);
    }
  });
  return catalog;
}

/**
 * Validates a starter-control file (`{ "controls": [...] }`, raw text or
 * parsed): unique kebab-case keys, bounded fields, and every mapped ref
 * present in the named framework's catalogue.
 */
export function validateStarterControls(input: unknown, fileName: string, catalogs: readonly Catalog[]): StarterControl[] {
  const check: Checker = start(input, fileName);
  const root = check.object(check.value, [], STARTER_FILE_KEYS);
  const items = check.array(root, 'controls', []);
  const refsByFramework = new Map(catalogs.map((c) => [c.key, new Set(c.requirements.map((r) => r.ref))]));
  const firstIndex = new Map<string, number>();
  return items.map((item, i): StarterControl => {
    const path = ['controls', i];
    const c = check.object(item, path, STARTER_KEYS);
    const key = check.key(c, path);
    const seen = firstIndex.get(key);
    if (seen !== undefined) {
      const firstLine = check.lineOf(['controls', seen, 'key']);
      check.fail([...path, 'key'], `duplicate key ${JSON.stringify(key)} (first used at controls[${seen}]${firstLine !== undefined ? `, line ${firstLine}` : ''})`);
    }
    firstIndex.set(key, i);
    const title = check.string(c, 'title', path, LIMITS.title, true);
    const description = check.string(c, 'description', path, LIMITS.description, true);
    if (c.mappings === undefined) check.fail(path, 'missing "mappings"');
    const mapPath = [...path, 'mappings'];
    if (!isObject(c.mappings)) check.fail(mapPath, '"mappings" must be a JSON object');
    const mappings: Record<string, string[]> = {};
    for (const [framework, refs] of Object.entries(c.mappings)) {
      const fwPath = [...mapPath, framework];
      const known = refsByFramework.get(framework);
      if (!known) check.fail(fwPath, `unknown framework ${JSON.stringify(framework)} (known: ${[...refsByFramework.keys()].join(', ')})`);
      if (!Array.isArray(refs)) check.fail(fwPath, 'expected an array of refs');
      const list: string[] = [];
      (refs as unknown[]).forEach((ref, j) => {
        if (typeof ref !== 'string') check.fail([...fwPath, j], 'a ref must be a string');
        if (!known.has(ref)) check.fail([...fwPath, j], `ref ${JSON.stringify(ref)} does not exist in the ${framework} catalogue`);
        if (list.includes(ref)) check.fail([...fwPath, j], `ref ${JSON.stringify(ref)} is listed twice`);
        list.push(ref);
      });
      mappings[framework] = list;
    }
    return { key, title, description, mappings };
  });
}

function readData(fileName: string): string {
  return readFileSync(join(CATALOG_DATA_DIR, fileName), 'utf8');
}

/** Reads and validates one built-in catalogue; its key must match its file name. */
export function loadBuiltInCatalog(key: BuiltInCatalogKey): Catalog {
  const fileName = `${key}.json`;
  const text = readData(fileName);
  const catalog = validateCatalog(text, fileName, { requireDescriptions: true });
  if (catalog.key !== key) {
    const pos = parseJsonLocated(text, fileName).locate(['key']);
    throw new CatalogError({ file: fileName, line: pos.line, column: pos.column, path: 'key', reason: `key ${JSON.stringify(catalog.key)} does not match the file name` });
  }
  return catalog;
}

/** The four built-in catalogues (SOC 2, ISO/IEC 27001, GDPR, DPDP), validated. */
export function loadBuiltInCatalogs(): Catalog[] {
  return BUILT_IN_CATALOG_KEYS.map(loadBuiltInCatalog);
}

/** The starter control set, with every mapping checked against the catalogues (the built-ins by default). */
export function loadStarterControls(catalogs: readonly Catalog[] = loadBuiltInCatalogs()): StarterControl[] {
  const fileName = 'starter-controls.json';
  return validateStarterControls(readData(fileName), fileName, catalogs);
}
