// Jobs on the run's PostgreSQL, as the services run them: connected as packets_app
// (no DDL, the jobs schema made by the migration as its owner). Each test works in
// its own namespace, as test stacks sharing the database do.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { appDatabaseUrl } from '@packets/db';
import { queueName, startJobs, type JobDefinition, type Jobs } from './index';

const databaseUrl = () => appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword);
const running: Jobs[] = [];
const logs: string[] = [];

async function start(namespace: string, jobs: JobDefinition[]): Promise<Jobs> {
  const j = await startJobs({ databaseUrl: databaseUrl(), service: 'jobs-test', jobs, log: (m) => logs.push(m), namespace, pollingIntervalSeconds: 0.5 });
  running.push(j);
  return j;
}

async function adminQuery<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  for (const j of running.splice(0)) await j.stop();
});

describe('jobs', () => {
  it('retries a failing job with the back-off, each attempt its own job, until it succeeds', async () => {
    const ns = `t${randomUUID().slice(0, 8)}`;
    const seen: { at: number; attempt: number; retryInMs: number | null; id: string }[] = [];
    const retry = { limit: 4, baseMs: 400, maxMs: 10_000 };
    const jobs = await start(ns, [{
      name: 'flaky', retry,
      handler: (job) => {
        seen.push({ at: Date.now(), attempt: job.attempt, retryInMs: job.retryInMs, id: job.id });
        return seen.length <= 2 ? Promise.reject(new Error(`receiver answered 500 (${seen.length})`)) : Promise.resolve();
      },
    }]);
    await jobs.send('flaky', { n: 1 });
    await vi.waitFor(() => expect(seen.length).toBe(3), { timeout: 15_000, interval: 100 });
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(seen.map((s) => s.retryInMs)).toEqual([400, 800, 1600]);
    // the second attempt waited the first back-off, the third the doubled one
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(400 - 20);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(800 - 20);
    expect(new Set(seen.map((s) => s.id)).size).toBe(3);
    await new Promise((r) => setTimeout(r, 2500));
    expect(seen).toHaveLength(3); // nothing after the success
    const states = await adminQuery<{ state: string; n: string }>(
      'select state, count(*) as n from jobs.job where name = $1 group by state order by state', [queueName('flaky', ns)]);
    expect(states).toEqual([{ state: 'completed', n: '3' }]);
  });

  it('stops after the retry limit and keeps the last attempt as failed', async () => {
    const ns = `t${randomUUID().slice(0, 8)}`;
    let attempts = 0;
    const jobs = await start(ns, [{
      name: 'doomed', retry: { limit: 2, baseMs: 200, maxMs: 1000 },
      handler: () => { attempts += 1; return Promise.reject(new Error('always')); },
    }]);
    await jobs.send('doomed', {});
    await vi.waitFor(async () => {
      const rows = await adminQuery<{ state: string }>('select state from jobs.job where name = $1 order by created_on', [queueName('doomed', ns)]);
      expect(rows.map((r) => r.state)).toEqual(['completed', 'failed']);
    }, { timeout: 15_000, interval: 100 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(attempts).toBe(2);
    expect(logs.some((l) => l.includes('attempt 2 of 2 failed (always), no retry left'))).toBe(true);
  });

  it('runs a scheduled job on its cron', async () => {
    const ns = `t${randomUUID().slice(0, 8)}`;
    const runs: unknown[] = [];
    await start(ns, [{ name: 'tick', schedule: { cron: '* * * * *', data: { kind: 'tick' } }, handler: (job) => { runs.push(job.data); return Promise.resolve(); } }]);
    // pg-boss sends a schedule's job when its last tick was less than a minute ago: at once for every minute
    await vi.waitFor(() => expect(runs).toEqual([{ kind: 'tick' }]), { timeout: 30_000, interval: 200 });
    const [schedule] = await adminQuery<{ cron: string; timezone: string }>('select cron, timezone from jobs.schedule where name = $1', [queueName('tick', ns)]);
    expect(schedule).toEqual({ cron: '* * * * *', timezone: 'UTC' });
  });

  it('two replicas share one queue: every job runs exactly once, on one of them', async () => {
    const ns = `t${randomUUID().slice(0, 8)}`;
    const ran = new Map<number, string[]>();
    const def = (replica: string): JobDefinition<{ n: number }> => ({
      name: 'work',
      handler: async (job) => {
        ran.set(job.data.n, [...(ran.get(job.data.n) ?? []), replica]);
        await new Promise((r) => setTimeout(r, 100));
      },
    });
    const a = await start(ns, [def('a') as JobDefinition]);
    await start(ns, [def('b') as JobDefinition]);
    for (let n = 0; n < 30; n++) await a.send('work', { n });
    await vi.waitFor(() => expect(ran.size).toBe(30), { timeout: 20_000, interval: 100 });
    await new Promise((r) => setTimeout(r, 1500));
    expect([...ran.values()].every((replicas) => replicas.length === 1)).toBe(true);
    const byReplica = [...ran.values()].flat();
    expect(byReplica.filter((r) => r === 'a').length).toBeGreaterThan(0);
    expect(byReplica.filter((r) => r === 'b').length).toBeGreaterThan(0);
  });

  it('keeps namespaces apart (test stacks share one database)', async () => {
    const mine: unknown[] = [];
    const theirs: unknown[] = [];
    // ours is slow, so that theirs, polling meanwhile, would take some if the queues were one
    const ours = await start(`t${randomUUID().slice(0, 8)}`, [{ name: 'same', handler: async (j) => { mine.push(j.data); await new Promise((r) => setTimeout(r, 300)); } }]);
    await start(`t${randomUUID().slice(0, 8)}`, [{ name: 'same', handler: (j) => { theirs.push(j.data); return Promise.resolve(); } }]);
    for (let n = 0; n < 8; n++) await ours.send('same', { n });
    await vi.waitFor(() => expect(mine).toHaveLength(8), { timeout: 15_000, interval: 100 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(theirs).toEqual([]);
  });

  it('stately: a second send with the same key while one waits is dropped', async () => {
    const ns = `t${randomUUID().slice(0, 8)}`;
    const jobs = await start(ns, [{ name: 'once', policy: 'stately', handler: () => Promise.resolve() }]);
    const first = await jobs.send('once', {}, { singletonKey: 'k', startAfterSeconds: 30 });
    expect(first).toBeTruthy();
    expect(await jobs.send('once', {}, { singletonKey: 'k', startAfterSeconds: 30 })).toBeNull();
    expect(await jobs.send('once', {}, { singletonKey: 'other', startAfterSeconds: 30 })).toBeTruthy();
  });
});
