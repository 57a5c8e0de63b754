import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from './compose';

describe('supergraph', () => {
  it('composes, and the checked-in supergraph is current', async () => {
    const { supergraphSdl } = await compose();
    expect(readFileSync(join(__dirname, '../../../apps/gateway/supergraph.graphql'), 'utf8')).toBe(supergraphSdl);
    // the API contract's first names are there
    for (const name of ['signUp(', 'signIn(', 'signOut', 'viewer', 'createControl(', 'controls(', 'auditEvents(', 'aiSettings']) {
      expect(supergraphSdl).toContain(name);
    }
  });
});
