// Card numbers, Aadhaar numbers and phone numbers: one pass splits the text into
// digit groups joined by short separators ("98765 43210", "+1 (415) 555-2671"),
// then each detector looks at windows of whole groups. A hand-written scanner, not
// a regular expression, so the cost stays linear whatever the input.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isAadhaar, isCardNumber } from '../checks';
import type { Emit, Kind } from '../kinds';

interface Group {
  start: number;
  end: number;
  digits: string;
  /** the characters between the previous group and this one ('' for the first) */
  sep: string;
  /** the group opens with '+' (only a token's first group can) */
  plus: boolean;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
// space, no-break space, hyphen, en dash, parentheses
const isSep = (c: number): boolean => c === 32 || c === 160 || c === 45 || c === 8211 || c === 40 || c === 41;

/** Is the group starting at `at` glued to what precedes it ("INV-9876543210", "v2.1234", "15:30")? */
function gluedBefore(text: string, at: number): boolean {
  const p = text.charCodeAt(at - 1);
  if (Number.isNaN(p)) return false;
  if (isAlnum(p)) return true;
  const pp = text.charCodeAt(at - 2);
  if (p === 46 || p === 44 || p === 58) return isDigit(pp); // . , : after a digit: a decimal, a time
  if (p === 45 || p === 47 || p === 35 || p === 92) return isAlnum(pp); // - / # \ after a word
  return false;
}

/** Is the group ending at `at` glued to what follows it ("9876543210abc", "12.5", "…@ybl")? */
function gluedAfter(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (Number.isNaN(c)) return false;
  if (isAlnum(c) || c === 64) return true;
  const cc = text.charCodeAt(at + 1);
  if (c === 46 || c === 44 || c === 58) return isDigit(cc);
  if (c === 45 || c === 47 || c === 92) return isAlnum(cc);
  return false;
}

const NEXT_DIGIT = /[0-9+]/g;

function* tokens(text: string): Generator<Group[]> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    // the regular expression engine skips prose faster than a loop over char codes
    NEXT_DIGIT.lastIndex = i;
    if (!NEXT_DIGIT.exec(text)) return;
    i = NEXT_DIGIT.lastIndex - 1;
    const c = text.charCodeAt(i);
    const plus = c === 43 && isDigit(text.charCodeAt(i + 1));
    if (!plus && !isDigit(c)) {
      i++;
      continue;
    }
    const groups: Group[] = [];
    const start = i;
    let j = plus ? i + 1 : i;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    groups.push({ start, end: j, digits: text.slice(plus ? start + 1 : start, j), sep: '', plus });
    for (;;) {
      let k = j;
      while (k < n && k - j < 3 && isSep(text.charCodeAt(k))) k++;
      if (k === j || k >= n || !isDigit(text.charCodeAt(k))) break;
      let m = k;
      while (m < n && isDigit(text.charCodeAt(m))) m++;
      groups.push({ start: k, end: m, digits: text.slice(k, m), sep: text.slice(j, k), plus: false });
      j = m;
    }
    // a glued first or last group belongs to another token (an invoice number, a decimal)
    const first = gluedBefore(text, start) ? 1 : 0;
    const last = gluedAfter(text, j) ? groups.length - 1 : groups.length;
    if (last > first) yield groups.slice(first, last);
    i = j;
  }
}

const digitsOf = (g: Group[], i: number, j: number): string => {
  let s = '';
  for (let k = i; k <= j; k++) s += g[k]!.digits;
  return s;
};

/** separators inside the window are all one space or all one hyphen */
function uniformSep(g: Group[], i: number, j: number): boolean {
  const sep = g[i + 1]?.sep;
  if (sep === undefined) return true;
  if (sep !== ' ' && sep !== '-') return false;
  for (let k = i + 2; k <= j; k++) if (g[k]!.sep !== sep) return false;
  return true;
}

const len = (g: Group[], k: number): number => g[k]?.digits.length ?? 0;

/** The last group of the longest card layout starting at group i (one block of 13-19; 4-4-4-4(-3); 4-6-5 Amex; 4-6-4 Diners), or -1. */
function findCardAt(g: Group[], i: number): number {
  if (g[i]!.plus) return -1;
  const first = len(g, i);
  const ends: number[] = [];
  if (first >= 13 && first <= 19) ends.push(i);
  if (first === 4) {
    // 4-6-5 / 4-6-4
    if (len(g, i + 1) === 6 && (len(g, i + 2) === 5 || len(g, i + 2) === 4) && uniformSep(g, i, i + 2)) ends.push(i + 2);
    // runs of four with a shorter last group: 13 to 19 digits
    let total = 4;
    for (let j = i + 1; j < g.length && total < 19 && uniformSep(g, i, j); j++) {
      total += len(g, j);
      if (total > 19) break;
      if (total >= 13) ends.push(j);
      if (len(g, j) !== 4) break;
    }
  }
  ends.sort((a, b) => b - a);
  for (const j of ends) if (isCardNumber(digitsOf(g, i, j))) return j;
  return -1;
}

function findCards(g: Group[], emit: Emit): void {
  for (let i = 0; i < g.length; i++) {
    const j = findCardAt(g, i);
    if (j >= 0) {
      emit({ kind: 'CARD', start: g[i]!.start, end: g[j]!.end, key: digitsOf(g, i, j) });
      i = j;
    }
  }
}

function findAadhaar(g: Group[], emit: Emit): void {
  for (let i = 0; i < g.length; i++) {
    const one = g[i]!.digits.length === 12 ? i : -1;
    const three = i + 2 < g.length && [0, 1, 2].every((k) => g[i + k]!.digits.length === 4) && uniformSep(g, i, i + 2) ? i + 2 : -1;
    const j = Math.max(one, three);
    if (j < 0 || g[i]!.plus) continue;
    // 4-4-4 inside a longer run of four-digit groups (a 16-digit virtual ID, a card) is not an Aadhaar
    if (three === j && (g[i - 1]?.digits.length === 4 || g[j + 1]?.digits.length === 4)) continue;
    const digits = digitsOf(g, i, j);
    if (isAadhaar(digits)) {
      emit({ kind: 'AADHAAR', start: g[i]!.start, end: g[j]!.end, key: digits });
      i = j;
    }
  }
}

const NOT_A_PHONE = /\b(?:invoice|inv|order|ord|ref|reference|txn|transaction|ticket|awb|tracking|account|acct|a\/c|utr|pnr|sku|serial|batch|isbn|policy|claim|receipt|folio|customer id|cust id|no\.|#)\W*$/;
const PHONE_WORD = /\b(?:phone|mobile|mob|cell|call|tel|telephone|whatsapp|contact|sms|ph)\b/;

/** An unprefixed ten-digit number labelled as something else ("Order no. 9876543210") is not a phone. */
function labelledOther(text: string, start: number): boolean {
  let before = text.slice(Math.max(0, start - 32), start).toLowerCase();
  before = before.slice(before.lastIndexOf('\n') + 1);
  const other = NOT_A_PHONE.exec(before);
  if (!other) return /#\s*$/.test(before);
  return !PHONE_WORD.test(before.slice(other.index + other[0].length));
}

const IN_PREFIX = new Set(['0', '91', '0091']);

/** Indian mobile: optional 0 / 91 / 0091 prefix group, then ten digits from 6-9 in groups of at least two. */
function indianMobile(g: Group[], i: number, j: number): string | null {
  let from = i;
  if (IN_PREFIX.has(g[i]!.digits) && j > i) from = i + 1;
  for (let k = from; k <= j; k++) if (g[k]!.digits.length < 2) return null;
  let d = digitsOf(g, from, j);
  if (from === i && d.length === 11 && d.startsWith('0')) d = d.slice(1);
  if (from === i && d.length === 12 && d.startsWith('91')) d = d.slice(2);
  return /^[6-9]\d{9}$/.test(d) ? `+91${d}` : null;
}

/** '+' and a country code: an Indian mobile by its pattern, anything else by libphonenumber's full metadata. */
function international(g: Group[], i: number, j: number): string | null {
  const d = digitsOf(g, i, j);
  if (d.length < 8 || d.length > 15) return null;
  if (/^91[6-9]\d{9}$/.test(d)) return `+${d}`;
  const p = parsePhoneNumberFromString(`+${d}`);
  return p?.isValid() ? p.number : null;
}

function findPhones(text: string, g: Group[], emit: Emit): void {
  const plus = g[0]!.plus;
  let best: { j: number; key: string } | null = null;
  if (plus) {
    // '+' and a country code: the longest run of groups libphonenumber accepts
    let total = 0;
    for (let j = 0; j < g.length; j++) {
      total += len(g, j);
      if (total > 15) break;
      const key = international(g, 0, j);
      if (key) best = { j, key };
    }
  } else {
    // without '+', a grouped number must be the whole token ("98765 43210"; but not the
    // "8139 3999 09" inside an IBAN's digits); an ungrouped one may stand in a list
    let total = 0;
    for (let j = 0; j < g.length && total <= 14; j++) total += len(g, j);
    const key = total <= 14 ? indianMobile(g, 0, g.length - 1) : null;
    if (key && !labelledOther(text, g[0]!.start)) best = { j: g.length - 1, key };
    else if (g.length > 1) {
      for (let i = 0; i < g.length; i++) {
        if (len(g, i) < 10 || len(g, i) > 12) continue;
        const one = indianMobile(g, i, i);
        if (one && !labelledOther(text, g[i]!.start)) emit({ kind: 'PHONE', start: g[i]!.start, end: g[i]!.end, key: one });
      }
    }
  }
  if (best) emit({ kind: 'PHONE', start: g[0]!.start, end: g[best.j]!.end, key: best.key });
}

export function findNumbers(text: string, kinds: ReadonlySet<Kind>, emit: Emit): void {
  const cards = kinds.has('CARD');
  const aadhaar = kinds.has('AADHAAR');
  const phones = kinds.has('PHONE');
  if (!cards && !aadhaar && !phones) return;
  for (const g of tokens(text)) {
    if (cards) findCards(g, emit);
    if (aadhaar) findAadhaar(g, emit);
    if (phones) findPhones(text, g, emit);
  }
}
