// The bare stack's process for `npm run bench:compare` (see compare/child.ts).
import { serveStack } from '../compare/child';
import { bareStatements, startBareStack } from './stack';

export interface BareConfig { databaseUrl: string; orgId: string }

serveStack<BareConfig>(async (config) => {
  const stack = await startBareStack(config);
  return { ready: { url: stack.url, token: '', orgId: config.orgId }, statements: () => bareStatements.count, stop: stack.stop };
});
