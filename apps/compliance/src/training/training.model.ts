// A training module version as the engine sees it (the seeded six and org-authored ones
// alike), and the check an org-authored module or version must pass before it is saved.
// Pure: the entity and service come later and map onto these shapes.
import { validate } from '@packets/http';
import { refuse, type Outcome, type Refusal } from '../shared/outcome';

export interface QuizOption {
  id: string;
  text: string;
  correct: boolean;
}

export interface QuizQuestion {
  id: string;
  prompt: string;
  options: readonly QuizOption[];
  /** One line shown after grading: why the correct option is correct. */
  explanation: string;
}

/** One version of a module. Versions of a key are numbered 1, 2, 3...; the highest is current. */
export interface TrainingModule {
  key: string;
  version: number;
  title: string;
  /** Markdown. */
  body: string;
  /** Percentage of questions answered correctly needed to pass, 1-100. */
  passMark: number;
  questions: readonly QuizQuestion[];
  /**
   * Set by the org when it publishes this version: members who completed an earlier version
   * are assigned this one (a typo fix need not re-train everyone; a new procedure should).
   */
  reassignOnPublish: boolean;
  publishedAt: Date;
}

export const LIMITS = {
  keyPattern: /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/,
  titleMax: 200,
  bodyMin: 200,
  bodyMax: 50_000,
  questionsMin: 5,
  questionsMax: 50,
  promptMax: 500,
  optionsMin: 2,
  optionsMax: 6,
  optionMax: 300,
  explanationMax: 500,
  idPattern: /^[a-z0-9][a-z0-9-]{0,39}$/,
} as const;

const blank = (s: string): boolean => s.trim() === '';

/** A refusal for the first problem of one text field, or null. */
function checkText(value: string, field: string, label: string, max: number, min = 1): Refusal | null {
  if (!validate.isWellFormed(value)) return refuse(field, `${label} contains a NUL character or an unpaired surrogate`);
  if (blank(value) || value.trim().length < min) return refuse(field, min > 1 ? `${label} needs at least ${min} characters` : `${label} cannot be empty`);
  if (value.length > max) return refuse(field, `${label} is longer than ${max} characters`);
  return null;
}

function checkId(value: string, field: string, label: string): Refusal | null {
  return LIMITS.idPattern.test(value) ? null : refuse(field, `${label} must be 1-40 lower-case letters, digits or dashes`);
}

function checkQuestion(q: QuizQuestion, at: string): Refusal | null {
  const problem =
    checkId(q.id, `${at}.id`, 'A question id') ??
    checkText(q.prompt, `${at}.prompt`, 'A question', LIMITS.promptMax) ??
    checkText(q.explanation, `${at}.explanation`, 'An explanation', LIMITS.explanationMax);
  if (problem) return problem;
  if (q.options.length < LIMITS.optionsMin || q.options.length > LIMITS.optionsMax) {
    return refuse(`${at}.options`, `A question needs ${LIMITS.optionsMin}-${LIMITS.optionsMax} options`);
  }
  const ids = new Set<string>();
  const texts = new Set<string>();
  for (const [j, o] of q.options.entries()) {
    const oat = `${at}.options[${j}]`;
    const bad = checkId(o.id, `${oat}.id`, 'An option id') ?? checkText(o.text, `${oat}.text`, 'An option', LIMITS.optionMax);
    if (bad) return bad;
    if (ids.has(o.id)) return refuse(`${oat}.id`, `Option id ${o.id} appears twice in one question`);
    const normalised = o.text.trim().toLowerCase();
    if (texts.has(normalised)) return refuse(`${oat}.text`, 'Two options of one question say the same thing');
    ids.add(o.id);
    texts.add(normalised);
  }
  const correct = q.options.filter((o) => o.correct).length;
  if (correct !== 1) return refuse(`${at}.options`, `A question needs exactly one correct option (it has ${correct})`);
  return null;
}

/**
 * Checks an org-authored module version (the seeded ones pass it too: a spec says so).
 * Returns the module with its text fields trimmed. `previous` is the current version of
 * the same key, if any: a new version must be numbered after it.
 */
export function validateModule(m: TrainingModule, previous: TrainingModule | null = null): Outcome<TrainingModule> {
  if (!LIMITS.keyPattern.test(m.key)) return refuse('key', 'A module key must be 3-64 lower-case letters, digits or dashes');
  if (!Number.isInteger(m.version) || m.version < 1) return refuse('version', 'A version is a whole number from 1');
  if (previous) {
    if (previous.key !== m.key) return refuse('key', 'A new version keeps the key of the module it revises');
    if (m.version !== previous.version + 1) return refuse('version', `The next version of ${m.key} is ${previous.version + 1}`);
  } else if (m.version !== 1) {
    return refuse('version', 'A new module starts at version 1');
  }
  const text = checkText(m.title, 'title', 'A title', LIMITS.titleMax) ?? checkText(m.body, 'body', 'The body', LIMITS.bodyMax, LIMITS.bodyMin);
  if (text) return text;
  if (!Number.isInteger(m.passMark) || m.passMark < 1 || m.passMark > 100) return refuse('passMark', 'A pass mark is a whole percentage from 1 to 100');
  if (m.questions.length < LIMITS.questionsMin || m.questions.length > LIMITS.questionsMax) {
    return refuse('questions', `A quiz needs ${LIMITS.questionsMin}-${LIMITS.questionsMax} questions`);
  }
  const ids = new Set<string>();
  for (const [i, q] of m.questions.entries()) {
    const bad = checkQuestion(q, `questions[${i}]`);
    if (bad) return bad;
    if (ids.has(q.id)) return refuse(`questions[${i}].id`, `Question id ${q.id} appears twice`);
    ids.add(q.id);
  }
  return {
    ok: true,
    value: {
      ...m,
      title: m.title.trim(),
      body: m.body.trim(),
      questions: m.questions.map((q) => ({
        ...q,
        prompt: q.prompt.trim(),
        explanation: q.explanation.trim(),
        options: q.options.map((o) => ({ ...o, text: o.text.trim() })),
      })),
    },
  };
}

/** The current (highest) version of each key, in the order keys first appear. */
export function currentVersions(modules: readonly TrainingModule[]): TrainingModule[] {
  const byKey = new Map<string, TrainingModule>();
  for (const m of modules) {
    const seen = byKey.get(m.key);
    if (!seen || m.version > seen.version) byKey.set(m.key, m);
  }
  return [...byKey.values()];
}
