// Every protocol between two services, declared once: audience, method and path, JWS
// `typ`, who may sign (the key map, docs/decisions/0009-key-map.md) and the payload,
// as a type and as the runtime check the receiver applies. The sender signs through
// `callService`, the receiver serves through `serviceRoute` (service-route.ts), both
// from the same declaration. Also here: the evidence download link (a token compliance
// signs and the gateway and compliance verify), and the paths the gateway forwards.
import type { KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { readRestError, validate } from '@packets/http';
import type { Actor, RequestMeta } from './request-context';
import { SERVICE_HEADER, SERVICE_TYP, serviceIssuer, signServiceCall } from './service-call';

export type ServiceName = 'gateway' | 'identity' | 'compliance' | 'audit' | 'ai';

export interface ServiceProtocol<P, R> {
  /** for messages */
  name: string;
  /** the service that serves it */
  receiver: ServiceName;
  /** the services whose keys may sign a call; the receiver refuses anyone else, whatever keys it holds */
  senders: readonly ServiceName[];
  audience: string;
  method: 'POST';
  path: string;
  typ: string;
  /** the receiver's check of the parsed JSON body: the typed payload, or a PayloadError (answered 400) */
  parse: (body: unknown) => P;
  /** type only: the body of a successful answer */
  readonly answer?: R;
}

/** A payload of the wrong shape; its message is the 400 answer's. */
export class PayloadError extends Error {}

function protocol<P, R>(p: Omit<ServiceProtocol<P, R>, 'method' | 'typ'>): ServiceProtocol<P, R> {
  return { method: 'POST', typ: SERVICE_TYP, ...p };
}

/** "METHOD /path", as createHttpApp keys its routes. */
export function routeKey(p: { method: string; path: string }): string {
  return `${p.method} ${p.path}`;
}

// ---- payload checks (each throws PayloadError naming what is wrong)

type Json = Record<string, unknown>;

function object(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new PayloadError(`${what} must be a JSON object`);
  return v as Json;
}

function text(v: unknown, max: number, what: string): string {
  if (typeof v !== 'string' || v.length > max) throw new PayloadError(`${what} must be a string of at most ${max} characters`);
  return v;
}

/** null or absent is null */
function optionalText(v: unknown, max: number, what: string): string | null {
  return v === null || v === undefined ? null : text(v, max, what);
}

function uuid(v: unknown, what: string): string {
  if (typeof v !== 'string' || !validate.isUuid(v)) throw new PayloadError(`${what} must be a uuid`);
  return v;
}

/** a string cut to `max` characters, anything else null: what the receiver records, not what it decides on */
function cut(v: unknown, max: number): string | null {
  return typeof v === 'string' ? v.slice(0, max) : null;
}

/** `cut`, the empty string counting as absent */
function clipped(v: unknown, max: number): string | null {
  return v === '' ? null : cut(v, max);
}

/** The browser's request id, address and user agent, as the gateway saw them (for the audit log). */
function browserMeta(v: unknown): RequestMeta {
  const m = object(v, 'meta');
  const requestId = text(m.requestId, 100, 'meta.requestId');
  if (requestId === '') throw new PayloadError('meta.requestId must not be empty');
  return { requestId, ip: optionalText(m.ip, 100, 'meta.ip'), userAgent: optionalText(m.userAgent, 500, 'meta.userAgent') };
}

// ---- identity

export interface SessionLookup { token: string; ip: string | null; userAgent: string | null }
export interface SessionAnswer { actor: Actor; expiresAt: string | null }

/** The gateway asks identity who is behind a bearer token (checked on every request: expiry, idle time, revocation). */
export const sessionLookup = protocol<SessionLookup, SessionAnswer>({
  name: 'session look-up', receiver: 'identity', senders: ['gateway'], audience: 'identity:session', path: '/internal/session',
  parse: (body) => {
    const b = object(body, 'body');
    if (typeof b.token !== 'string') throw new PayloadError('token required');
    // where the request came from: identity records a refused session with it
    return { token: b.token, ip: cut(b.ip, 100), userAgent: cut(b.userAgent, 500) };
  },
});

export interface MembersQuery { orgId: string }
export interface MembersAnswer { members: string[] }

/** Compliance lists an organisation's members (coverage reports). */
export const memberListing = protocol<MembersQuery, MembersAnswer>({
  name: 'member listing', receiver: 'identity', senders: ['compliance'], audience: 'identity:members', path: '/internal/members/list',
  parse: (body) => ({ orgId: uuid(object(body, 'body').orgId, 'orgId') }),
});

export interface MembersAmongQuery { orgId: string; userIds: string[] }
export const MAX_MEMBER_CHECK = 1000;

/** Compliance asks which of some users are members of an organisation (owners, assignees). */
export const memberCheck = protocol<MembersAmongQuery, MembersAnswer>({
  name: 'membership check', receiver: 'identity', senders: ['compliance'], audience: 'identity:members', path: '/internal/members',
  parse: (body) => {
    const b = object(body, 'body');
    const orgId = uuid(b.orgId, 'orgId');
    if (!Array.isArray(b.userIds) || b.userIds.length > MAX_MEMBER_CHECK) throw new PayloadError(`userIds must be a list of at most ${MAX_MEMBER_CHECK} uuids`);
    return { orgId, userIds: b.userIds.map((id, i) => uuid(id, `userIds[${i}]`)) };
  },
});

export interface SsoStart { orgSlug: string; returnTo: string | null; meta: RequestMeta }
export type SsoStartAnswer = { ok: true; url: string; state: string } | { ok: false; error: string };

/** The gateway starts a browser's SSO login: identity answers where to send it. Every login outcome is a 200 `{ ok }`. */
export const ssoStart = protocol<SsoStart, SsoStartAnswer>({
  name: 'SSO start', receiver: 'identity', senders: ['gateway'], audience: 'identity:sso-start', path: '/internal/sso/start',
  parse: (body) => {
    const b = object(body, 'body');
    const orgSlug = text(b.orgSlug, 100, 'orgSlug');
    if (orgSlug === '') throw new PayloadError('orgSlug must not be empty');
    // the login itself checks returnTo (and refuses it as invalid_request)
    return { orgSlug, returnTo: optionalText(b.returnTo, 10_000, 'returnTo'), meta: browserMeta(b.meta) };
  },
});

export interface SsoCallback { query: string; browserState: string | null; meta: RequestMeta }
export type SsoCallbackAnswer =
  | { ok: true; token: string; expiresAt: string; returnTo: string | null }
  | { ok: true; mfaChallenge: string; returnTo: string | null }
  | { ok: false; error: string };

/** The gateway hands identity the provider's callback (query string) and the browser's state cookie. */
export const ssoCallback = protocol<SsoCallback, SsoCallbackAnswer>({
  name: 'SSO callback', receiver: 'identity', senders: ['gateway'], audience: 'identity:sso-callback', path: '/internal/sso/callback',
  parse: (body) => {
    const b = object(body, 'body');
    // a state cookie that is not one (too long, not a string) is no state: the login refuses it as invalid_state
    const state = b.browserState;
    return {
      query: text(b.query, 8000, 'query'),
      browserState: typeof state === 'string' && state.length <= 200 ? state : null,
      meta: browserMeta(b.meta),
    };
  },
});

// ---- audit

export const MAX_INGEST_EVENTS = 1000;
/** Events as they travel; the audit subgraph checks each one (libs/audit-log invalidEventReason) and its source against the signer. */
export interface IngestBatch { events: Json[] }

/** The subgraphs' outbox relays post their events; each event must name the signer as its source. */
export const auditIngest = protocol<IngestBatch, { received: number; inserted: number }>({
  name: 'audit ingest', receiver: 'audit', senders: ['identity', 'compliance', 'ai'], audience: 'audit:ingest', path: '/internal/events',
  parse: (body) => {
    const events = object(body, 'body').events;
    if (!Array.isArray(events) || events.length > MAX_INGEST_EVENTS) throw new PayloadError(`events must be a list of at most ${MAX_INGEST_EVENTS}`);
    return { events: events.map((e, i) => object(e, `event ${i}`)) };
  },
});

export interface ExportPageRequest {
  /** the export token from exportAuditEvents: the user's authorisation */
  token: string;
  cursor: { afterSeq: number } | null;
  /** the downloader, for the download's audit event (sent with the first page) */
  client: { ip: string | null; userAgent: string | null } | null;
}

/** One page of an export file, as the audit subgraph hands it to the gateway. */
export interface ExportPageResponse {
  contentType: string;
  filename: string;
  chunk: string;
  next: { afterSeq: number } | null;
}

/** The gateway reads an export a page at a time for the download route. */
export const exportPage = protocol<ExportPageRequest, ExportPageResponse>({
  name: 'export page', receiver: 'audit', senders: ['gateway'], audience: 'audit:export', path: '/internal/exports/page',
  parse: (body) => {
    const b = object(body, 'body');
    const token = text(b.token, 10_000, 'token');
    let cursor: ExportPageRequest['cursor'] = null;
    if (b.cursor !== null && b.cursor !== undefined) {
      const afterSeq = object(b.cursor, 'cursor').afterSeq;
      if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new PayloadError('bad cursor');
      cursor = { afterSeq };
    }
    const c = b.client === null || b.client === undefined ? null : object(b.client, 'client');
    return { token, cursor, client: c && { ip: clipped(c.ip, 100), userAgent: clipped(c.userAgent, 500) } };
  },
});

/** Where clients download an export: on the gateway, with the token from exportAuditEvents (the audit subgraph builds the link). */
export const EXPORT_DOWNLOAD_PATH = '/audit/exports/download';

/** Every service-to-service protocol: the key map as the code enforces it (docs/decisions/0009-key-map.md). */
export const SERVICE_PROTOCOLS: readonly Omit<ServiceProtocol<unknown, unknown>, 'parse' | 'answer'>[] = [
  sessionLookup, memberListing, memberCheck, ssoStart, ssoCallback, auditIngest, exportPage,
];

/** The services whose calls `receiver` serves, over all its protocols. */
export function sendersOf(receiver: ServiceName): ServiceName[] {
  return [...new Set(SERVICE_PROTOCOLS.filter((p) => p.receiver === receiver).flatMap((p) => p.senders))].sort();
}

// ---- the sending side

interface FetchAnswer { status: number; ok: boolean; json(): Promise<unknown> }
/** `fetch`, or the gateway's keep-alive node-fetch */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<FetchAnswer>;

export interface ServiceCaller {
  service: ServiceName;
  /** the caller's own SERVICE_PRIVATE_KEY */
  key: KeyObject;
  fetch?: FetchLike;
}

export type ServiceResult<R> =
  | { ok: true; status: number; answer: R }
  | { ok: false; status: number; error: { code: string; message: string } };

/**
 * Signs `payload` for `p` with the caller's key (body-bound) and posts it to the
 * receiver at `baseUrl`. Refusals come back as `ok: false` with the envelope's code
 * and message; a network failure throws.
 */
export async function callService<P, R>(p: ServiceProtocol<P, R>, from: ServiceCaller, baseUrl: string, payload: P): Promise<ServiceResult<R>> {
  if (!p.senders.includes(from.service)) throw new Error(`${from.service} may not call ${p.name} (senders: ${p.senders.join(', ')})`);
  const body = JSON.stringify(payload);
  const token = await signServiceCall(from.service, p.audience, body, from.key, new Date(), p.typ);
  const res = await (from.fetch ?? fetch)(`${baseUrl}${p.path}`, {
    method: p.method, headers: { 'content-type': 'application/json', [SERVICE_HEADER]: token }, body,
  });
  if (res.ok) return { ok: true, status: res.status, answer: (await res.json()) as R };
  const error = readRestError(await res.json().catch(() => null)) ?? { code: 'INTERNAL_SERVER_ERROR', message: `${p.name} answered ${res.status}` };
  return { ok: false, status: res.status, error };
}

// ---- the evidence download link

/**
 * An EdDSA JWS compliance signs with its service key, naming one evidence file, its
 * organisation and who it was issued to. The gateway checks it before forwarding (it
 * holds compliance's public key); compliance checks it again and records the download.
 */
export const evidenceLink = {
  typ: 'packets-evidence+jwt',
  audience: 'packets-evidence-download',
  signer: 'compliance' as ServiceName,
  /** on the gateway: GET ?token= */
  path: '/evidence/download',
} as const;

export interface EvidenceLinkClaims {
  evidenceId: string;
  orgId: string;
  /** who the link was issued to (recorded in the audit event of the download) */
  actorKind: 'user' | 'apiKey';
  actorId: string;
}

export async function signEvidenceLink(key: KeyObject, claims: EvidenceLinkClaims, now: Date, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ org: claims.orgId, akd: claims.actorKind, aid: claims.actorId })
    .setProtectedHeader({ alg: 'EdDSA', typ: evidenceLink.typ })
    .setIssuer(serviceIssuer(evidenceLink.signer))
    .setAudience(evidenceLink.audience)
    .setSubject(claims.evidenceId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** The claims of a valid, unexpired link token (compliance's public key); null for anything else. */
export async function verifyEvidenceLink(key: KeyObject, token: string, now: Date = new Date()): Promise<EvidenceLinkClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: serviceIssuer(evidenceLink.signer), audience: evidenceLink.audience, typ: evidenceLink.typ, algorithms: ['EdDSA'],
      currentDate: now, requiredClaims: ['exp', 'sub'],
    });
    const { sub, org, akd, aid } = payload;
    if (typeof sub !== 'string' || typeof org !== 'string' || typeof aid !== 'string' || (akd !== 'user' && akd !== 'apiKey')) return null;
    return { evidenceId: sub, orgId: org, actorKind: akd, actorId: aid };
  } catch {
    return null;
  }
}

// ---- routes the gateway forwards with a signed request context (streamed bodies, not GraphQL)

export interface ForwardedRoute {
  method: 'GET' | 'POST';
  /** on the gateway */
  path: string;
  /** on the compliance subgraph */
  target: string;
}

export const forwardedRoutes = {
  /** ?controlId=&fileName=&title=&collectedAt=&expiresAt=, body = the file */
  evidenceUpload: { method: 'POST', path: '/evidence/upload', target: '/internal/evidence/upload' },
  /** ?token= (an evidence link; no other credentials) */
  evidenceDownload: { method: 'GET', path: evidenceLink.path, target: '/internal/evidence/download' },
  /** [?key=], body = an OSCAL catalog over the 1 MB GraphQL body limit */
  oscalImport: { method: 'POST', path: '/oscal/catalog/import', target: '/internal/oscal/catalog/import' },
} as const satisfies Record<string, ForwardedRoute>;
