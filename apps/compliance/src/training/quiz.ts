// Grading a quiz on the server and turning a passed attempt into a completion. The score
// is always computed here from the member's answers: a client never sends a score.
import { refuse, type Outcome } from '../shared/outcome';
import type { TrainingModule } from './training.model';
import type { Assignment, Completion } from './assignment';

export interface Answer {
  questionId: string;
  optionId: string;
}

export interface Grade {
  /** Whole percentage of questions answered correctly, rounded down. */
  score: number;
  correct: number;
  total: number;
  passed: boolean;
  /** Per question, in the module's order: whether it was right, and the explanation. */
  results: { questionId: string; correct: boolean; explanation: string }[];
}

/**
 * Grades `answers` against `module`: exactly one answer per question, each naming one of
 * that question's options. Refuses an answer to a question the module does not have, a
 * second answer to one question, an unknown option and a missing answer (naming them).
 */
export function gradeQuiz(module: TrainingModule, answers: readonly Answer[]): Outcome<Grade> {
  const questions = new Map(module.questions.map((q) => [q.id, q]));
  const chosen = new Map<string, string>();
  for (const [i, a] of answers.entries()) {
    const question = questions.get(a.questionId);
    if (!question) return refuse(`answers[${i}].questionId`, `${module.title} v${module.version} has no question ${a.questionId}`);
    if (chosen.has(a.questionId)) return refuse(`answers[${i}].questionId`, `Question ${a.questionId} is answered twice`);
    if (!question.options.some((o) => o.id === a.optionId)) return refuse(`answers[${i}].optionId`, `Question ${a.questionId} has no option ${a.optionId}`);
    chosen.set(a.questionId, a.optionId);
  }
  const missing = module.questions.filter((q) => !chosen.has(q.id)).map((q) => q.id);
  if (missing.length) return refuse('answers', `Every question needs an answer; missing: ${missing.join(', ')}`);

  const results = module.questions.map((q) => {
    const right = q.options.find((o) => o.correct)?.id;
    return { questionId: q.id, correct: chosen.get(q.id) === right, explanation: q.explanation };
  });
  const correct = results.filter((r) => r.correct).length;
  const total = results.length;
  // Integer comparison: floor(100c/t) >= p exactly when 100c >= p*t, so score and passed agree.
  return { ok: true, value: { score: Math.floor((100 * correct) / total), correct, total, passed: 100 * correct >= module.passMark * total, results } };
}

/**
 * A member's attempt at their own assignment. Refuses an attempt on someone else's
 * assignment (nobody completes for another), on one already completed, or against a
 * module version other than the one assigned. A failed attempt grades but completes
 * nothing; the member may try again.
 */
export function attempt(
  assignment: Assignment,
  completions: readonly Completion[],
  module: TrainingModule,
  actorMemberId: string,
  answers: readonly Answer[],
  now: Date,
): Outcome<{ grade: Grade; completion: Completion | null }> {
  if (assignment.memberId !== actorMemberId) return refuse('assignmentId', 'Only the assigned member can complete their training');
  if (completions.some((c) => c.assignmentId === assignment.id)) return refuse('assignmentId', 'This assignment is already complete');
  if (module.key !== assignment.moduleKey || module.version !== assignment.version) {
    return refuse('assignmentId', `This assignment is for ${assignment.moduleKey} v${assignment.version}`);
  }
  const graded = gradeQuiz(module, answers);
  if (!graded.ok) return graded;
  const completion: Completion | null = graded.value.passed
    ? { assignmentId: assignment.id, memberId: assignment.memberId, moduleKey: module.key, version: module.version, score: graded.value.score, completedAt: now }
    : null;
  return { ok: true, value: { grade: graded.value, completion } };
}
