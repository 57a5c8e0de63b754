// Security headers for every answer a browser may read.
//
// API answers (GraphQL, /health, /ready, /auth/*, /evidence/*, export downloads, SSO
// redirects, errors): API_HEADERS, set by the HTTP front before any handler runs
// (libs/graphql http.ts `headers`), so a handler's own answer, a 404, a 413 or a 500
// carries them too; a handler may add to them (downloads: Content-Disposition) but
// not drop them. None of these answers is a page: the CSP forbids everything.
//
// Pages (the console, issue 12; the public trust page, issue 14): pageHeaders() with
// contentSecurityPolicy(): scripts and styles from this origin only, no inline script,
// and frame-ancestors from the organisation's allow-list for embeddable pages.
//
// Referrer-Policy no-referrer: addresses here carry secrets in the query string
// (download links, SSO state), and nothing needs the Referer from us.

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': API_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
});

export class CspOriginError extends Error {}

/**
 * One entry of an organisation's embedding allow-list as a CSP source: an exact
 * https origin (http only for localhost), nothing else. Refuses wildcards, keywords,
 * schemes such as javascript: or data:, paths, credentials, and anything that could
 * end the directive (';', ',', whitespace, quotes).
 */
export function originSource(entry: string): string {
  const refuse = (why: string): never => { throw new CspOriginError(`CSP source ${JSON.stringify(entry)} refused: ${why}`); };
  if (typeof entry !== 'string' || entry.length === 0 || entry.length > 253 + 16) refuse('not an origin');
  if (/[\s;,'"*\\<>]/.test(entry) || /[^\x21-\x7e]/.test(entry)) refuse('only an exact origin (https://host[:port]) is allowed');
  let url: URL;
  try { url = new URL(entry); } catch { return refuse('not an origin'); }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) refuse('only https origins (http for localhost)');
  if (url.origin === 'null' || entry.replace(/\/$/, '').toLowerCase() !== url.origin) refuse('an origin has no path, query, fragment or credentials');
  return url.origin;
}

export interface PageCspOptions {
  /** origins allowed to frame the page (an embeddable page: the org's allow-list); none = not embeddable */
  frameAncestors?: readonly string[];
  /** origins the page's scripts may call besides its own (e.g. a separate API origin) */
  connectSrc?: readonly string[];
}

/** A strict policy for an HTML page served by us: no inline script, nothing from elsewhere. */
export function contentSecurityPolicy(opts: PageCspOptions = {}): string {
  const ancestors = [...new Set((opts.frameAncestors ?? []).map(originSource))];
  const connect = [...new Set((opts.connectSrc ?? []).map(originSource))];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/**
 * The headers of an HTML page. X-Frame-Options cannot name several origins: it is
 * DENY when the page is not embeddable and left out when it is (frame-ancestors rules).
 */
export function pageHeaders(opts: PageCspOptions = {}): Record<string, string> {
  const csp = contentSecurityPolicy(opts);
  const { 'x-frame-options': xfo, ...rest } = API_HEADERS;
  const embeddable = (opts.frameAncestors ?? []).length > 0;
  return {
    ...rest,
    'content-security-policy': csp,
    'cross-origin-resource-policy': embeddable ? 'cross-origin' : 'same-origin',
    ...(embeddable ? {} : { 'x-frame-options': xfo! }),
  };
}
