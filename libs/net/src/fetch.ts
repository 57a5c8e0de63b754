import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { UnsafeAddressError, resolvePublic, type Lookup } from './address';

export type GuardedFetchOptions = { lookup?: Lookup; allowPrivate?: boolean };

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | null> {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const status = res.statusCode ?? 502;
  if (NULL_BODY.has(status) || status < 200 || status > 599) {
    res.resume();
    return new Response(null, { status: status >= 200 && status <= 599 ? status : 502, statusText: res.statusMessage, headers });
  }
  return new Response(Readable.toWeb(res), { status, statusText: res.statusMessage, headers });
}

/**
 * A `fetch` for destinations someone outside the platform chose. The host is resolved
 * once through `resolvePublic` (every answer public unless `allowPrivate`), and the
 * socket connects to exactly that address: the request's `lookup` hands back the checked
 * address, so no second resolution happens, while the Host header and the TLS server
 * name stay the URL's. Redirects are never followed: the 3xx answer is returned as is.
 * Only http: and https: URLs; everything else is an UnsafeAddressError.
 */
export function guardedFetch(opts: GuardedFetchOptions = {}): typeof fetch {
  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const req = input instanceof Request ? input : null;
    const url = new URL(req ? req.url : input instanceof URL ? input.href : input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeAddressError(`${url.protocol} URLs are not fetched`);
    if (url.username || url.password) throw new UnsafeAddressError('URLs with credentials are not fetched');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const checked = await resolvePublic(host, opts);
    const headers = new Headers(req?.headers);
    new Headers(init.headers).forEach((v, k) => headers.set(k, v));
    const body = await bodyBytes(init.body ?? (req ? await req.arrayBuffer() : null));
    if (body && !headers.has('content-length')) headers.set('content-length', String(body.length));
    const signal = init.signal ?? req?.signal ?? undefined;
    signal?.throwIfAborted();

    const pinned: LookupFunction = (_name, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [checked]);
      else callback(null, checked.address, checked.family);
    };
    const options: RequestOptions & { servername?: string } = {
      method: init.method ?? req?.method ?? 'GET',
      protocol: url.protocol,
      host,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(headers),
      // a literal host connects without lookup; a name connects to the address checked above
      lookup: pinned,
      family: checked.family,
      signal,
      agent: false,
    };
    if (url.protocol === 'https:' && !isIP(host)) options.servername = host;
    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = send(options, (res) => resolve(toResponse(res)));
      outgoing.on('error', (err) => reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: err })));
      outgoing.end(body ?? undefined);
    });
  };
  return guarded;
}
