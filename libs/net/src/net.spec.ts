import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsafeAddressError, guardedFetch, isPublicAddress, resolvePublic, type Lookup } from './index';

const NOT_PUBLIC = [
  '0.0.0.0', '0.1.2.3', '10.0.0.1', '100.64.0.1', '100.127.255.254', '127.0.0.1', '127.255.255.255', '169.254.169.254',
  '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.1.1', '198.18.0.1', '198.19.255.255',
  '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
  '::', '[::]', '::1', '[::1]', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', 'ff0e::1',
  '::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '::ffff:0.0.0.0',
  '::127.0.0.1', '::ffff:0:7f00:1', '64:ff9b::a00:1', '64:ff9b::8.8.8.8', '64:ff9b:1::1', '100::1',
  '2002:7f00:1::', '2002:0808:0808::1', '2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:db8::1', '3fff::1',
  'localhost', 'example.com', '', '2130706433', '0x7f.1',
];
const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '[2a00:1450:4001:80b::200e]', '::ffff:8.8.8.8'];

describe('isPublicAddress', () => {
  it.each(NOT_PUBLIC)('%s is not public', (a) => expect(isPublicAddress(a)).toBe(false));
  it.each(PUBLIC)('%s is public', (a) => expect(isPublicAddress(a)).toBe(true));

  it('sees through URL normalisation of decimal and hex hosts', () => {
    for (const u of ['http://2130706433/', 'http://0x7f000001/', 'http://0177.0.0.1/', 'http://127.1/', 'http://[::ffff:7f00:1]/']) {
      expect(isPublicAddress(new URL(u).hostname), u).toBe(false);
    }
  });
});

const fixed = (...answers: string[]): Lookup => () => Promise.resolve(answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('resolvePublic', () => {
  it('refuses literal private addresses, bracketed or not, without a lookup', async () => {
    for (const h of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::]', '::ffff:7f00:1', '64:ff9b::a00:1', '0.0.0.0']) {
      await expect(resolvePublic(h, { lookup: () => Promise.reject(new Error('no lookup expected')) }), h).rejects.toBeInstanceOf(UnsafeAddressError);
    }
  });

  it('refuses a name when any answer is private', async () => {
    await expect(resolvePublic('hook.example', { lookup: fixed('93.184.216.34', '10.0.0.5') })).rejects.toBeInstanceOf(UnsafeAddressError);
    await expect(resolvePublic('hook.example', { lookup: fixed('::ffff:169.254.169.254') })).rejects.toThrow(/non-public/);
    await expect(resolvePublic('hook.example', { lookup: fixed() })).rejects.toBeInstanceOf(UnsafeAddressError);
    await expect(resolvePublic('hook.example', { lookup: () => Promise.reject(new Error('ENOTFOUND')) })).rejects.toBeInstanceOf(UnsafeAddressError);
  });

  it('returns the first answer when all are public, and anything with allowPrivate', async () => {
    await expect(resolvePublic('hook.example', { lookup: fixed('93.184.216.34', '2606:4700:4700::1111') })).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    await expect(resolvePublic('[::1]', { allowPrivate: true })).resolves.toEqual({ address: '::1', family: 6 });
    await expect(resolvePublic('8.8.8.8')).resolves.toEqual({ address: '8.8.8.8', family: 4 });
  });

  it('uses the system resolver by default (localhost is refused)', async () => {
    await expect(resolvePublic('localhost')).rejects.toBeInstanceOf(UnsafeAddressError);
  });
});

describe('guardedFetch', () => {
  let server: Server;
  let port = 0;
  const seen: { headers: IncomingHttpHeaders; body: string; method?: string; url?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body, method: req.method, url: req.url });
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://127.0.0.1/elsewhere' }).end();
          return;
        }
        res.writeHead(201, { 'content-type': 'text/plain', 'x-a': 'b' }).end(`hello ${body}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses private targets at connection time, literal or resolved', async () => {
    const f = guardedFetch();
    for (const u of [`http://127.0.0.1:${port}/`, `https://[::ffff:127.0.0.1]:${port}/`, `http://[::ffff:7f00:1]:${port}/`, `http://2130706433:${port}/`, `http://[::]:${port}/`, `http://0.0.0.0:${port}/`]) {
      await expect(f(u), u).rejects.toBeInstanceOf(UnsafeAddressError);
    }
    await expect(guardedFetch({ lookup: fixed('127.0.0.1') })(`http://hook.example:${port}/`)).rejects.toBeInstanceOf(UnsafeAddressError);
    await expect(f('file:///etc/passwd')).rejects.toBeInstanceOf(UnsafeAddressError);
  });

  it('connects to the checked address with the URL host as Host header, and passes method, headers and body', async () => {
    let calls = 0;
    const f = guardedFetch({ allowPrivate: true, lookup: () => (calls++, Promise.resolve([{ address: '127.0.0.1', family: 4 as const }])) });
    const res = await f(`http://hook.example:${port}/path?q=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sig': 's' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-a')).toBe('b');
    expect(await res.text()).toBe('hello {"a":1}');
    const got = seen.at(-1)!;
    expect(got).toMatchObject({ method: 'POST', url: '/path?q=1', body: '{"a":1}' });
    expect(got.headers).toMatchObject({ host: `hook.example:${port}`, 'x-sig': 's', 'content-type': 'application/json' });
    expect(calls).toBe(1);
  });

  it('DNS rebinding: resolves once and connects to the address it checked', async () => {
    // The first answer is the one checked; a rebinding resolver then answers with an address
    // nothing listens on. A second resolution would connect there and fail.
    let calls = 0;
    const rebinding: Lookup = () => Promise.resolve([{ address: calls++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }]);
    const res = await guardedFetch({ allowPrivate: true, lookup: rebinding })(`http://rebind.example:${port}/`);
    expect(res.status).toBe(201);
    await res.text();
    expect(calls).toBe(1);

    // Without allowPrivate: public first, private second. The socket goes to the checked public
    // address (whatever answers there, or nothing), never to the private one: the loopback
    // receiver sees no request, and there is no second lookup.
    calls = 0;
    const before = seen.length;
    const publicThenPrivate: Lookup = () => Promise.resolve([{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]);
    const outcome = await guardedFetch({ lookup: publicThenPrivate })(`http://rebind.example:${port}/`, { signal: AbortSignal.timeout(1500) }).then(
      async (r) => ({ body: await r.text().catch(() => ''), error: null }),
      (e: unknown) => ({ body: '', error: e as Error }),
    );
    expect(outcome.error).not.toBeInstanceOf(UnsafeAddressError);
    expect(outcome.body).not.toMatch(/^hello/);
    expect(calls).toBe(1);
    expect(seen.length).toBe(before);
  });

  it('keeps the URL host as TLS server name while connecting to the checked address', async () => {
    let servername: string | null = null;
    const tls = createTlsServer({ SNICallback: (name, cb) => { servername = name; cb(new Error('no certificate here')); } });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const tlsPort = (tls.address() as AddressInfo).port;
      const f = guardedFetch({ allowPrivate: true, lookup: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]) });
      await expect(f(`https://idp.example:${tlsPort}/.well-known/openid-configuration`)).rejects.toThrow();
      expect(servername).toBe('idp.example');
    } finally {
      await new Promise<void>((r) => tls.close(() => r()));
    }
  });

  it('does not follow redirects', async () => {
    const res = await guardedFetch({ allowPrivate: true })(`http://127.0.0.1:${port}/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://127.0.0.1/elsewhere');
    expect(seen.at(-1)!.url).toBe('/redirect');
  });
});
