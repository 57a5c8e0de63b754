import { describe, expect, it } from 'vitest';
import { buildCorpus, formatScores, score } from './corpus';
import { KINDS } from './kinds';
import { redact } from './redact';

describe('detector corpus', () => {
  const corpus = buildCorpus();

  it('holds at least 8 positives and 8 near-miss negatives for every kind', () => {
    for (const k of KINDS) {
      expect(corpus[k].positives.length, k).toBeGreaterThanOrEqual(8);
      expect(corpus[k].negatives.length, k).toBeGreaterThanOrEqual(8);
      for (const c of corpus[k].positives) expect(c.values.some(([kind]) => kind === k), c.text).toBe(true);
      for (const c of corpus[k].negatives) expect(c.values.some(([kind]) => kind === k), c.text).toBe(false);
    }
  });

  it('has precision 1 and recall of at least 0.95 for every detector', () => {
    const scores = score((t) => redact(t), corpus);
    console.log(`\n${formatScores(scores)}\n`);
    const misses = scores.flatMap((s) => s.misses);
    for (const s of scores) {
      expect(s.precision, `${s.kind}\n${misses.join('\n')}`).toBe(1);
      expect(s.recall, `${s.kind}\n${misses.join('\n')}`).toBeGreaterThanOrEqual(0.95);
    }
  });
});
