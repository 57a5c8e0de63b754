// Unique violations (SQLSTATE 23505) are how PostgreSQL settles a race between two
// requests that both checked "not there yet": the loser must get a coded answer, so
// the service that knows what the constraint means asks here which one it was.
import { UniqueConstraintViolationException } from '@mikro-orm/core';

/**
 * The name of the unique constraint the error broke ('' when PostgreSQL did not name
 * it), or undefined when the error is not a unique violation. Works for MikroORM's
 * exception (flush, em.execute) and for a raw pg error.
 */
export function uniqueViolation(err: unknown): string | undefined {
  if (!(err instanceof UniqueConstraintViolationException) && (err as { code?: unknown } | null)?.code !== '23505') return undefined;
  const constraint = (err as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : '';
}
