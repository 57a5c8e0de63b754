// Modules, members and assignments for the training engine's unit specs.
import type { Answer } from './quiz';
import type { Assignment, Completion, Member } from './assignment';
import type { TrainingModule } from './training.model';
import { seedModules } from './training.seed';

export const orgStart = new Date('2027-01-04T09:00:00Z');

export function seeded(key: string, at = orgStart): TrainingModule {
  const m = seedModules(at).find((s) => s.key === key);
  if (!m) throw new Error(`no seeded module ${key}`);
  return m;
}

/** Answers to every question: the correct option, except for the question ids in `wrong`. */
export function answers(module: TrainingModule, wrong: readonly string[] = []): Answer[] {
  return module.questions.map((q) => {
    const pick = wrong.includes(q.id) ? q.options.find((o) => !o.correct) : q.options.find((o) => o.correct);
    return { questionId: q.id, optionId: pick?.id ?? '' };
  });
}

export const member = (id: string, joinedAt = orgStart): Member => ({ id, joinedAt });

export function assignment(over: Partial<Assignment> & Pick<Assignment, 'id' | 'memberId' | 'moduleKey'>): Assignment {
  const assignedAt = over.assignedAt ?? orgStart;
  return { version: 1, reason: 'JOINED', assignedAt, dueAt: new Date(assignedAt.getTime() + 30 * 86_400_000), ...over };
}

export function completion(a: Assignment, completedAt: Date, score = 100): Completion {
  return { assignmentId: a.id, memberId: a.memberId, moduleKey: a.moduleKey, version: a.version, score, completedAt };
}
