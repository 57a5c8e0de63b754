import { describe, expect, it } from 'vitest';
import { currentVersions, validateModule, type TrainingModule } from './training.model';
import { SEED_MODULE_KEYS, seedModules } from './training.seed';

const now = new Date('2027-01-04T09:00:00Z');

function mod(over: Partial<TrainingModule> = {}): TrainingModule {
  const seeded = seedModules(now)[0];
  if (!seeded) throw new Error('no seed');
  return { ...seeded, key: 'vendor-risk', title: 'Vendor risk', ...over };
}

const withOptions = (options: TrainingModule['questions'][number]['options']): TrainingModule => {
  const m = mod();
  return { ...m, questions: m.questions.map((q, i) => (i === 2 ? { ...q, options } : q)) };
};

describe('the seeded modules', () => {
  it('are the six of the trust page, in its order, each valid as version 1', () => {
    const seeded = seedModules(now);
    expect(seeded.map((m) => m.title)).toEqual([
      'Access Control & Authentication',
      'Data Handling & Privacy',
      'Phishing & Social Engineering',
      'Secure Development',
      'Incident Response',
      'Business Continuity',
    ]);
    expect(SEED_MODULE_KEYS).toEqual(seeded.map((m) => m.key));
    for (const m of seeded) {
      expect(validateModule(m), m.key).toMatchObject({ ok: true });
      expect(m).toMatchObject({ version: 1, publishedAt: now, reassignOnPublish: false });
    }
  });

  it('have a body of a few hundred words and at least five questions of 3-4 options with one correct each', () => {
    for (const m of seedModules(now)) {
      const words = m.body.split(/\s+/).length;
      expect(words, m.key).toBeGreaterThanOrEqual(250);
      expect(words, m.key).toBeLessThanOrEqual(600);
      expect(m.body.startsWith(`# ${m.title}\n`), m.key).toBe(true);
      expect(m.questions.length, m.key).toBeGreaterThanOrEqual(5);
      for (const q of m.questions) {
        expect(q.options.length, `${m.key}/${q.id}`).toBeGreaterThanOrEqual(3);
        expect(q.options.length, `${m.key}/${q.id}`).toBeLessThanOrEqual(4);
        expect(q.options.filter((o) => o.correct), `${m.key}/${q.id}`).toHaveLength(1);
        expect(q.explanation.length, `${m.key}/${q.id}`).toBeGreaterThan(10);
      }
    }
  });

  it('do not always put the right answer in the same place', () => {
    const positions = new Set(seedModules(now).flatMap((m) => m.questions.map((q) => q.options.findIndex((o) => o.correct))));
    expect(positions.size).toBeGreaterThanOrEqual(3);
  });
});

describe('validateModule (org-authored modules and versions)', () => {
  it('accepts a well-formed module and trims its text', () => {
    const out = validateModule(mod({ title: '  Vendor risk  ' }));
    expect(out).toMatchObject({ ok: true, value: { title: 'Vendor risk' } });
  });

  it.each([
    ['key', { key: 'Vendor Risk' }],
    ['version', { version: 0 }],
    ['version', { version: 2 }],
    ['title', { title: '   ' }],
    ['title', { title: 'x'.repeat(201) }],
    ['title', { title: 'Vendor\u0000risk' }],
    ['title', { title: 'Vendor \ud800 risk' }],
    ['body', { body: 'Too short to teach anything.' }],
    ['body', { body: 'x'.repeat(50_001) }],
    ['body', { body: `${'Long enough text. '.repeat(20)}\udc00` }],
    ['passMark', { passMark: 0 }],
    ['passMark', { passMark: 101 }],
    ['passMark', { passMark: 79.5 }],
    ['questions', { questions: mod().questions.slice(0, 4) }],
  ] as const)('refuses a bad %s (%#)', (field, over) => {
    expect(validateModule(mod(over))).toMatchObject({ ok: false, field });
  });

  it('refuses a question without exactly one correct option, naming the question', () => {
    const none = withOptions([{ id: 'a', text: 'One', correct: false }, { id: 'b', text: 'Two', correct: false }, { id: 'c', text: 'Three', correct: false }]);
    expect(validateModule(none)).toEqual({ ok: false, field: 'questions[2].options', reason: 'A question needs exactly one correct option (it has 0)' });
    const two = withOptions([{ id: 'a', text: 'One', correct: true }, { id: 'b', text: 'Two', correct: true }, { id: 'c', text: 'Three', correct: false }]);
    expect(validateModule(two)).toMatchObject({ ok: false, field: 'questions[2].options', reason: expect.stringContaining('(it has 2)') as string });
  });

  it('refuses too few options, repeated option ids or texts, repeated question ids and ill-formed question text', () => {
    expect(validateModule(withOptions([{ id: 'a', text: 'Only', correct: true }]))).toMatchObject({ ok: false, field: 'questions[2].options' });
    expect(validateModule(withOptions([{ id: 'a', text: 'One', correct: true }, { id: 'a', text: 'Two', correct: false }]))).toMatchObject({ ok: false, field: 'questions[2].options[1].id' });
    expect(validateModule(withOptions([{ id: 'a', text: 'Same', correct: true }, { id: 'b', text: ' same ', correct: false }]))).toMatchObject({ ok: false, field: 'questions[2].options[1].text' });
    const m = mod();
    const repeated = { ...m, questions: [...m.questions, { ...m.questions[0]! }] };
    expect(validateModule(repeated)).toMatchObject({ ok: false, field: 'questions[6].id' });
    const nul = { ...m, questions: m.questions.map((q, i) => (i === 1 ? { ...q, prompt: 'Why\u0000?' } : q)) };
    expect(validateModule(nul)).toMatchObject({ ok: false, field: 'questions[1].prompt' });
    const noWhy = { ...m, questions: m.questions.map((q, i) => (i === 4 ? { ...q, explanation: ' ' } : q)) };
    expect(validateModule(noWhy)).toMatchObject({ ok: false, field: 'questions[4].explanation' });
  });

  it('numbers a new version right after the current one, under the same key', () => {
    const v1 = mod();
    expect(validateModule(mod({ version: 2 }), v1)).toMatchObject({ ok: true });
    expect(validateModule(mod({ version: 3 }), v1)).toEqual({ ok: false, field: 'version', reason: 'The next version of vendor-risk is 2' });
    expect(validateModule(mod({ version: 2, key: 'other-key' }), v1)).toMatchObject({ ok: false, field: 'key' });
  });

  it('currentVersions keeps the highest version of each key', () => {
    const a1 = mod({ key: 'aaa', version: 1 });
    const a3 = mod({ key: 'aaa', version: 3 });
    const b1 = mod({ key: 'bbb', version: 1 });
    expect(currentVersions([a1, b1, a3]).map((m) => `${m.key}@${m.version}`)).toEqual(['aaa@3', 'bbb@1']);
  });
});
