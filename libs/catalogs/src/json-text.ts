// A strict JSON parser that remembers where every value starts, so validation errors can name the line and column; also refuses duplicate keys.
import { CatalogError, type JsonPath } from './catalog-error';

export interface TextPosition {
  line: number;
  column: number;
}

export interface LocatedJson {
  value: unknown;
  /** position of the value at `path`, or of its nearest existing ancestor */
  locate(path: JsonPath): TextPosition;
}

/** 1-based line and column of a character offset */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  if (ch === '\n') return 'a line break';
  return JSON.stringify(ch);
}

/** offsets of each child value, by key (objects) or index (arrays) */
type ChildOffsets = Map<string | number, number>;

class Parser {
  private pos = 0;
  readonly offsets = new WeakMap<object, ChildOffsets>();

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  parse(): unknown {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1; // tolerate a UTF-8 byte order mark
    const value = this.value(0);
    this.ws();
    if (this.pos < this.text.length) this.fail(`unexpected ${describe(this.text[this.pos])} after the end of the JSON value`);
    return value;
  }

  private fail(reason: string, at = this.pos): never {
    const { line, column } = positionAt(this.text, at);
    throw new CatalogError({ file: this.file, line, column, reason: `invalid JSON: ${reason}` });
  }

  private ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting is too deep');
    this.ws();
    const ch = this.text[this.pos];
    switch (ch) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case undefined:
        return this.fail('unexpected end of input, expected a value');
      default:
        if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
        return this.fail(`unexpected ${describe(ch)}, expected a value`);
    }
  }

  private literal<T>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail(`unexpected ${describe(this.text[this.pos])}, expected a value`);
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m || m[0] === '-') this.fail('malformed number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      if (i >= t.length) this.fail('unterminated string', start);
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail('control character in string (escape it)', i);
      if (c === 0x5c) {
        escaped = true;
        const e = t[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) this.fail('invalid \\u escape in string', i);
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail(`invalid escape \\${e ?? ''} in string`, i);
        i += 2;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
    if (!escaped) return t.slice(start + 1, i);
    const decoded: unknown = JSON.parse(t.slice(start, i + 1));
    return typeof decoded === 'string' ? decoded : this.fail('invalid string', start);
  }

  private object(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const children: ChildOffsets = new Map();
    this.offsets.set(obj, children);
    this.pos++; // {
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail(`unexpected ${describe(this.text[this.pos])}, expected a property name in double quotes`);
      const keyAt = this.pos;
      const key = this.string();
      if (children.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.ws();
      if (this.text[this.pos] !== ':') this.fail(`unexpected ${describe(this.text[this.pos])}, expected ':' after the property name`);
      this.pos++;
      this.ws();
      children.set(key, this.pos);
      // defineProperty: a "__proto__" key must become an own property, as JSON.parse does
      Object.defineProperty(obj, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.ws();
      const ch = this.text[this.pos];
      if (ch === ',') {
        this.pos++;
        continue;
      }
      if (ch === '}') {
        this.pos++;
        return obj;
      }
      this.fail(`unexpected ${describe(ch)}, expected ',' or '}'`);
    }
  }

  private array(depth: number): unknown[] {
    const arr: unknown[] = [];
    const children: ChildOffsets = new Map();
    this.offsets.set(arr, children);
    this.pos++; // [
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.ws();
      children.set(arr.length, this.pos);
      arr.push(this.value(depth + 1));
      this.ws();
      const ch = this.text[this.pos];
      if (ch === ',') {
        this.pos++;
        continue;
      }
      if (ch === ']') {
        this.pos++;
        return arr;
      }
      this.fail(`unexpected ${describe(ch)}, expected ',' or ']'`);
    }
  }
}

/**
 * Parses JSON text, refusing syntax errors and duplicate keys with a CatalogError
 * that carries the line and column. The result can locate any JSON path.
 */
export function parseJsonLocated(text: string, file: string): LocatedJson {
  const parser = new Parser(text, file);
  const value = parser.parse();
  const rootOffset = text.length - text.replace(/^[\uFEFF\s]+/, '').length;
  return {
    value,
    locate(path: JsonPath): TextPosition {
      let offset = rootOffset;
      let current: unknown = value;
      for (const seg of path) {
        if (typeof current !== 'object' || current === null) break;
        const at = parser.offsets.get(current)?.get(seg);
        if (at === undefined) break;
        offset = at;
        current = (current as Record<string | number, unknown>)[seg];
      }
      return positionAt(text, offset);
    },
  };
}
