// Run on purpose by .ci/run (never by `npm test`: it lives outside the include glob):
// a failing assertion in the integration project (the one with the global setup's
// PostgreSQL) must make the test command exit non-zero.
import { expect, inject, it } from 'vitest';

it('fails on purpose, with the database provided', () => {
  expect(inject('adminUrl')).toMatch(/^postgres(ql)?:\/\//);
  expect(1 + 1).toBe(3);
});
