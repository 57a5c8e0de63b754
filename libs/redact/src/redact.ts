import { findAtSign } from './detectors/at-sign';
import { findIbans } from './detectors/iban';
import { findIndianCodes } from './detectors/india';
import { findNumbers } from './detectors/numbers';
import { findSecrets } from './detectors/secrets';
import { RedactError, RedactErrorCode } from './errors';
import { KINDS, PRIORITY, type Candidate, type Kind } from './kinds';

/** Inputs longer than this (UTF-16 code units) are refused unless opts.maxChars says otherwise. */
export const MAX_INPUT_CHARS = 1024 * 1024;

export interface RedactOptions {
  /** only these kinds are looked for (default: all of KINDS) */
  kinds?: readonly Kind[];
  /** refuse longer input with REDACT_INPUT_TOO_LARGE (default MAX_INPUT_CHARS) */
  maxChars?: number;
}

/** Where a value was, in the original text; never the value itself. */
export interface Finding {
  kind: Kind;
  start: number;
  end: number;
}

export interface RedactResult {
  /** the text with each value replaced by [KIND_n], n stable per distinct value within this call */
  text: string;
  /** occurrences replaced, per kind (every kind present, 0 when none) */
  counts: Record<Kind, number>;
  findings: Finding[];
}

const DETECTORS = [findSecrets, findIbans, findIndianCodes, findNumbers, findAtSign];

/**
 * One span per value: candidates are taken most specific kind first (then longest);
 * one inside a span already taken is dropped, one straddling a taken span widens it,
 * so nothing of either value is left in the clear. Each character remembers which
 * span holds it, so the cost is the total length of the candidates, not their count squared.
 */
function resolve(candidates: Candidate[], length: number): Candidate[] {
  candidates.sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const owner = new Int32Array(length).fill(-1);
  const spans: (Candidate | null)[] = [];
  const claim = (span: Candidate): void => {
    const id = spans.push(span) - 1;
    owner.fill(id, span.start, span.end);
  };
  for (const c of candidates) {
    const held = new Set<number>();
    for (let i = c.start; i < c.end; i++) if (owner[i] !== -1) held.add(owner[i]!);
    if (held.size === 0) {
      claim({ ...c });
      continue;
    }
    const overlapped = [...held].map((id) => spans[id]!);
    const only = overlapped[0]!;
    if (overlapped.length === 1 && only.start <= c.start && only.end >= c.end) continue;
    // widen the most specific of the overlapped spans over all of them and c
    const keep = overlapped.reduce((a, b) => (PRIORITY[b.kind] < PRIORITY[a.kind] ? b : a));
    for (const id of held) spans[id] = null;
    claim({
      kind: keep.kind,
      start: Math.min(c.start, ...overlapped.map((o) => o.start)),
      end: Math.max(c.end, ...overlapped.map((o) => o.end)),
      key: '',
    });
  }
  return spans.filter((x): x is Candidate => x !== null).sort((a, b) => a.start - b.start);
}

function emptyCounts(): Record<Kind, number> {
  return Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
}

/**
 * Replaces e-mail addresses, phone numbers, Indian identifiers (Aadhaar, PAN, GSTIN,
 * UPI, IFSC), card numbers, IBANs and secrets with typed placeholders such as
 * [EMAIL_1], before text leaves for an AI provider. Each detector validates (check
 * digits, known ranges, decodable structure), so near misses stay in the text.
 */
export function redact(text: string, opts: RedactOptions = {}): RedactResult {
  if (typeof text !== 'string') throw new RedactError(RedactErrorCode.BAD_INPUT, 'redact: the input must be a string');
  const maxChars = opts.maxChars ?? MAX_INPUT_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 0) throw new RedactError(RedactErrorCode.BAD_INPUT, 'redact: opts.maxChars must be a non-negative integer');
  if (text.length > maxChars) {
    throw new RedactError(RedactErrorCode.INPUT_TOO_LARGE, `redact: the input is ${text.length} characters, over the limit of ${maxChars}; split it or raise opts.maxChars`);
  }
  const kinds = new Set<Kind>(opts.kinds ?? KINDS);
  for (const k of kinds) if (!(k in PRIORITY)) throw new RedactError(RedactErrorCode.BAD_INPUT, `redact: unknown kind ${String(k)}`);

  const candidates: Candidate[] = [];
  const emit = (c: Candidate): void => {
    if (kinds.has(c.kind) && c.end > c.start) candidates.push(c);
  };
  for (const detect of DETECTORS) detect(text, kinds, emit);

  const spans = resolve(candidates, text.length);
  const counts = emptyCounts();
  const numbers = new Map<string, number>(); // kind + key -> n
  const next = emptyCounts();
  let out = '';
  let at = 0;
  for (const s of spans) {
    const id = `${s.kind}\u0000${s.key || text.slice(s.start, s.end)}`;
    let n = numbers.get(id);
    if (n === undefined) {
      n = ++next[s.kind];
      numbers.set(id, n);
    }
    counts[s.kind]++;
    out += `${text.slice(at, s.start)}[${s.kind}_${n}]`;
    at = s.end;
  }
  out += text.slice(at);
  return { text: out, counts, findings: spans.map(({ kind, start, end }) => ({ kind, start, end })) };
}
