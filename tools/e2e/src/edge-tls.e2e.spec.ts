// HTTPS at the edge: a gateway given TLS_CERT_FILE and TLS_KEY_FILE (a self-signed
// certificate made here) refuses TLS 1.1 and weak suites, serves TLS 1.2 and 1.3, and sends
// HSTS on HTTPS answers only; a subgraph given the same settings serves HTTPS as well.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect, createServer as createTlsServer, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig, loadSubgraphConfig } from '@packets/config';
import { startGateway } from '@packets/gateway';
import { startAi } from '@packets/ai';
import { Client } from 'pg';
import { appDatabaseUrl, createOrm, postgresSsl } from '@packets/db';
import type { RunningServer } from '@packets/http';
import { freePort, secretsEnv, type Stack } from '@packets/tool-dev';
import { adminQuery, inject, startTestStack } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'packets-tls-'));
const appUrl = () => appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword);
/** the gateway's settings as the stack gives them (GATEWAY_DATABASE_URL: the rate limiter's counters) */
const gatewayEnv = () => ({ NODE_ENV: 'production', PORT: '0', GATEWAY_DATABASE_URL: appUrl(), ...secretsEnv(inject('secrets'), 'gateway') });

/** A self-signed P-256 certificate for localhost and 127.0.0.1, valid for a day. */
function selfSigned(name: string): { cert: string; key: string; certFile: string; keyFile: string } {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}

/** The TLS handshake alone: the protocol agreed, or the error that ended it. */
function handshake(port: number, opts: ConnectionOptions): Promise<{ protocol: string | null; cipher: string } | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...opts }, () => {
      resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name });
      socket.end();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error }));
  });
}

/** One HTTPS request, trusting only `ca`. */
function https(url: string, ca: string, opts: { method?: string; body?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; protocol: string | null }>((resolve, reject) => {
    const req = request(url, {
      method: opts.method ?? 'GET', ca, servername: 'localhost', maxVersion: opts.maxVersion, agent: false,
      headers: opts.body ? { 'content-type': 'application/json' } : {},
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, protocol: (res.socket as TLSSocket).getProtocol() }));
    });
    req.once('error', reject);
    req.end(opts.body);
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a TLS 1.1 client that OpenSSL itself would allow (security level 0), so a refusal is the server's
const TLS11: ConnectionOptions = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' };

describe('HTTPS at the gateway and the subgraphs', () => {
  let stack: Stack;
  let gateway: RunningServer;
  let subgraph: RunningServer;
  let tls: ReturnType<typeof selfSigned>;
  let port: number;

  beforeAll(async () => {
    tls = selfSigned('server');
    stack = await startTestStack();
    gateway = await startGateway(loadGatewayConfig({
      ...gatewayEnv(),
      IDENTITY_URL: stack.urls.identity, COMPLIANCE_URL: stack.urls.compliance, AUDIT_URL: stack.urls.audit, AI_URL: stack.urls.ai,
      TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile,
    }));
    port = gateway.port;
    subgraph = await startAi(loadSubgraphConfig('ai', {
      NODE_ENV: 'production', PORT: '0', ...secretsEnv(inject('secrets'), 'ai'),
      APP_DATABASE_URL: appUrl(),
      AUDIT_URL: stack.urls.audit, IDENTITY_URL: stack.urls.identity,
      TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile,
    }));
  });
  afterAll(async () => {
    await subgraph?.stop();
    await gateway?.stop();
    await stack?.stop();
  });

  it('the test client can speak TLS 1.1 to a server that allows it (control case)', async () => {
    const legacy = createTlsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => s.end());
    await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
    try {
      const out = await handshake((legacy.address() as AddressInfo).port, { ...TLS11, ca: tls.cert });
      expect(out).toMatchObject({ protocol: 'TLSv1.1' });
    } finally {
      legacy.close();
    }
  });

  it('refuses a TLS 1.1 client with a protocol-version alert', async () => {
    expect(gateway.url).toMatch(/^https:\/\//);
    const out = await handshake(port, { ...TLS11, ca: tls.cert });
    expect('error' in out && out.error.code).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('refuses a TLS 1.2 client offering only suites without forward secrecy or AEAD', async () => {
    const out = await handshake(port, { ca: tls.cert, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:AES128-GCM-SHA256' });
    expect('error' in out && out.error.code).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it('serves GraphQL to a TLS 1.2 client and a TLS 1.3 client, with HSTS', async () => {
    for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
      const res = await https(`${gateway.url}/graphql`, tls.cert, { method: 'POST', body: JSON.stringify({ query: '{ __typename }' }), maxVersion });
      expect(res.protocol).toBe(maxVersion);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ data: { __typename: 'Query' } });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
    const tls12 = await handshake(port, { ca: tls.cert, maxVersion: 'TLSv1.2' });
    expect(tls12).toMatchObject({ protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
  });

  it('answers a request that reaches every subgraph over HTTPS (/ready)', async () => {
    const res = await https(`${gateway.url}/ready`, tls.cert);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ready' });
  });

  it('does not trust a certificate signed by someone else (the client side is strict)', async () => {
    const other = selfSigned('other');
    await expect(https(`${gateway.url}/health`, other.cert)).rejects.toThrow(/self-signed|self signed/);
  });

  it('sends no HSTS over plain HTTP', async () => {
    const res = await fetch(`${stack.gatewayUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('a subgraph given TLS_CERT_FILE and TLS_KEY_FILE serves HTTPS only from TLS 1.2', async () => {
    expect(subgraph.url).toMatch(/^https:\/\//);
    const res = await https(`${subgraph.url}/health`, tls.cert, { maxVersion: 'TLSv1.2' });
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const old = await handshake(subgraph.port, { ...TLS11, ca: tls.cert });
    expect('error' in old && old.error.code).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('stops at start-up on half a setting or a key that is not the certificate\'s', () => {
    const env = gatewayEnv();
    expect(() => loadGatewayConfig({ ...env, TLS_CERT_FILE: tls.certFile })).toThrow('config: TLS_CERT_FILE and TLS_KEY_FILE must be set together');
    const other = selfSigned('mismatch');
    expect(() => loadGatewayConfig({ ...env, TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: other.keyFile })).toThrow(/TLS_KEY_FILE does not match TLS_CERT_FILE/);
    writeFileSync(join(dir, 'empty.pem'), 'not a certificate');
    expect(() => loadGatewayConfig({ ...env, TLS_CERT_FILE: join(dir, 'empty.pem'), TLS_KEY_FILE: tls.keyFile })).toThrow(/TLS_CERT_FILE is invalid/);
  });
});

/** A CA, and a server certificate it signs for `san`; files readable by the PostgreSQL server. */
function signedByCa(name: string, san: string): { caFile: string; certFile: string; keyFile: string } {
  const at = (f: string) => join(dir, `${name}-${f}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'];
  execFileSync('openssl', ['req', '-x509', ...ec, '-subj', `/CN=${name} test CA`, '-keyout', at('ca.key'), '-out', at('ca.crt')], { stdio: 'ignore' });
  execFileSync('openssl', [
    'req', '-x509', ...ec, '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-subj', '/CN=packets-db',
    '-addext', `subjectAltName=${san}`, '-keyout', at('server.key'), '-out', at('server.crt'),
  ], { stdio: 'ignore' });
  // PostgreSQL (run as the postgres OS user when the tests run as root) wants its key 0600 and its own
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', at('server.key'), at('server.crt')]);
  chmodSync(at('server.key'), 0o600);
  return { caFile: at('ca.crt'), certFile: at('server.crt'), keyFile: at('server.key') };
}

describe('PostgreSQL over TLS (sslmode in the database URL)', () => {
  const good = () => signedByCa('good', 'DNS:localhost,IP:127.0.0.1');
  let server: ReturnType<typeof signedByCa>;
  let elsewhere: ReturnType<typeof signedByCa>;
  let rogue: ReturnType<typeof signedByCa>;

  /** The run's PostgreSQL serves this certificate from now on (ssl settings reload without a restart). */
  async function serve(cert: { certFile: string; keyFile: string }): Promise<void> {
    await adminQuery(`alter system set ssl_cert_file = '${cert.certFile}'`);
    await adminQuery(`alter system set ssl_key_file = '${cert.keyFile}'`);
    await adminQuery('alter system set ssl = on');
    await adminQuery('select pg_reload_conf()');
    await new Promise((r) => setTimeout(r, 300));
  }

  const url = (query: string) => `${appUrl()}?${query}`;
  const SSL_IN_USE = 'select ssl from pg_stat_ssl where pid = pg_backend_pid()';

  async function viaOrm(clientUrl: string): Promise<boolean> {
    const orm = await createOrm({ schema: 'ai', clientUrl, entities: [], poolMax: 1 });
    try {
      const rows = await orm.em.fork().execute<{ ssl: boolean }[]>(SSL_IN_USE);
      return rows[0]!.ssl;
    } finally {
      await orm.close(true);
    }
  }

  async function viaPg(connectionString: string): Promise<boolean> {
    const client = new Client({ connectionString });
    await client.connect();
    try {
      return (await client.query<{ ssl: boolean }>(SSL_IN_USE)).rows[0]!.ssl;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    chmodSync(dir, 0o755); // the postgres OS user reads the certificate from here
    server = good();
    elsewhere = signedByCa('elsewhere', 'DNS:db.example.invalid');
    rogue = signedByCa('rogue', 'DNS:localhost,IP:127.0.0.1');
    await serve(server);
  });
  afterAll(async () => {
    await adminQuery('alter system reset ssl');
    await adminQuery('alter system reset ssl_cert_file');
    await adminQuery('alter system reset ssl_key_file');
    await adminQuery('select pg_reload_conf()');
  });

  it('maps sslmode and sslrootcert to the driver\'s TLS options', () => {
    expect(postgresSsl(appUrl())).toBeUndefined();
    expect(postgresSsl(url('sslmode=disable'))).toBe(false);
    expect(postgresSsl(url(`sslmode=verify-full&sslrootcert=${server.caFile}`))).toEqual({ ca: readFileSync(server.caFile, 'utf8'), rejectUnauthorized: true });
    for (const mode of ['prefer', 'require', 'verify-ca']) expect(() => postgresSsl(url(`sslmode=${mode}`))).toThrow(`sslmode=${mode} is not supported`);
    // refused at start-up, one line naming the setting
    const subgraphEnv = { NODE_ENV: 'production', ...secretsEnv(inject('secrets'), 'ai') };
    expect(() => loadSubgraphConfig('ai', { ...subgraphEnv, APP_DATABASE_URL: url('sslmode=require') })).toThrow('config: APP_DATABASE_URL is invalid: sslmode=require is not supported');
    expect(() => loadSubgraphConfig('ai', { ...subgraphEnv, APP_DATABASE_URL: url('sslmode=verify-full&sslrootcert=/nonexistent/ca.crt') })).toThrow('config: APP_DATABASE_URL is invalid: cannot read sslrootcert');
  });

  it('verify-full with the right CA connects over TLS, through MikroORM and through pg', async () => {
    const verified = url(`sslmode=verify-full&sslrootcert=${server.caFile}`);
    expect(await viaOrm(verified)).toBe(true);
    expect(await viaPg(verified)).toBe(true);
    expect(await viaOrm(appUrl())).toBe(false); // control: the URL without sslmode stays plain
  });

  it('verify-full with another CA is refused', async () => {
    const wrong = url(`sslmode=verify-full&sslrootcert=${rogue.caFile}`);
    await expect(viaOrm(wrong)).rejects.toThrow(/unable to verify|self.signed|certificate/i);
    await expect(viaPg(wrong)).rejects.toThrow(/unable to verify|self.signed|certificate/i);
  });

  it('verify-full refuses a certificate from the right CA for another host name', async () => {
    await serve(elsewhere);
    try {
      const otherName = url(`sslmode=verify-full&sslrootcert=${elsewhere.caFile}`);
      await expect(viaOrm(otherName)).rejects.toThrow(/Hostname\/IP does not match certificate's altnames/);
      await expect(viaPg(otherName)).rejects.toThrow(/Hostname\/IP does not match certificate's altnames/);
    } finally {
      await serve(server);
    }
  });
});

describe('the whole graph over HTTPS (npm start with TLS_CERT_FILE, TLS_KEY_FILE and NODE_EXTRA_CA_CERTS)', () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  });

  it('every service serves HTTPS and a federated write and read go through', async () => {
    const cert = selfSigned('graph');
    const names = ['EMBEDDED_PG_PORT', 'GATEWAY_PORT', 'IDENTITY_PORT', 'COMPLIANCE_PORT', 'AUDIT_PORT', 'AI_PORT'];
    const ports = await Promise.all(names.map(() => freePort()));
    const env = {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), TZ: 'UTC', NODE_ENV: 'development', PACKETS_DATA_DIR: join(dir, 'graph-data'),
      ...Object.fromEntries(names.map((n, i) => [n, String(ports[i])])),
      // the subgraphs' certificate is trusted by the services that call them (Node's own setting)
      TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile, NODE_EXTRA_CA_CERTS: cert.certFile,
    };
    const root = join(__dirname, '../../..');
    child = spawn('node', ['-r', './tools/dev/register.cjs', 'tools/dev/src/start.ts'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const deadline = Date.now() + 150_000;
    while (!/Packets is up/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const name of ['audit', 'identity', 'compliance', 'ai']) expect(out).toMatch(new RegExp(`${name}\\s+https://`));
    const gatewayUrl = /Gateway: (https:\/\/\S+)\/graphql/.exec(out)![1]!;
    const call = async (query: string, token?: string) => {
      const res = await new Promise<string>((resolve, reject) => {
        const req = request(`${gatewayUrl}/graphql`, {
          method: 'POST', ca: cert.cert, agent: false,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        }, (r) => {
          let body = '';
          r.on('data', (c: Buffer) => { body += c.toString('utf8'); });
          r.on('end', () => resolve(body));
        });
        req.once('error', reject);
        req.end(JSON.stringify({ query }));
      });
      return JSON.parse(res) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    const signedUp = await call('mutation { signUp(input: { email: "tls-owner@packets.test", password: "correct horse battery staple 9", name: "TLS Owner", organizationName: "TLS Org" }) { token } }');
    expect(signedUp.errors).toBeUndefined();
    const token = (signedUp.data!.signUp as { token: string }).token;
    const created = await call('mutation { createControl(input: { title: "Over TLS" }) { id } }', token);
    expect(created.errors).toBeUndefined();
    const read = await call('{ controls(first: 5) { edges { node { title } } } }', token);
    expect(read).toEqual({ data: { controls: { edges: [{ node: { title: 'Over TLS' } }] } } });
    const ready = await https(`${gatewayUrl}/ready`, cert.cert);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', subgraphs: { identity: 'ready', compliance: 'ready', audit: 'ready', ai: 'ready' } });
    process.kill(-child.pid!, 'SIGINT');
    const code = await new Promise<number | null>((resolve) => { if (child!.exitCode !== null) resolve(child!.exitCode); else child!.once('exit', resolve); });
    expect(code, out).toBe(0);
    expect(out).not.toMatch(/Unhandled|ERR_|Error:/);
  }, 240_000);
});
