// The one registry of what can be authorised: every subgraph adds its subjects
// (with their fields) here, and identity validates custom roles against it.
export const ACTIONS = ['manage', 'create', 'read', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

export interface SubjectDefinition {
  /** owning subgraph */
  subgraph: string;
  /** fields a rule may name in `fields` or `conditions` */
  fields: readonly string[];
}

const subjects = new Map<string, SubjectDefinition>();

export function registerSubjects(subgraph: string, defs: Record<string, readonly string[]>): void {
  for (const [name, fields] of Object.entries(defs)) {
    const existing = subjects.get(name);
    if (existing && existing.subgraph !== subgraph) {
      throw new Error(`subject ${name} is already registered by ${existing.subgraph}`);
    }
    subjects.set(name, { subgraph, fields });
  }
}

export function subjectDefinition(name: string): SubjectDefinition | undefined {
  return subjects.get(name);
}

export function registeredSubjects(): string[] {
  return [...subjects.keys()].sort();
}

/** Condition operators that convert to SQL (see ability.ts). Others are refused when a role is saved. */
export const SQL_OPERATORS = ['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$exists'] as const;
