// Benchmark of the tamper-evident audit log, the whole graph in this process:
//   1. append throughput through the ingest endpoint (service-signed batches of 200,
//      as the relays send them): one org with 4 concurrent senders, then 10 orgs in parallel;
//   2. createControl latency through the gateway with audit writing on, then off
//      (the benchmark-only switch `auditWrites.enabled`), interleaved in blocks;
//   3. verifyAuditChain over a chain of --events events (default 1,000,000), and the
//      JSON Lines export of the same chain streamed through the gateway: time and the
//      process's peak memory while each runs.
//   npm run bench:audit [-- --events 1000000 --latency 400 --parts append,latency,chain]
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { auditWrites } from '@packets/audit-log';
import { signServiceCall, SERVICE_HEADER } from '@packets/context';
import { importPrivateKey } from '@packets/crypto';
import { gql, signUp } from '@packets/testing';
import { generateSecrets, migrate, provisionPostgres, startStack } from '@packets/tool-dev';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const mb = (n: number) => Math.round(n / 2 ** 20);

/** Peak RSS and heap while fn runs, sampled every 50 ms. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number; peakHeapMb: number; rssBeforeMb: number; heapBeforeMb: number }> {
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: Number(((performance.now() - t0) / 1000).toFixed(2)), peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), rssBeforeMb: mb(before.rss), heapBeforeMb: mb(before.heapUsed) };
  } finally {
    clearInterval(timer);
  }
}

function event(orgId: string, i: number) {
  return {
    id: randomUUID(), orgId, occurredAt: new Date().toISOString(), actorType: 'user', actorId: randomUUID(), sessionId: randomUUID(), apiKeyId: null,
    action: 'graphql.mutation', subjectType: 'Operation', subjectId: 'UpdateControl', outcome: 'success', requestId: randomUUID(),
    ip: '127.0.0.1', userAgent: 'bench', data: { operationName: 'UpdateControl', fields: ['updateControl'], durationMs: 12.5, i }, source: 'compliance',
  };
}

async function main(): Promise<void> {
  const total = arg('events', 1_000_000);
  const latencyN = arg('latency', 400);
  const appendN = arg('append', 20_000);
  const partsArg = process.argv.indexOf('--parts');
  const parts = new Set((partsArg > 0 ? process.argv[partsArg + 1]! : 'append,latency,chain').split(','));
  const secrets = generateSecrets();
  const pg = await provisionPostgres({ databaseUrl: process.env.DATABASE_URL, password: secrets.embeddedPgPassword, folderPrefix: 'packets-bench-audit-' });
  await migrate(pg.adminUrl, secrets.appDbPassword);
  const stack = await startStack({ adminUrl: pg.adminUrl, secrets, nodeEnv: 'production', ports: { gateway: 0, identity: 0, compliance: 0, audit: 0, ai: 0 },
    // the gateway's rate limiter stays on (its counter upserts are part of the cost measured), its limits far above the load
    env: { RATE_LIMIT_ANON_POINTS: '1000000000', RATE_LIMIT_CREDENTIAL_POINTS: '1000000000', RATE_LIMIT_ORG_POINTS: '1000000000' } });
  const key = importPrivateKey(secrets.serviceKeys.compliance.privateKey);
  const post = async (events: unknown[]) => {
    const body = JSON.stringify({ events });
    const res = await fetch(`${stack.urls.audit}/internal/events`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', [SERVICE_HEADER]: await signServiceCall('compliance', 'audit:ingest', body, key) },
    });
    if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  };
  const results: Record<string, unknown> = {
    machine: `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${pg.embedded ? 'embedded' : 'external'} PostgreSQL`,
  };
  try {
    // 1. append throughput
    const batch = 200;
    if (parts.has('append')) {
    const single = randomUUID();
    const senders = 4;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: senders }, async (_, s) => {
      for (let b = s; b < appendN / batch; b += senders) await post(Array.from({ length: batch }, (_, i) => event(single, b * batch + i)));
    }));
    const singleRate = Math.round(appendN / ((performance.now() - t0) / 1000));
    const orgs = Array.from({ length: 10 }, () => randomUUID());
    const t1 = performance.now();
    await Promise.all(orgs.map(async (orgId) => {
      for (let b = 0; b < appendN / 10 / batch; b++) await post(Array.from({ length: batch }, (_, i) => event(orgId, b * batch + i)));
    }));
    const tenRate = Math.round(appendN / ((performance.now() - t1) / 1000));
    results.appendEventsPerSecond = { batchSize: batch, events: appendN, singleOrg4Senders: singleRate, tenOrgsInParallel: tenRate };
    console.error(`append: ${JSON.stringify(results.appendEventsPerSecond)}`);
    }

    // 2. mutation latency, audit on vs off, interleaved blocks of 50
    if (parts.has('latency')) {
    const owner = await signUp(stack.gatewayUrl, 'Bench Audit Org', `bench-audit-${Date.now()}@example.test`);
    const create = 'mutation Create($i: ControlInput!) { createControl(input: $i) { id } }';
    for (let i = 0; i < 50; i++) await gql(stack.gatewayUrl, create, { i: { title: `warm ${i}` } }, owner.token);
    const on: number[] = [];
    const off: number[] = [];
    for (let block = 0; block < latencyN / 50; block++) {
      const enabled = block % 2 === 0;
      auditWrites.enabled = enabled;
      for (let i = 0; i < 50; i++) {
        const s = performance.now();
        const res = await gql(stack.gatewayUrl, create, { i: { title: `c ${block} ${i}` } }, owner.token);
        if (res.errors) throw new Error(res.raw);
        (enabled ? on : off).push(performance.now() - s);
      }
    }
    auditWrites.enabled = true;
    const pct = (xs: number[], p: number) => Number([...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!.toFixed(2));
    results.createControlLatencyMs = {
      requestsEach: on.length,
      auditOn: { p50: pct(on, 0.5), p99: pct(on, 0.99) },
      auditOff: { p50: pct(off, 0.5), p99: pct(off, 0.99) },
      p50Ratio: Number((pct(on, 0.5) / pct(off, 0.5)).toFixed(3)),
    };
    console.error(`latency: ${JSON.stringify(results.createControlLatencyMs)}`);
    }

    // 3. a long chain: seed, verify, export
    if (parts.has('chain')) {
    const big = await signUp(stack.gatewayUrl, 'Bench Big Org', `bench-big-${Date.now()}@example.test`);
    const seedBatch = 1000;
    const t2 = performance.now();
    let seeded = 0;
    const seeders = 2;
    await Promise.all(Array.from({ length: seeders }, async () => {
      while (seeded < total) {
        const n = Math.min(seedBatch, total - seeded);
        seeded += n;
        await post(Array.from({ length: n }, (_, i) => event(big.orgId, seeded + i)));
        if (seeded % 100_000 < seedBatch) console.error(`seeded ${seeded}`);
      }
    }));
    const seedSeconds = (performance.now() - t2) / 1000;
    results.seed = { events: total, seconds: Number(seedSeconds.toFixed(1)), eventsPerSecond: Math.round(total / seedSeconds), batchSize: seedBatch };
    await new Promise((r) => setTimeout(r, 1500)); // let the access log and relays settle

    const verify = await measured(() => gql<{ verifyAuditChain: { ok: boolean; checkedCount: number } }>(
      stack.gatewayUrl, '{ verifyAuditChain { ok checkedCount headSeq } }', {}, big.token));
    if (!verify.value.data?.verifyAuditChain.ok) throw new Error(verify.value.raw);
    results.verifyAuditChain = { ...verify.value.data.verifyAuditChain, seconds: verify.seconds, peakRssMb: verify.peakRssMb, rssBeforeMb: verify.rssBeforeMb, peakHeapMb: verify.peakHeapMb, heapBeforeMb: verify.heapBeforeMb };
    console.error(`verify: ${JSON.stringify(results.verifyAuditChain)}`);

    const exp = await gql<{ exportAuditEvents: { url: string; headSeq: number } }>(stack.gatewayUrl,
      'mutation { exportAuditEvents(format: JSONL) { url headSeq } }', {}, big.token);
    const download = await measured(async () => {
      const res = await fetch(`${stack.gatewayUrl}${exp.data!.exportAuditEvents.url}`);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const b of chunk) if (b === 10) lines += 1;
      }
      return { status: res.status, bytes, lines };
    });
    results.exportJsonl = { headSeq: exp.data!.exportAuditEvents.headSeq, ...download.value, mb: mb(download.value.bytes), seconds: download.seconds, peakRssMb: download.peakRssMb, rssBeforeMb: download.rssBeforeMb, peakHeapMb: download.peakHeapMb, heapBeforeMb: download.heapBeforeMb };
    console.error(`export: ${JSON.stringify(results.exportJsonl)}`);
    }
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await stack.stop();
    await pg.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
