// The single error type for refused catalogue, starter-control and OSCAL input: says which file, where (line/column, JSON path) and why.

export interface CatalogErrorDetails {
  /** file name (or a label such as "OSCAL document") of the refused input */
  file?: string;
  /** 1-based line in the JSON text, when known */
  line?: number;
  /** 1-based column in the JSON text, when known */
  column?: number;
  /** JSON path of the offending value, e.g. `catalog.groups[3].controls[2]` */
  path?: string;
  /** what is wrong, in plain words */
  reason: string;
}

function formatMessage(d: CatalogErrorDetails): string {
  let where = d.file ?? '';
  if (d.line !== undefined) {
    where += `${where ? ':' : 'line '}${d.line}`;
    if (d.column !== undefined) where += `:${d.column}`;
  }
  const head = [where, d.path].filter((s): s is string => Boolean(s)).join(': ');
  return head ? `${head}: ${d.reason}` : d.reason;
}

export class CatalogError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;
  readonly reason: string;

  constructor(details: CatalogErrorDetails) {
    super(formatMessage(details));
    this.name = 'CatalogError';
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.path = details.path;
    this.reason = details.reason;
  }
}

export type JsonPath = readonly (string | number)[];

/** `['catalog', 'groups', 3, 'controls', 2]` → `catalog.groups[3].controls[2]`; the empty path is `(root)` */
export function formatJsonPath(path: JsonPath): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
