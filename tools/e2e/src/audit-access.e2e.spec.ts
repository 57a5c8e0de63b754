// The gateway's access log (AU-1): one event per operation, reads included, with the
// operation's name, document hash, top-level fields, outcome and duration; batched
// to the audit subgraph and flushed when the gateway stops.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { codes, gql, signUp } from '@packets/testing';
import { adminQuery } from './harness';
import { memberWithRules, startAuditStack, waitForEvents } from './audit-support';

describe('gateway access events', () => {
  it('records reads and refusals, one event per operation, and flushes on shutdown', async () => {
    const stack = await startAuditStack();
    let stopped = false;
    try {
      const owner = await signUp(stack.gatewayUrl, 'Access Org');
      const query = 'query MyDashboard { controls(first: 1) { edges { cursor } } viewer { user { id } } }';
      const res = await gql(stack.gatewayUrl, query, {}, owner.token);
      expect(res.errors).toBeUndefined();
      const [read] = await waitForEvents(stack.gatewayUrl, owner.token, { action: 'graphql.query', subjectId: 'MyDashboard' });
      expect(read).toMatchObject({
        outcome: 'success', source: 'gateway', actorId: owner.userId, subjectType: 'Operation',
        data: { operationName: 'MyDashboard', operationType: 'query', fields: ['controls', 'viewer'], errorCodes: [],
          documentSha256: createHash('sha256').update(query).digest('hex') },
      });
      expect(typeof read!.data.durationMs).toBe('number');
      expect(read!.requestId).toMatch(/^[0-9a-f-]{36}$/);

      const member = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'Control' }]);
      expect(codes(await gql(stack.gatewayUrl, 'query Peek { auditEvents(first: 1) { edges { cursor } } }', {}, member.token))).toEqual(['FORBIDDEN']);
      const [denied] = await waitForEvents(stack.gatewayUrl, owner.token, { action: 'graphql.query', subjectId: 'Peek' });
      expect(denied).toMatchObject({ outcome: 'denied', actorId: member.userId, data: { errorCodes: ['FORBIDDEN'] } });
      // the subgraph's own denied event shares the request id
      const [subgraph] = await waitForEvents(stack.gatewayUrl, owner.token, { action: 'access.denied', actorId: member.userId });
      expect(subgraph!.requestId).toBe(denied!.requestId);

      // stop right after an operation: the buffered event is posted before the gateway goes
      expect((await gql(stack.gatewayUrl, 'query LastWords { viewer { user { id } } }', {}, owner.token)).errors).toBeUndefined();
      await stack.stop();
      stopped = true;
      expect(await adminQuery(`select id from audit.events where org_id = $1 and subject_id = 'LastWords'`, [owner.orgId])).toHaveLength(1);
    } finally {
      if (!stopped) await stack.stop();
    }
  });
});
