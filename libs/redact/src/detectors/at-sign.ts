// E-mail addresses and UPI ids, found from each '@' outwards (a left-to-right
// regular expression over "local@domain" can be quadratic on hostile input; this is
// linear: a scan stops at the neighbouring '@').
import { isEmailAddress } from '../checks';
import type { Emit, Kind } from '../kinds';
import { UPI_HANDLES } from '../upi-handles';

const isLocal = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
const isDomain = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** "https://user:pass@host": the part before '@' is URL credentials (SECRET), not a mailbox. */
function inUserinfo(text: string, localStart: number): boolean {
  const p = text[localStart - 1];
  if (p !== ':' && p !== '/') return false;
  const seg = text.slice(Math.max(0, localStart - 256), localStart);
  const scheme = seg.lastIndexOf('://');
  return scheme >= 0 && !/[/?#\s]/.test(seg.slice(scheme + 3));
}

export function findAtSign(text: string, kinds: ReadonlySet<Kind>, emit: Emit): void {
  const email = kinds.has('EMAIL');
  const upi = kinds.has('UPI');
  if (!email && !upi) return;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && at - s < 256 && isLocal(text.charCodeAt(s - 1))) s--;
    while (s < at && (text[s] === '.' || text[s] === '-')) s++;
    if (s === at || inUserinfo(text, s)) continue;
    let e = at + 1;
    while (e < text.length && e - at <= 253 && isDomain(text.charCodeAt(e))) e++;
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
    if (e === at + 1) continue;
    const domain = text.slice(at + 1, e);
    const local = text.slice(s, at);
    if (!domain.includes('.')) {
      // a UPI id: a known handle, not followed by more of an address or a word
      const next = text.charCodeAt(e);
      const ok = upi && local.length >= 2 && /^[A-Za-z0-9._-]+$/.test(local) && UPI_HANDLES.has(domain.toLowerCase()) && !(isLetter(next) || next === 95 || next === 64);
      if (ok) emit({ kind: 'UPI', start: s, end: e, key: `${local}@${domain}`.toLowerCase() });
      continue;
    }
    if (email && local.length <= 64 && text.charCodeAt(e) !== 64 && isEmailAddress(`${local}@${domain}`)) {
      emit({ kind: 'EMAIL', start: s, end: e, key: `${local}@${domain}`.toLowerCase() });
    }
  }
}
