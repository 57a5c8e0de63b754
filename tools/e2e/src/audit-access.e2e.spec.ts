// Durable read audit (AU-1): every subgraph that serves part of an operation writes
// one access event into its own outbox before it answers (libs/graphql/src/access-audit.ts),
// so an answer that reached the caller has its record on disk whatever happens to
// the gateway. The outbox relays batch the events into the organisation's chain.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { codes, eventually, gql, signUp } from '@packets/testing';
import { appDatabaseUrl } from '@packets/db';
import { secretsEnv } from '@packets/tool-dev';
import { adminQuery, GENEROUS_RATE_LIMITS, inject } from './harness';
import { memberWithRules, startAuditStack, waitForEvents } from './audit-support';

const ROOT = join(__dirname, '../../..');

describe('access events of reads', () => {
  it('each subgraph records the reads it served, one event per operation, with the request id the answer carries', async () => {
    const stack = await startAuditStack();
    try {
      const owner = await signUp(stack.gatewayUrl, 'Access Org');
      const query = 'query MyDashboard { controls(first: 1) { edges { cursor } } viewer { user { id } } }';
      const res = await fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` }, body: JSON.stringify({ query }),
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      // on disk before the answer left: no waiting here
      // (an event can be in the log and, until its relay commits, still in the outbox: count event ids once)
      const stored = await adminQuery<{ source: string }>(
        `select payload->>'source' as source, id from compliance.audit_outbox where payload->>'requestId' = $1
          union select payload->>'source', id from identity.audit_outbox where payload->>'requestId' = $1
          union select source, id from audit.events where request_id = $1`, [requestId]);
      expect(stored.map((r) => r.source).sort()).toEqual(['compliance', 'identity']);

      const reads = await waitForEvents(stack.gatewayUrl, owner.token, { action: 'graphql.query', subjectId: 'MyDashboard' }, (e) => e.length === 2);
      const common = {
        outcome: 'success', actorId: owner.userId, subjectType: 'Operation', requestId,
        data: { operationName: 'MyDashboard', operationType: 'query', fields: ['controls', 'viewer'], errorCodes: [],
          documentSha256: createHash('sha256').update(query).digest('hex') },
      };
      expect(reads.find((e) => e.source === 'compliance')).toMatchObject({ ...common, data: { ...common.data, served: ['controls'] } });
      expect(reads.find((e) => e.source === 'identity')).toMatchObject({ ...common, data: { ...common.data, served: ['viewer'] } });
      expect(typeof reads[0]!.data.durationMs).toBe('number');

      const member = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'Control' }]);
      expect(codes(await gql(stack.gatewayUrl, 'query Peek { auditEvents(first: 1) { edges { cursor } } }', {}, member.token))).toEqual(['FORBIDDEN']);
      const [denied] = await waitForEvents(stack.gatewayUrl, owner.token, { action: 'graphql.query', subjectId: 'Peek' });
      expect(denied).toMatchObject({ outcome: 'denied', actorId: member.userId, source: 'audit', data: { errorCodes: ['FORBIDDEN'] } });
      // the subgraph's own denied event shares the request id
      const [refusal] = await waitForEvents(stack.gatewayUrl, owner.token, { action: 'access.denied', actorId: member.userId });
      expect(refusal!.requestId).toBe(denied!.requestId);
    } finally {
      await stack.stop();
    }
  });

  it('killing the gateway mid-load loses no access event of an answered request', async () => {
    const stack = await startAuditStack();
    const secrets = inject('secrets');
    // the gateway as its own process, so that it can die as a crash does (SIGKILL)
    const gateway = spawn(process.execPath, ['-r', './tools/dev/register.cjs', 'apps/gateway/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ...secretsEnv(secrets, 'gateway'),
        IDENTITY_URL: stack.urls.identity, COMPLIANCE_URL: stack.urls.compliance, AUDIT_URL: stack.urls.audit, AI_URL: stack.urls.ai,
        GATEWAY_DATABASE_URL: appDatabaseUrl(inject('adminUrl'), secrets.appDbPassword), ...GENEROUS_RATE_LIMITS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(gateway, 'exit');
    let output = '';
    gateway.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        gateway.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          const m = /gateway listening on (http:\/\/\S+)/.exec(output);
          if (m) resolve(m[1]!);
        });
        gateway.once('exit', () => reject(new Error(`gateway exited: ${output}`)));
      });
      const answered: string[] = [];
      const owner = await signUp(url, 'Crash Org');
      const created = await gql(url, 'mutation { createControl(input: { title: "Crash control" }) { id } }', {}, owner.token);
      expect(created.errors).toBeUndefined();

      // eight clients read as fast as they can; each answer's request id is kept
      let killed = false;
      const client = async () => {
        while (!killed) {
          try {
            const res = await fetch(`${url}/graphql`, {
              method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
              body: JSON.stringify({ query: 'query Load { controls(first: 5) { edges { node { id title owner { id } } } } viewer { user { id } } }' }),
            });
            const body = (await res.json()) as { data?: { controls?: unknown } | null; errors?: unknown };
            if (res.status === 200 && body.data?.controls && !body.errors) answered.push(res.headers.get('x-request-id')!);
          } catch {
            return; // the gateway is gone
          }
        }
      };
      const clients = Array.from({ length: 8 }, client);
      await eventually(() => Promise.resolve(answered.length), (n) => n >= 60, 60_000);
      killed = true;
      gateway.kill('SIGKILL');
      await Promise.all(clients);
      await exited;
      expect(gateway.signalCode ?? 'SIGKILL').toBe('SIGKILL');
      expect(answered.length).toBeGreaterThanOrEqual(60);

      // every answered request reaches the log: its compliance and identity events, matched by request id
      const recorded = await eventually(
        () => adminQuery<{ request_id: string; n: string }>(
          `select request_id, count(distinct source) as n from audit.events
            where org_id = $1 and action = 'graphql.query' and subject_id = 'Load' and request_id = any($2) group by request_id`,
          [owner.orgId, answered]),
        (rows) => rows.length === answered.length && rows.every((r) => Number(r.n) === 2), 30_000);
      expect(recorded).toHaveLength(answered.length);
    } finally {
      if (gateway.exitCode === null && gateway.signalCode === null) gateway.kill('SIGKILL');
      await stack.stop();
    }
  }, 240_000);
});
