// Benchmark: Packets against the bare federation stack (issue 15), in one run on one
// embedded PostgreSQL. Seeds the bench org through Packets (200 controls, 10 owners,
// as `npm run bench`), then serves the same query from the same rows with each stack in
// turn, alone in its own production-mode process, with autocannon in another:
// requests/s, p50/p99, Node CPU per request (the serving process's cpuUsage), PostgreSQL
// CPU per request (/proc of the cluster's processes), SQL statements per request, RSS,
// how much CPU anything else on the machine took meanwhile, and the ratio of requests/s.
//   npm run bench:compare [-- --connections 20 --duration 15 --warmup 3 --first 50]
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { gql } from '@packets/testing';
import { generateSecrets, migrate, provisionPostgres } from '@packets/tool-dev';
import { CONTROLS_QUERY, autocannon, type AutocannonResult } from './controls';
import { forkStack, type Sample, type StackProcess } from './compare/child';
import { machineCpuMs, postgresCpuMs, postmasterOf, reapedChildrenMs } from './compare/proc-cpu';
import type { PacketsConfig } from './compare/packets-server';
import type { BareConfig } from './bare/server';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Measured {
  stack: string;
  load: AutocannonResult;
  singleStatements: number;
  nodeCpuMs: number;
  postgresCpuMs: number;
  statements: number;
  rssMb: { before: number; after: number };
  /** CPU the load generator took, and what else on the machine took while it ran: per second of the window, in % of one core */
  loadGeneratorCpuMs: number;
  otherCpuPercent: number;
  stealPercent: number;
}

const cpuMs = (a: Sample, b: Sample) => (b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system) / 1000;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const fixed = (n: number, digits = 2) => n.toFixed(digits);

async function measure(name: string, proc: StackProcess, postmaster: number, o: { connections: number; duration: number; warmup: number; first: number }): Promise<Measured> {
  const { url, token } = proc.ready;
  const check = await gql<{ controls: { edges: { node: { owner: { email: string } | null } }[] } }>(url, CONTROLS_QUERY, { first: o.first }, token);
  if (check.data?.controls.edges.length !== o.first || check.data.controls.edges.some((e) => !e.node.owner?.email)) throw new Error(`${name}: ${check.raw}`);
  const one = await proc.sample();
  await gql(url, CONTROLS_QUERY, { first: o.first }, token);
  const singleStatements = (await proc.sample()).statements - one.statements;
  const body = JSON.stringify({ query: CONTROLS_QUERY, variables: { first: o.first } });
  await autocannon(`${url}/graphql`, token, body, o.connections, o.warmup);
  const before = await settled(proc);
  const pgBefore = postgresCpuMs(postmaster);
  const machineBefore = machineCpuMs();
  const [selfBefore, reapedBefore, startedAt] = [process.cpuUsage(), reapedChildrenMs(), Date.now()];
  const load = await autocannon(`${url}/graphql`, token, body, o.connections, o.duration);
  const pgAfter = postgresCpuMs(postmaster);
  const machineAfter = machineCpuMs();
  const self = process.cpuUsage(selfBefore);
  const [loadGeneratorCpuMs, windowMs] = [reapedChildrenMs() - reapedBefore, Date.now() - startedAt];
  const after = await proc.sample();
  await settled(proc); // the cut-off requests finish before the stack is stopped
  return {
    stack: name, load, singleStatements,
    nodeCpuMs: cpuMs(before, after), postgresCpuMs: pgAfter - pgBefore, statements: after.statements - before.statements,
    rssMb: { before: mb(before.rssBytes), after: mb(after.rssBytes) },
    loadGeneratorCpuMs,
    // the machine's busy time less ours (server, PostgreSQL, load generator, this process): other helpers, CI, the OS
    otherCpuPercent: (100 * (machineAfter.busy - machineBefore.busy - cpuMs(before, after) - (pgAfter - pgBefore) - loadGeneratorCpuMs - (self.user + self.system) / 1000)) / windowMs,
    stealPercent: (100 * (machineAfter.steal - machineBefore.steal)) / windowMs,
  };
}

/**
 * The warm-up's last requests, cut off by the load generator, still run in the server
 * (and Packets' audit relay still delivers their events): wait until the server is idle
 * (under 10 % of a core over 250 ms, at most 5 s) so they are not charged to the measured window.
 */
async function settled(proc: StackProcess): Promise<Sample> {
  const deadline = Date.now() + 5000;
  let last = await proc.sample();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await proc.sample();
    if (cpuMs(last, now) < 25 || Date.now() > deadline) return now;
    last = now;
  }
}

function row(m: Measured): string {
  const n = Math.max(1, m.load.requests.total);
  const failed = m.load.non2xx + m.load.errors;
  return `| ${m.stack} | ${Math.round(m.load.requests.average)} | ${m.load.latency.p50} ms | ${m.load.latency.p99} ms | ${fixed(m.nodeCpuMs / n)} ms | ${fixed(m.postgresCpuMs / n)} ms | `
    + `${m.singleStatements} (${fixed(m.statements / n, 1)} under load) | ${m.rssMb.before} -> ${m.rssMb.after} MB | ${m.load.requests.total}${failed ? ` (${failed} failed)` : ''} | `
    + `${Math.round(m.otherCpuPercent)} % / ${Math.round(m.stealPercent)} % |`;
}

async function main(): Promise<void> {
  const o = { connections: arg('connections', 20), duration: arg('duration', 15), warmup: arg('warmup', 3), first: arg('first', 50) };
  const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
  const secrets = generateSecrets();
  const pg = await provisionPostgres({ databaseUrl: process.env.DATABASE_URL, password: secrets.embeddedPgPassword, folderPrefix: 'packets-bench-' });
  await migrate(pg.adminUrl, secrets.appDbPassword);
  const admin = new Client({ connectionString: pg.adminUrl });
  await admin.connect();
  const results: Measured[] = [];
  try {
    const [{ pid }] = (await admin.query<{ pid: number }>('select pg_backend_pid() as pid')).rows as [{ pid: number }];
    const postmaster = postmasterOf(pid);
    const packetsScript = join(__dirname, 'compare/packets-server.ts');
    // seed through Packets (the same org, owners and controls `npm run bench` makes), then settle the tables for both
    const seeding = await forkStack<PacketsConfig>(packetsScript, { adminUrl: pg.adminUrl, secrets, first: o.first });
    const seeded = { token: seeding.ready.token, orgId: seeding.ready.orgId };
    await seeding.stop();
    await admin.query('vacuum analyze');
    await admin.query('checkpoint');

    const bare = await forkStack<BareConfig>(join(__dirname, 'bare/server.ts'), { databaseUrl: pg.adminUrl, orgId: seeded.orgId });
    try {
      results.push(await measure('bare: stock @apollo/gateway + 2 stock @apollo/subgraph, pg + DataLoader', bare, postmaster, o));
    } finally {
      await bare.stop();
    }
    const packets = await forkStack<PacketsConfig>(packetsScript, { adminUrl: pg.adminUrl, secrets, first: o.first, seeded });
    try {
      results.push(await measure('Packets (sessions, signed contexts, CASL, RLS, access audit)', packets, postmaster, o));
    } finally {
      await packets.stop();
    }
  } finally {
    await admin.end();
    await pg.stop();
  }
  const [b, p] = results as [Measured, Measured];
  const ratio = p.load.requests.average / Math.max(1, b.load.requests.average);
  console.log(JSON.stringify({
    scenario: `controls(first: ${o.first}) with owners, 200 controls, 10 owners, ${o.connections} connections, ${o.duration} s after ${o.warmup} s warm-up`,
    machine: `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${pg.embedded ? 'embedded' : 'external'} PostgreSQL`,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => l.toFixed(2)).join(' ') },
    results: results.map((m) => ({
      stack: m.stack, requestsPerSecond: Math.round(m.load.requests.average), latencyMs: { p50: m.load.latency.p50, p99: m.load.latency.p99 },
      totalRequests: m.load.requests.total, non2xx: m.load.non2xx, errors: m.load.errors,
      nodeCpuMsPerRequest: Number(fixed(m.nodeCpuMs / Math.max(1, m.load.requests.total))),
      postgresCpuMsPerRequest: Number(fixed(m.postgresCpuMs / Math.max(1, m.load.requests.total))),
      sqlStatementsPerRequest: { single: m.singleStatements, underLoad: Number(fixed(m.statements / Math.max(1, m.load.requests.total))) },
      rssMb: m.rssMb,
      loadGeneratorCpuMsPerRequest: Number(fixed(m.loadGeneratorCpuMs / Math.max(1, m.load.requests.total))),
      otherCpuPercentOfACore: Math.round(m.otherCpuPercent), stealPercentOfACore: Math.round(m.stealPercent),
    })),
    packetsOverBareRequestsPerSecond: Number(ratio.toFixed(2)),
  }, null, 2));
  console.log('');
  console.log('| stack | req/s | p50 | p99 | Node CPU / request | PostgreSQL CPU / request | SQL statements / request | RSS | requests | other CPU / steal (% of a core) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const m of results) console.log(row(m));
  console.log('');
  console.log(`Packets / bare, requests/s: ${ratio.toFixed(2)}x`);
  if (results.some((m) => m.otherCpuPercent > 15)) console.log('Other work took more than 15 % of a core during a window: the figures are disturbed, run again on a quiet machine.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
