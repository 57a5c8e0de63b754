// Input checks shared by services. Each failure is a BAD_USER_INPUT naming the field.
import { Kind, parse, visit } from 'graphql';
import { badInput } from './errors';
import type { Refusal } from './http';

// U+0000 (PostgreSQL text and jsonb cannot hold it) or a UTF-16 surrogate without
// its partner (not a character at all: node-postgres would turn it into U+FFFD).
const ILL_FORMED = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** False for a string holding U+0000 or an unpaired surrogate. */
export function isWellFormed(value: string): boolean {
  return !ILL_FORMED.test(value);
}

/**
 * The path (e.g. `variables.input.tags[2]`) of the first ill-formed string in a
 * JSON value, keys included, or null. Iterative: a deeply nested body cannot blow the stack.
 */
export function illFormedPath(value: unknown, root = ''): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return path || 'value';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        const at = path ? `${path}.${k}` : k;
        if (!isWellFormed(k)) return `${path || 'request'} (a key)`;
        stack.push([child, at]);
      }
    }
  }
  return null;
}

/**
 * The edge check of a GraphQL request (`{ query, variables, ... }`): every string in
 * it, and every string literal the document spells with escapes (`"\u0000"`), must be
 * well formed. Returns the refusal's message, or null. A document that does not parse
 * is left to the server's own parser.
 */
export function illFormedRequest(body: unknown): string | null {
  const at = illFormedPath(body);
  if (at) return `${at} contains a NUL character or an unpaired surrogate`;
  const query = typeof body === 'object' && body !== null ? (body as { query?: unknown }).query : undefined;
  // raw characters were checked above; only an escape can make a literal ill-formed
  if (typeof query !== 'string' || !query.includes('\\u')) return null;
  let document;
  try {
    document = parse(query, { noLocation: true });
  } catch (err) {
    // graphql-js refuses an escaped surrogate without its partner as a syntax error: it is bad input all the same
    return err instanceof Error && SURROGATE_ESCAPE.test(err.message) ? LITERAL_PROBLEM : null;
  }
  let bad = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (!isWellFormed(node.value)) bad = true;
    },
  });
  return bad ? LITERAL_PROBLEM : null;
}

const LITERAL_PROBLEM = 'a string literal in the query contains a NUL character or an unpaired surrogate';
const SURROGATE_ESCAPE = /^Syntax Error: Invalid Unicode escape sequence: "\\u(\{0*)?d[89a-f][0-9a-f]{2}\}?"/i;

/** `illFormedRequest` as an HTTP refusal (BAD_USER_INPUT, 400), for `createHttpApp`'s `inspect`. */
export function refuseIllFormed(body: unknown): Refusal | null {
  const problem = illFormedRequest(body);
  return problem ? { status: 400, code: 'BAD_USER_INPUT', message: problem } : null;
}

/** Refuses a string holding U+0000 or an unpaired surrogate (BAD_USER_INPUT naming the field). */
export function wellFormed(value: string, field: string): string {
  if (!isWellFormed(value)) throw badInput(`${field} contains a NUL character or an unpaired surrogate`, field);
  return value;
}

export function text(value: string | null | undefined, field: string, opts: { min?: number; max: number }): string {
  const v = wellFormed(value ?? '', field).trim();
  const min = opts.min ?? 1;
  if (v.length < min) throw badInput(min === 1 ? `${field} is required` : `${field} must be at least ${min} characters`, field);
  if (v.length > opts.max) throw badInput(`${field} must be at most ${opts.max} characters`, field);
  return v;
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return text(value, field, { max });
}

// Deliberately plain: one @, no spaces, a dot in the domain. RFC 5322 in full accepts far more than mail servers do.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@.]{2,63}$/;

export function email(value: string, field = 'email'): string {
  const v = wellFormed(value, field).trim().toLowerCase();
  if (v.length > 254 || !EMAIL.test(v)) throw badInput(`${field} is not a valid email address`, field);
  return v;
}

export function password(value: string, field = 'password'): string {
  wellFormed(value, field);
  if (value.length < 12) throw badInput(`${field} must be at least 12 characters`, field);
  if (value.length > 128) throw badInput(`${field} must be at most 128 characters`, field);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An id given to narrow a list (a filter) or to point at a record to link: BAD_USER_INPUT unless a UUID. */
export function id(value: string, field: string): string {
  if (!UUID.test(value)) throw badInput(`${field} is not a valid id`, field);
  return value;
}

/** The same for an optional id: null and undefined pass as null. */
export function optionalId(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : id(value, field);
}

export function oneOf<T extends string>(value: string, field: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw badInput(`${field} must be one of ${allowed.join(', ')}`, field);
  return value as T;
}
