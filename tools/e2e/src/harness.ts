// Boots the whole graph for one test file against the run's database.
import { inject } from 'vitest';
import { startStack, type Stack } from '@packets/tool-dev';

export async function startTestStack(opts: { now?: () => Date } = {}): Promise<Stack> {
  return startStack({
    adminUrl: inject('adminUrl'), secrets: inject('secrets'), nodeEnv: 'production', relayIntervalMs: 100, now: opts.now,
  });
}

export { inject };
