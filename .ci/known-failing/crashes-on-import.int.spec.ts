// Run on purpose by .ci/run: a file of the integration project that throws while
// loading must fail the run.
import { it } from 'vitest';

throw new Error('this integration suite crashes on import, on purpose');

it('never collected', () => undefined);
