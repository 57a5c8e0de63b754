// IBANs: a country code, two check digits, then exactly the country's length of
// alphanumerics (spaces between groups allowed), checked with ibantools (mod 97 and
// the country's BBAN format).
import { ibanLength, isIban } from '../checks';
import type { Emit, Kind } from '../kinds';

const CANDIDATE = /(?<![A-Za-z0-9])([A-Z]{2})\d{2}(?: ?[A-Z0-9]){10,30}/g;
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

export function findIbans(text: string, kinds: ReadonlySet<Kind>, emit: Emit): void {
  if (!kinds.has('IBAN')) return;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const want = ibanLength(m[1]!);
    if (!want) {
      CANDIDATE.lastIndex = m.index + 2;
      continue;
    }
    // take exactly the country's length, so a word after it is not swallowed
    let end = m.index;
    let chars = 0;
    const limit = m.index + m[0].length;
    while (end < limit && chars < want) {
      if (text[end] !== ' ') chars++;
      end++;
    }
    const glued = isAlnum(text.charCodeAt(end));
    const value = text.slice(m.index, end);
    if (chars === want && !glued && isIban(value)) {
      emit({ kind: 'IBAN', start: m.index, end, key: value.replace(/ /g, '') });
      CANDIDATE.lastIndex = end;
    } else {
      CANDIDATE.lastIndex = m.index + 2;
    }
  }
}
