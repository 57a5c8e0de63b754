// Run on purpose by .ci/run: a unit file that throws while loading must fail the run.
import { it } from 'vitest';

throw new Error('this suite crashes on import, on purpose');

it('never collected', () => undefined);
