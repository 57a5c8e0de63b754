// PAN, GSTIN and IFSC: fixed-length upper-case codes, each regular expression bounded
// and anchored on a word start, then checked (GSTIN's mod-36 character, PAN's holder
// type, IFSC's bank code or an "IFSC" label).
import { isGstin, isPan } from '../checks';
import { IFSC_BANKS } from '../ifsc-banks';
import type { Emit, Kind } from '../kinds';

const PAN = /(?<![A-Za-z0-9])[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z](?![A-Za-z0-9])/g;
const GSTIN = /(?<![A-Za-z0-9])\d{2}[A-Z]{5}\d{4}[A-Z][0-9A-Z]Z[0-9A-Z](?![A-Za-z0-9])/g;
const IFSC = /(?<![A-Za-z0-9])([A-Z]{4})0[A-Z0-9]{6}(?![A-Za-z0-9])/g;
const IFSC_LABEL = /\bifsc(?:\s*code)?\b[^\n]{0,12}$/i;

export function findIndianCodes(text: string, kinds: ReadonlySet<Kind>, emit: Emit): void {
  if (kinds.has('PAN')) {
    for (const m of text.matchAll(PAN)) if (isPan(m[0])) emit({ kind: 'PAN', start: m.index, end: m.index + 10, key: m[0] });
  }
  if (kinds.has('GSTIN')) {
    for (const m of text.matchAll(GSTIN)) if (isGstin(m[0])) emit({ kind: 'GSTIN', start: m.index, end: m.index + 15, key: m[0] });
  }
  if (kinds.has('IFSC')) {
    for (const m of text.matchAll(IFSC)) {
      const labelled = IFSC_LABEL.test(text.slice(Math.max(0, m.index - 24), m.index));
      if (IFSC_BANKS.has(m[1]!) || labelled) emit({ kind: 'IFSC', start: m.index, end: m.index + 11, key: m[0] });
    }
  }
}
