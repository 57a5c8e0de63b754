// Input checks shared by services. Each failure is a BAD_USER_INPUT naming the field.
import { badInput } from './errors';

export function text(value: string | null | undefined, field: string, opts: { min?: number; max: number }): string {
  const v = (value ?? '').trim();
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
  const v = value.trim().toLowerCase();
  if (v.length > 254 || !EMAIL.test(v)) throw badInput(`${field} is not a valid email address`, field);
  return v;
}

export function password(value: string, field = 'password'): string {
  if (value.length < 12) throw badInput(`${field} must be at least 12 characters`, field);
  if (value.length > 128) throw badInput(`${field} must be at most 128 characters`, field);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function oneOf<T extends string>(value: string, field: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw badInput(`${field} must be one of ${allowed.join(', ')}`, field);
  return value as T;
}
