// The five system roles every organisation starts with. A change here changes who
// can do what in every org: the snapshot test in system-roles.spec.ts makes that
// diff visible in review.
import type { RawRule } from './ability';

export const SYSTEM_ROLE_NAMES = ['Owner', 'Admin', 'Member', 'Auditor', 'Viewer'] as const;
export type SystemRoleName = (typeof SYSTEM_ROLE_NAMES)[number];

export const SYSTEM_ROLES: Record<SystemRoleName, { description: string; rules: RawRule[] }> = {
  Owner: {
    description: 'Everything in the organisation, including roles, security settings and reading the audit log.',
    rules: [
      { action: 'manage', subject: 'all' },
      // the log is immutable through the graph, for everyone
      { action: ['create', 'update', 'delete'], subject: 'AuditEvent', inverted: true },
    ],
  },
  Admin: {
    description: 'Runs the programme and manages members and roles; does not read the audit log.',
    rules: [
      { action: 'manage', subject: 'all' },
      { action: 'manage', subject: 'AuditEvent', inverted: true },
    ],
  },
  Member: {
    description: 'Works on the programme: reads it, creates controls, updates the controls they own, adds evidence to them and acknowledges policies.',
    rules: [
      { action: 'read', subject: ['Organization', 'User', 'Membership', 'Role', 'Control', 'AiSettings'] },
      { action: 'create', subject: 'Control' },
      { action: 'update', subject: 'Control', conditions: { ownerId: '${user.id}' } },
      { action: 'read', subject: ['Framework', 'Requirement', 'Programme', 'Evidence', 'Policy', 'PolicyVersion', 'ComplianceSettings'] },
      { action: 'create', subject: 'Evidence', conditions: { controlOwnerId: '${user.id}' } },
      { action: ['create', 'read'], subject: 'PolicyAcknowledgement', conditions: { userId: '${user.id}' } },
    ],
  },
  Auditor: {
    description: 'Reads everything, including the audit log; changes nothing.',
    rules: [{ action: 'read', subject: 'all' }],
  },
  Viewer: {
    description: 'Reads the programme; no audit log, no changes.',
    rules: [
      { action: 'read', subject: ['Organization', 'User', 'Control', 'AiSettings'] },
      { action: 'read', subject: ['Framework', 'Requirement', 'Programme', 'Policy', 'PolicyVersion'] },
    ],
  },
};
