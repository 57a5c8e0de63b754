// The repository's test configuration (the same projects: unit without a database,
// integration with the global setup's PostgreSQL and migrations), limited to the specs
// here, which fail on purpose: a failing test and a file that throws on import in each
// project. .ci/run checks that the command returns non-zero for them, with and without
// DATABASE_URL.
import { fileURLToPath } from 'node:url';
import { testConfig } from '../../vitest.config.mts';

export default { ...testConfig('.ci/known-failing'), root: fileURLToPath(new URL('../..', import.meta.url)) };
