import { describe, expect, it } from 'vitest';
import { attempt, gradeQuiz } from './quiz';
import { answers, assignment, completion, seeded } from './training.fixtures';

const phishing = seeded('phishing');
const now = new Date('2027-01-10T12:00:00Z');

describe('gradeQuiz', () => {
  it('scores all correct as 100 and passes', () => {
    const out = gradeQuiz(phishing, answers(phishing));
    expect(out).toMatchObject({ ok: true, value: { score: 100, correct: 6, total: 6, passed: true } });
    if (out.ok) expect(out.value.results.every((r) => r.correct && r.explanation.length > 0)).toBe(true);
  });

  it('passes at the mark and fails below it, with score and passed agreeing (5/6 = 83, 4/6 = 66 against 80)', () => {
    expect(gradeQuiz(phishing, answers(phishing, ['link']))).toMatchObject({ ok: true, value: { score: 83, passed: true } });
    const failed = gradeQuiz(phishing, answers(phishing, ['link', 'urgency']));
    expect(failed).toMatchObject({ ok: true, value: { score: 66, correct: 4, passed: false } });
    if (failed.ok) expect(failed.value.results.filter((r) => !r.correct).map((r) => r.questionId)).toEqual(['urgency', 'link']);
  });

  it('compares exactly at a pass mark that is not a whole share (4/5 against 80)', () => {
    const five = { ...phishing, questions: phishing.questions.slice(0, 5) };
    expect(gradeQuiz(five, answers(five, ['urgency']))).toMatchObject({ ok: true, value: { score: 80, passed: true } });
    expect(gradeQuiz({ ...five, passMark: 81 }, answers(five, ['urgency']))).toMatchObject({ ok: true, value: { score: 80, passed: false } });
  });

  it('does not care about the order of the answers', () => {
    expect(gradeQuiz(phishing, answers(phishing).reverse())).toMatchObject({ ok: true, value: { score: 100 } });
  });

  it('refuses an unknown question, a repeated answer, an unknown option and missing answers', () => {
    const all = answers(phishing);
    expect(gradeQuiz(phishing, [...all, { questionId: 'made-up', optionId: 'a' }])).toMatchObject({ ok: false, field: 'answers[6].questionId' });
    expect(gradeQuiz(phishing, [...all, all[0]!])).toMatchObject({ ok: false, field: 'answers[6].questionId', reason: expect.stringContaining('twice') as string });
    expect(gradeQuiz(phishing, [{ ...all[0]!, optionId: 'z' }, ...all.slice(1)])).toMatchObject({ ok: false, field: 'answers[0].optionId' });
    expect(gradeQuiz(phishing, all.slice(2))).toEqual({ ok: false, field: 'answers', reason: 'Every question needs an answer; missing: urgency, bank-details' });
    expect(gradeQuiz(phishing, [])).toMatchObject({ ok: false, field: 'answers' });
  });
});

describe('attempt (completing an assignment)', () => {
  const mine = assignment({ id: 'as-1', memberId: 'ann', moduleKey: 'phishing' });

  it('records a passed attempt as a completion with the server-computed score and time', () => {
    const out = attempt(mine, [], phishing, 'ann', answers(phishing, ['link']), now);
    expect(out).toEqual({
      ok: true,
      value: {
        grade: expect.objectContaining({ score: 83, passed: true }) as unknown,
        completion: { assignmentId: 'as-1', memberId: 'ann', moduleKey: 'phishing', version: 1, score: 83, completedAt: now },
      },
    });
  });

  it('grades a failed attempt without completing anything', () => {
    expect(attempt(mine, [], phishing, 'ann', answers(phishing, ['link', 'urgency']), now)).toMatchObject({ ok: true, value: { completion: null, grade: { passed: false } } });
  });

  it('refuses completing for another member, twice, or against another version', () => {
    expect(attempt(mine, [], phishing, 'bob', answers(phishing), now)).toEqual({ ok: false, field: 'assignmentId', reason: 'Only the assigned member can complete their training' });
    expect(attempt(mine, [completion(mine, now)], phishing, 'ann', answers(phishing), now)).toMatchObject({ ok: false, reason: 'This assignment is already complete' });
    expect(attempt(mine, [], { ...phishing, version: 2 }, 'ann', answers(phishing), now)).toMatchObject({ ok: false, field: 'assignmentId' });
    expect(attempt(mine, [], seeded('secure-development'), 'ann', answers(seeded('secure-development')), now)).toMatchObject({ ok: false, field: 'assignmentId' });
  });

  it('passes a refused set of answers through', () => {
    expect(attempt(mine, [], phishing, 'ann', [], now)).toMatchObject({ ok: false, field: 'answers' });
  });
});
