// Secrets: PEM private keys, JWTs, AWS access keys (and the secret key printed next
// to one), vendor tokens (GitHub, Slack, Google API keys and OAuth tokens, Stripe live keys), Packets'
// own tokens, and the values of password=/secret:/api_key= pairs and URL credentials.
// Every pattern is bounded and starts on a token boundary, so scanning stays linear.
import { distinctChars, isJwtHeader, isPacketsToken } from '../checks';
import type { Emit, Kind } from '../kinds';

const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_BASE64_LINE = /^[A-Za-z0-9+/=]+(?: [A-Za-z0-9+/=]+)*$/;
const PEM_HEADER_LINE = /^[A-Za-z-]{2,20}: [^\n]{0,120}$/; // RFC 1421 / OpenPGP ("Proc-Type: 4,ENCRYPTED")
const PEM_TRUNCATED_LINE = /(?:\s|\\[nr]){1,4}([A-Za-z0-9+/=]{16,100})/y;
const PEM_MAX_BODY = 64 * 1024;

/** Base64 lines (JSON's "\n" escapes count as line breaks) and armour headers, at least 40 base64 characters. */
function pemBodyOk(body: string): boolean {
  if (body.includes('-----')) return false;
  const words: string[] = [];
  for (const raw of body.split(/\r?\n|\\r\\n|\\n/)) {
    const line = raw.trim();
    if (line === '' || PEM_HEADER_LINE.test(line)) continue;
    if (!PEM_BASE64_LINE.test(line)) return false;
    words.push(...line.split(' '));
  }
  // PEM wraps at 64 (OpenSSH at 70): short words between two markers are prose
  if (words.slice(0, -1).some((w) => w.length < 16)) return false;
  return words.join('').length >= 40;
}

function findPrivateKeys(text: string, emit: Emit): void {
  const ends = [...text.matchAll(PEM_END)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  let e = 0;
  let after = 0;
  for (const b of text.matchAll(PEM_BEGIN)) {
    if (b.index < after) continue;
    const bodyStart = b.index + b[0].length;
    while (e < ends.length && ends[e]!.start < bodyStart) e++;
    const end = ends[e];
    if (end && end.start - bodyStart <= PEM_MAX_BODY) {
      const body = text.slice(bodyStart, end.start);
      if (pemBodyOk(body)) {
        emit({ kind: 'PRIVATE_KEY', start: b.index, end: end.end, key: body.replace(/\s|\\[nr]/g, '') });
        after = end.end;
        continue;
      }
    }
    // no END marker (a truncated paste): the base64 lines that follow the BEGIN line
    let stop = bodyStart;
    PEM_TRUNCATED_LINE.lastIndex = stop;
    for (let m = PEM_TRUNCATED_LINE.exec(text); m && (stop > bodyStart || m[1]!.length >= 40); m = PEM_TRUNCATED_LINE.exec(text)) {
      stop = PEM_TRUNCATED_LINE.lastIndex;
    }
    if (stop > bodyStart) {
      emit({ kind: 'PRIVATE_KEY', start: b.index, end: stop, key: text.slice(bodyStart, stop).replace(/\s|\\[nr]/g, '') });
      after = stop;
    }
  }
}

// header (base64url of '{"' or '{ ' or '{\n' starts "ey" or "ew"), claims, signature
const JWT = /(?<![A-Za-z0-9_.-])(e[yw][A-Za-z0-9_-]{8,4096})\.([A-Za-z0-9_-]{2,16384})\.([A-Za-z0-9_-]{0,4096})(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])/g;

function findJwts(text: string, emit: Emit): void {
  for (const m of text.matchAll(JWT)) {
    const header = m[1]!;
    if (!isJwtHeader(header)) continue;
    // an empty signature only for an unsecured JWT (alg "none")
    if (m[3] === '' && !/"alg"\s*:\s*"none"/.test(Buffer.from(header, 'base64url').toString('utf8'))) continue;
    emit({ kind: 'JWT', start: m.index, end: m.index + m[0].length, key: m[0] });
  }
}

const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;
const AWS_SECRET = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;
const AWS_SECRET_REACH = 160;

function findAwsKeys(text: string, emit: Emit): void {
  for (const m of text.matchAll(AWS_KEY_ID)) {
    if (distinctChars(m[0].slice(4)) < 6) continue;
    const end = m.index + 20;
    emit({ kind: 'AWS_KEY', start: m.index, end, key: m[0] });
    // the secret access key is 40 characters of base64 printed near its id
    const near = text.slice(end, end + AWS_SECRET_REACH);
    for (const s of near.matchAll(AWS_SECRET)) {
      const v = s[0];
      if (/[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9+/]/.test(v) && distinctChars(v) >= 16) {
        emit({ kind: 'AWS_KEY', start: end + s.index, end: end + s.index + 40, key: v });
        break;
      }
    }
  }
}

const TOKENS: { pattern: RegExp; random: (t: string) => string }[] = [
  { pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, random: (t) => t.slice(4) },
  { pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g, random: (t) => t.slice(11) },
  { pattern: /(?<![A-Za-z0-9-])xox[abposre]-(?:\d{6,20}-){1,3}[A-Za-z0-9]{10,64}(?![A-Za-z0-9-])/g, random: (t) => t.slice(t.lastIndexOf('-') + 1) },
  { pattern: /(?<=hooks\.slack\.com\/services\/)T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32}(?![A-Za-z0-9])/g, random: (t) => t.slice(t.lastIndexOf('/') + 1) },
  { pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, random: (t) => t.slice(4) },
  { pattern: /(?<![A-Za-z0-9_.-])ya29\.[0-9A-Za-z_-]{30,2048}(?![A-Za-z0-9_-])/g, random: (t) => t.slice(5) }, // Google OAuth access token
  { pattern: /(?<![A-Za-z0-9_])[sr]k_live_[0-9A-Za-z]{24,99}(?![A-Za-z0-9_])/g, random: (t) => t.slice(8) },
];

function findVendorTokens(text: string, emit: Emit): void {
  for (const { pattern, random } of TOKENS) {
    for (const m of text.matchAll(pattern)) {
      // a random part with few different characters is a placeholder ("ghp_xxxx…")
      if (distinctChars(random(m[0])) >= 10) emit({ kind: 'TOKEN', start: m.index, end: m.index + m[0].length, key: m[0] });
    }
  }
}

const PACKETS = /(?<![A-Za-z0-9_-])pk[skijm]_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

function findPacketsTokens(text: string, emit: Emit): void {
  for (const m of text.matchAll(PACKETS)) if (isPacketsToken(m[0])) emit({ kind: 'PACKETS_TOKEN', start: m.index, end: m.index + m[0].length, key: m[0] });
}

// key, optional quotes around it, then = : := => (not ==)
const PAIR = /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z][A-Za-z0-9_.-]{0,63})\1[ \t]{0,4}(=>|:=|:|=(?!=))[ \t]{0,4}/g;
// not "pin": in Indian addresses "PIN: 560001" is the postal code
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'authorization', 'otp']);
const SECRET_PAIRS = new Set(['api key', 'access key', 'private key', 'secret key', 'signing key', 'encryption key', 'master key', 'session key', 'client secret', 'auth key', 'license key']);
const NOT_SECRET_LAST = new Set([
  'count', 'counts', 'length', 'len', 'type', 'types', 'url', 'uri', 'endpoint', 'name', 'names', 'file', 'path', 'id', 'ids', 'hint', 'policy',
  'reset', 'field', 'label', 'min', 'max', 'expiry', 'expires', 'expiration', 'ttl', 'limit', 'limits', 'header', 'prefix', 'usage', 'used',
  'rotation', 'required', 'strength', 'age', 'validation', 'format', 'mode', 'enabled', 'set', 'changed', 'at', 'manager', 'store', 'vault', 'ref',
  'hash', 'hashes', 'enc', 'encrypted', 'points', 'mark', 'version', 'algorithm', 'alg', 'kind', 'source', 'provider', 'holders', 'schema', 'method',
]);
const PLACEHOLDER = /^(?:\*+|x{3,}|X{3,}|\.{3,}|-+|_+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Za-z_]+%|\$[A-Za-z_][A-Za-z0-9_]*|null|none|nil|undefined|true|false|yes|no|redacted|hidden|masked|required|optional|string|\[[A-Z_]+\]|\[[A-Z_]+_\d+\])$/i;
const UNQUOTED = /[^\s,;&"'`<>(){}[\]]{1,512}/y;
const TEMPLATE = /\$\{[^}\s]{1,100}\}|\{\{[^}]{1,100}\}\}|<[^>\s]{1,100}>/y;
const AUTH_SCHEME = /^(?:bearer|basic|token|digest)$/i;

const SECRET_HINT = /pass|pwd|secret|token|key|credential|authorization|otp/i;

function isSecretKey(key: string): boolean {
  if (!SECRET_HINT.test(key)) return false;
  const parts = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_.-]+/).filter(Boolean);
  if (parts.length === 0 || NOT_SECRET_LAST.has(parts[parts.length - 1]!)) return false;
  // "pass" alone names a password only as the last word (db_pass, smtp-pass), not in passMark
  if (parts[parts.length - 1] === 'pass') return true;
  for (let i = 0; i < parts.length; i++) {
    if (SECRET_WORDS.has(parts[i]!)) return true;
    if (i + 1 < parts.length && SECRET_PAIRS.has(`${parts[i]} ${parts[i + 1]}`)) return true;
  }
  return false;
}

/** The value after a separator: quoted, or one unquoted word (an auth scheme skipped). */
function valueAt(text: string, v: number): { start: number; end: number; quoted: boolean } | null {
  const q = text[v];
  if (q === '"' || q === "'" || q === '`') {
    const close = text.indexOf(q, v + 1);
    if (close <= v + 1 || close - v > 513 || text.slice(v + 1, close).includes('\n')) return null;
    const scheme = /^(?:bearer|basic|token|digest) +/i.exec(text.slice(v + 1, close));
    return { start: v + 1 + (scheme?.[0].length ?? 0), end: close, quoted: true };
  }
  TEMPLATE.lastIndex = v;
  if (TEMPLATE.test(text)) return null; // ${API_KEY}, {{ secret }}, <your-key>
  UNQUOTED.lastIndex = v;
  const m = UNQUOTED.exec(text);
  if (!m) return null;
  let end = v + m[0].length;
  while (end > v && '.,;:!?'.includes(text[end - 1]!)) end--;
  if (AUTH_SCHEME.test(text.slice(v, end)) && text[end] === ' ') return valueAt(text, end + 1);
  return end > v ? { start: v, end, quoted: false } : null;
}

/** Prose such as "the password: must be long" is not a pair; a config line or a value with digits or symbols is. */
function looksSecret(text: string, value: string, spaced: boolean, keyStart: number, end: number, quoted: boolean): boolean {
  if (PLACEHOLDER.test(value) || !/[A-Za-z0-9]/.test(value) || value.startsWith('/') || value.startsWith('~/') || value.startsWith('./')) return false;
  if (text.startsWith('${', keyStart - 2)) return false; // ${PASSWORD:?set} is shell expansion
  // "key=value" glued is config; "key: value" or "key = value" may be prose, or code
  if (quoted || !spaced) return true;
  if (CODE_NEXT.test(text.slice(end, end + 4)) && (IDENTIFIER_PATH.test(value) || /^\d+(?:\.\d+)?$/.test(value))) return false;
  if (/[^A-Za-z]/.test(value) || /.[A-Z]/.test(value)) return true;
  // only indentation (or a YAML "- ") before the key on its line, and nothing after the value
  const before = text.slice(Math.max(0, keyStart - 64), keyStart);
  const fromLine = before.slice(before.lastIndexOf('\n') + 1);
  const lineStarts = before.includes('\n') || keyStart <= 64;
  const wholeLine = lineStarts && /^[\t -]*["']?$/.test(fromLine) && (end === text.length || text[end] === '\n' || text[end] === '\r');
  return wholeLine;
}

// code, not a secret: "signingKey: KeyObject;", "token = randomToken(p)", "password: opts.password,"
const CODE_NEXT = /^(?:[([<!]|[ \t]*(?:[,;)}|?]|&&|=(?!>)|!=))/;
const IDENTIFIER_PATH = /^[A-Za-z_$][\w$]*(?:!?\.[A-Za-z_$][\w$]*)*$/;

const URL_CREDENTIALS = /:\/\/[^\s/:@]{1,64}:([^\s/@]{1,128})@/g;

function findPairs(text: string, emit: Emit): void {
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m; m = PAIR.exec(text)) {
    if (!isSecretKey(m[2]!)) continue;
    const v = valueAt(text, m.index + m[0].length);
    if (!v) continue;
    const value = text.slice(v.start, v.end);
    const spaced = m[3] === ':' || /\s$/.test(m[0]);
    if (!looksSecret(text, value, spaced, m.index, v.end, v.quoted)) continue;
    emit({ kind: 'SECRET', start: v.start, end: v.end, key: value });
    PAIR.lastIndex = Math.max(PAIR.lastIndex, v.end);
  }
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const value = m[1]!;
    if (PLACEHOLDER.test(value)) continue;
    const start = m.index + m[0].length - 1 - value.length;
    emit({ kind: 'SECRET', start, end: start + value.length, key: value });
  }
}

export function findSecrets(text: string, kinds: ReadonlySet<Kind>, emit: Emit): void {
  if (kinds.has('PRIVATE_KEY')) findPrivateKeys(text, emit);
  if (kinds.has('JWT')) findJwts(text, emit);
  if (kinds.has('AWS_KEY')) findAwsKeys(text, emit);
  if (kinds.has('TOKEN')) findVendorTokens(text, emit);
  if (kinds.has('PACKETS_TOKEN')) findPacketsTokens(text, emit);
  if (kinds.has('SECRET')) findPairs(text, emit);
}
