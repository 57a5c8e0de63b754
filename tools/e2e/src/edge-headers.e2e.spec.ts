// Issue 17: every gateway answer a browser may read carries the security headers,
// success or error, GraphQL or file, redirect or 404; downloads are attachments.
// The page policy builder (console, trust page) refuses hostile allow-list entries.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { API_CSP, CspOriginError, contentSecurityPolicy, originSource, pageHeaders } from '@packets/gateway';
import { requestExport } from './audit-support';
import { ok, pdfBytes, startComplianceStack, upload } from './compliance-harness';

const EXPECTED = {
  'content-security-policy': API_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

type Headers = Record<string, string | string[] | undefined>;

/** one request with node:http (no client-side redirect following or header folding) */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: Headers; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function secured(label: string, headers: Headers) {
  for (const [name, value] of Object.entries(EXPECTED)) expect(headers[name], `${label}: ${name}`).toBe(value);
}

describe('security headers at the gateway', () => {
  let stack: Stack;
  let owner: SignedUp;
  let gw: string;

  beforeAll(async () => {
    ({ stack } = await startComplianceStack());
    gw = stack.gatewayUrl;
    owner = await signUp(gw, 'Headers Org');
  });
  afterAll(() => stack?.stop());

  it('GraphQL POST and GET, success and errors', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: [string, Awaited<ReturnType<typeof send>>, number][] = [
      ['POST /graphql', await send(`${gw}/graphql`, { method: 'POST', headers: { ...json, authorization: `Bearer ${owner.token}` }, body: JSON.stringify({ query: '{ viewer { user { id } } }' }) }), 200],
      ['GET /graphql', await send(`${gw}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } }), 200],
      ['POST /graphql parse error', await send(`${gw}/graphql`, { method: 'POST', headers: json, body: JSON.stringify({ query: '{ viewer {' }) }), 400],
      ['POST /graphql bad JSON', await send(`${gw}/graphql`, { method: 'POST', headers: json, body: '{"query":' }), 400],
      ['POST /graphql wrong type', await send(`${gw}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }), 415],
      ['PUT /graphql', await send(`${gw}/graphql`, { method: 'PUT' }), 405],
      ['POST /graphql too large', await send(`${gw}/graphql`, { method: 'POST', headers: json, body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_100_000)}` }) }), 413],
      ['GET /graphql NUL in query string', await send(`${gw}/graphql?query=%00`), 400],
    ];
    for (const [label, res, status] of cases) {
      expect(res.status, `${label}: ${res.body.slice(0, 200)}`).toBe(status);
      secured(label, res.headers);
    }
  });

  it('health, readiness, 404, session cookie routes and SSO redirects', async () => {
    const cases: [string, Awaited<ReturnType<typeof send>>, number][] = [
      ['GET /health', await send(`${gw}/health`), 200],
      ['GET /ready', await send(`${gw}/ready`), 200],
      ['GET /nowhere', await send(`${gw}/nowhere`), 404],
      ['POST /auth/session without a token', await send(`${gw}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(gw).origin }, body: '{}' }), -1],
      ['GET /auth/sso/:org/start', await send(`${gw}/auth/sso/no-such-org/start`), -1],
      ['GET /auth/sso/callback', await send(`${gw}/auth/sso/callback?state=x&code=y`), -1],
    ];
    for (const [label, res, status] of cases) {
      if (status > 0) expect(res.status, label).toBe(status);
      else expect(res.status, label).toBeGreaterThanOrEqual(300);
      secured(label, res.headers);
    }
    const redirects = cases.filter(([l]) => l.includes('sso')).map(([, r]) => r);
    for (const r of redirects) expect(r.status).toBe(302);
  });

  it('requests Node refuses before any handler (headers too large, malformed): 431 and 400 with the headers', async () => {
    const rawAnswer = (text: string) => new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(gw);
      const socket = connect(Number(port), hostname, () => socket.write(text));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', reject);
    });
    const parse = (answer: string) => {
      const [status, ...lines] = answer.split('\r\n\r\n')[0]!.split('\r\n');
      return { status: status!, headers: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])) };
    };
    const big = parse(await rawAnswer(`GET /health HTTP/1.1\r\nhost: x\r\ncookie: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(big.status).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    secured('431', big.headers);
    const bad = parse(await rawAnswer('GET /health HTTP/1.1\r\nhost x\r\n\r\n'));
    expect(bad.status).toBe('HTTP/1.1 400 Bad Request');
    secured('400 malformed', bad.headers);
  });

  it('evidence upload and download, and the audit export download: attachments, never sniffed', async () => {
    const control = ok(await gql<{ createControl: { id: string } }>(gw, 'mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title: 'Headers', ownerId: owner.userId } }, owner.token)).createControl.id;
    const up = await upload(gw, owner.token, { controlId: control, fileName: 'report.pdf' }, 'application/pdf', pdfBytes());
    expect(up.status).toBe(201);
    secured('POST /evidence/upload', up.headers);
    const refused = await send(`${gw}/evidence/upload?controlId=${control}&fileName=x.pdf`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdfBytes() });
    expect(refused.status).toBe(401);
    secured('POST /evidence/upload anonymous', refused.headers);

    const evidenceId = (up.json as { evidence: { id: string } }).evidence.id;
    const link = ok(await gql<{ evidenceDownloadUrl: { url: string } }>(gw, 'query($id: ID!) { evidenceDownloadUrl(id: $id) { url } }', { id: evidenceId }, owner.token)).evidenceDownloadUrl;
    const file = await send(`${gw}${link.url}`);
    expect(file.status).toBe(200);
    secured('GET /evidence/download', file.headers);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="report\.pdf"/);
    const badLink = await send(`${gw}/evidence/download?token=nope`);
    expect(badLink.status).toBe(401);
    secured('GET /evidence/download bad link', badLink.headers);

    const exp = await requestExport(gw, owner.token, 'JSONL');
    const exported = await send(`${gw}${exp.url}`);
    expect(exported.status).toBe(200);
    secured('GET export download', exported.headers);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="/);
    const badExport = await send(`${gw}/audit/exports/download?token=nope`);
    expect(badExport.status).toBe(401);
    secured('GET export download bad token', badExport.headers);
  });
});

describe('page policy (console, trust page)', () => {
  it('is strict: scripts from this origin only, no inline script, not embeddable by default', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-|\*|nonce|data:.*script/);
    expect(pageHeaders()['x-frame-options']).toBe('DENY');
  });

  it("an embeddable page names exactly the org's allowed origins, without X-Frame-Options", () => {
    const h = pageHeaders({ frameAncestors: ['https://customer.example', 'https://docs.customer.example:8443/', 'https://customer.example'] });
    expect(h['content-security-policy']).toContain('frame-ancestors https://customer.example https://docs.customer.example:8443');
    expect(h['x-frame-options']).toBeUndefined();
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(originSource('http://localhost:4200')).toBe('http://localhost:4200');
  });

  it('refuses hostile or loose allow-list entries', () => {
    const hostile = [
      '*', 'https://*', 'https://*.example.com', "'unsafe-inline'", "'self'", "'none'", 'javascript:alert(1)', 'data:', 'blob:',
      'https:', 'http://customer.example', 'https://customer.example/path', 'https://user:pw@customer.example',
      'https://customer.example?x=1', 'https://customer.example#f', 'https://a.example; script-src *', 'https://a.example;',
      'https://a.example\nscript-src *', 'https://a.example\r\nx: y', 'https://a.example https://b.example', 'https://a.example,https://b.example',
      '', ' https://a.example', 'https://a.example\u0000', 'https://exämple.com', 'customer.example', '//customer.example',
    ];
    for (const entry of hostile) {
      expect(() => originSource(entry), JSON.stringify(entry)).toThrow(CspOriginError);
      expect(() => contentSecurityPolicy({ frameAncestors: ['https://ok.example', entry] }), JSON.stringify(entry)).toThrow(CspOriginError);
    }
  });
});
