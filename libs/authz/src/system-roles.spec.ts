// The permission surface of the system roles. A diff in this snapshot is a change
// in who can do what in every organisation: review it as such.
import { describe, expect, it } from 'vitest';
import { abilityFromRules, can } from './ability';
import { SYSTEM_ROLES, SYSTEM_ROLE_NAMES } from './system-roles';
import { ACTIONS, registeredSubjects } from './registry';
import './subjects';

// C R U D per subject, for every subject in the registry (a new subject shows up
// here as a snapshot diff); '-' = never
const SUBJECTS = registeredSubjects();

describe('system roles', () => {
  it('cover every subject in the registry', () => {
    expect(SUBJECTS.length).toBeGreaterThan(0);
    expect(SUBJECTS).toContain('Control');
  });

  it('have this permission surface', () => {
    const surface: Record<string, Record<string, string>> = {};
    for (const role of SYSTEM_ROLE_NAMES) {
      const ability = abilityFromRules(SYSTEM_ROLES[role].rules);
      surface[role] = Object.fromEntries(SUBJECTS.map((subject) => [
        subject,
        ACTIONS.filter((a) => a !== 'manage').map((a) => {
          if (!can(ability, a, subject)) return '-';
          // upper case: always; lower case: only under the rule's conditions
          return ability.relevantRuleFor(a, subject)?.conditions ? a[0]! : a[0]!.toUpperCase();
        }).join(''),
      ]));
    }
    expect(surface).toMatchSnapshot();
  });

  it('Auditor and Viewer change nothing', () => {
    for (const role of ['Auditor', 'Viewer'] as const) {
      const ability = abilityFromRules(SYSTEM_ROLES[role].rules);
      for (const subject of SUBJECTS) for (const action of ['create', 'update', 'delete'] as const) {
        expect(can(ability, action, subject), `${role} ${action} ${subject}`).toBe(false);
      }
    }
  });

  it('only Owner and Auditor read the audit log', () => {
    const readers = SYSTEM_ROLE_NAMES.filter((r) => can(abilityFromRules(SYSTEM_ROLES[r].rules), 'read', 'AuditEvent'));
    expect(readers).toEqual(['Owner', 'Auditor']);
  });
});
