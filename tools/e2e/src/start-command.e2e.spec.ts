// `npm start` as a person runs it: the documented settings in its environment reach
// the services (an invitation goes through SMTP_URL, from MAIL_FROM, linking to
// PUBLIC_URL), Ctrl-C to its process group stops it cleanly, and a production start
// takes every secret from the environment, refuses introspection and masks errors.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { codes, gql, signUp, uniqueEmail } from '@packets/testing';
import { startSmtp, type TestSmtp } from '@packets/testing/smtp';
import { freePort, generateSecrets, MASTER_KEY_SERVICES, SERVICES } from '@packets/tool-dev';
import { adminQuery, inject } from './harness';

const root = join(__dirname, '../../..');

interface Runner {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  gatewayUrl: string;
}

/** Ports for the embedded PostgreSQL and the five services. */
async function portsEnv(): Promise<Record<string, string>> {
  const names = ['EMBEDDED_PG_PORT', 'GATEWAY_PORT', 'IDENTITY_PORT', 'COMPLIANCE_PORT', 'AUDIT_PORT', 'AI_PORT'];
  const ports = await Promise.all(names.map(() => freePort()));
  return Object.fromEntries(names.map((n, i) => [n, String(ports[i])]));
}

/**
 * Runs the command behind `npm start` (read from package.json) in a process group of its
 * own, as a terminal does, with only `env` added to a clean environment. (npm itself
 * re-raises a SIGINT it received once its script has exited; the runner's code is ours.)
 */
function npmStart(env: Record<string, string>): Omit<Runner, 'gatewayUrl'> {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [cmd, ...args] = script.split(' ');
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), TZ: 'UTC' };
  const child = spawn(cmd!, args, { cwd: root, env: { ...base, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

function killGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Waits for the line the runner prints once the gateway answers. */
async function ready(r: Omit<Runner, 'gatewayUrl'>, timeoutMs = 150_000): Promise<Runner> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /Packets is up[^.]*\. Gateway: (http:\/\/\S+)\/graphql/.exec(r.output());
    if (m) return { ...r, gatewayUrl: m[1]! };
    const done = await Promise.race([r.exited.then(() => true), new Promise<false>((res) => setTimeout(() => res(false), 200))]);
    if (done) throw new Error(`npm start exited before it was up:\n${r.output()}`);
    if (Date.now() > deadline) throw new Error(`npm start was not up within ${timeoutMs} ms:\n${r.output()}`);
  }
}

/** The exit code, or a failure with the output when it does not stop in time (it used to hang at "stopping..."). */
async function exitWithin(r: Omit<Runner, 'gatewayUrl'>, timeoutMs = 60_000): Promise<number | null> {
  const timedOut = Symbol('timeout');
  const code = await Promise.race([r.exited, new Promise<typeof timedOut>((res) => setTimeout(() => res(timedOut), timeoutMs))]);
  if (code === timedOut) throw new Error(`still running ${timeoutMs} ms after SIGINT:\n${r.output()}`);
  return code;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => { s.end(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe('npm start', () => {
  const cleanup: (() => unknown)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  it('the runner passes documented settings through (SMTP_URL, MAIL_FROM, PUBLIC_URL), and Ctrl-C to its process group stops it: exit 0, no stack trace', async () => {
    const smtp: TestSmtp = await startSmtp();
    cleanup.push(() => smtp.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'packets-start-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const ports = await portsEnv();
    const started = npmStart({
      ...ports, NODE_ENV: 'development', PACKETS_DATA_DIR: dataDir,
      SMTP_URL: smtp.url, MAIL_FROM: 'Packets Start Test <start-test@packets.test>', PUBLIC_URL: 'https://console.start.test',
    });
    cleanup.push(() => killGroup(started.child));
    const runner = await ready(started);

    const owner = await signUp(runner.gatewayUrl, 'Start Org');
    const email = uniqueEmail('start-invitee');
    const invited = await gql(runner.gatewayUrl, 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }', { i: { email } }, owner.token);
    expect(invited.errors, invited.raw).toBeUndefined();
    const mail = await smtp.waitFor(email);
    expect(mail.raw).toMatch(/^From: .*start-test@packets\.test/im);
    expect(mail.text).toMatch(/https:\/\/console\.start\.test\/accept-invitation\?token=pki_/);
    expect(readdirSync(dataDir)).not.toContain('outbox'); // not written to files instead

    process.kill(-runner.child.pid!, 'SIGINT'); // the whole group, as a terminal's Ctrl-C
    const code = await exitWithin(runner);
    const out = runner.output();
    expect(code, out).toBe(0);
    expect(out).toContain('stopped');
    expect(out).not.toMatch(STACK_LINE);
    expect(out).not.toMatch(/Unhandled|ERR_|Error:/);
    // nothing left behind: the embedded PostgreSQL and the gateway are gone
    expect(await portOpen(Number(ports.EMBEDDED_PG_PORT))).toBe(false);
    expect(await portOpen(Number(ports.GATEWAY_PORT))).toBe(false);
  }, 240_000);

  it('in production, refuses to start without its secrets, naming each on one line, with no stack trace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'packets-start-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const r = npmStart({ ...(await portsEnv()), NODE_ENV: 'production', PACKETS_DATA_DIR: dataDir });
    const code = await r.exited;
    const out = r.output();
    expect(code, out).toBe(1);
    expect(out).toContain('config: DATABASE_URL is required but not set');
    for (const name of ['APP_DB_PASSWORD', 'CONTEXT_PRIVATE_KEY', 'IDENTITY_SERVICE_PRIVATE_KEY', 'AUDIT_MASTER_KEY', 'AUDIT_SIGNING_KEY']) {
      expect(out).toContain(`config: ${name} is required but not set`);
    }
    expect(out).not.toMatch(STACK_LINE);
    expect(readdirSync(dataDir)).toEqual([]); // no development keys generated
  }, 60_000);

  it('in production, with secrets from the environment: no introspection, internal errors masked, nothing written to the data folder', async () => {
    const s = generateSecrets();
    const up = (n: string) => n.toUpperCase();
    const dataDir = mkdtempSync(join(tmpdir(), 'packets-start-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const started = npmStart({
      ...(await portsEnv()), NODE_ENV: 'production', PACKETS_DATA_DIR: dataDir,
      // this run's database; the same packets_app password, so other test files keep theirs
      DATABASE_URL: inject('adminUrl'), APP_DB_PASSWORD: inject('secrets').appDbPassword,
      CONTEXT_PRIVATE_KEY: s.contextPrivateKey, CONTEXT_PUBLIC_KEY: s.contextPublicKey,
      ...Object.fromEntries(SERVICES.flatMap((n) => [
        [`${up(n)}_SERVICE_PRIVATE_KEY`, s.serviceKeys[n].privateKey], [`${up(n)}_SERVICE_PUBLIC_KEY`, s.serviceKeys[n].publicKey],
      ])),
      ...Object.fromEntries(MASTER_KEY_SERVICES.map((n) => [`${up(n)}_MASTER_KEY`, s.masterKeys[n]])),
      AUDIT_SIGNING_KEY: s.auditSigningPrivateKey,
    });
    cleanup.push(() => killGroup(started.child));
    const runner = await ready(started);
    expect(runner.output()).toContain('(production mode)');

    const introspect = await gql(runner.gatewayUrl, '{ __schema { types { name } } }');
    expect(codes(introspect)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(introspect.raw).not.toContain('"types"');

    // an internal error (a trigger that fails for one title only) reaches the client masked
    const owner = await signUp(runner.gatewayUrl, 'Production Org');
    const title = `explode-${randomUUID()}`;
    const fn = `h6_explode_${randomUUID().replace(/-/g, '')}`;
    await adminQuery(`create function compliance.${fn}() returns trigger language plpgsql as $$
      begin if new.title = '${title}' then raise exception 'internal detail ${fn}'; end if; return new; end $$`);
    await adminQuery(`create trigger ${fn} before insert on compliance.controls for each row execute function compliance.${fn}()`);
    try {
      const res = await gql(runner.gatewayUrl, 'mutation($t: String!) { createControl(input: { title: $t }) { id } }', { t: title }, owner.token);
      expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(res.raw).not.toContain(fn);
      expect(res.raw).not.toMatch(/stacktrace|compliance\.controls|insert into/i);
    } finally {
      await adminQuery(`drop trigger ${fn} on compliance.controls`);
      await adminQuery(`drop function compliance.${fn}()`);
    }
    process.kill(-runner.child.pid!, 'SIGINT');
    expect(await exitWithin(runner)).toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);
  }, 240_000);
});
