// Password rules (ID-3): 12 to 128 characters, not on the common-password list
// shipped in apps/identity/data (20,000 entries, see its README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput, validate } from '@packets/graphql';

let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(__dirname, '../../data/common-passwords.txt'), 'utf8').split('\n').map((l) => l.trim().toLowerCase()).filter(Boolean),
  );
  return common;
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}

/** Validates a new password; the message never echoes it. */
export function newPassword(value: string, field = 'password'): string {
  validate.password(value, field);
  if (commonPasswords().has(value.toLowerCase())) {
    throw badInput(`${field} is too common: it appears on a list of frequently used passwords`, field);
  }
  return value;
}
