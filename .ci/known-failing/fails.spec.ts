// Run on purpose by .ci/run (never by `npm test`: it lives outside the include glob):
// a failing assertion in the unit project (no global setup) must make the test
// command exit non-zero.
import { expect, it } from 'vitest';

it('fails on purpose', () => {
  expect(1 + 1).toBe(3);
});
