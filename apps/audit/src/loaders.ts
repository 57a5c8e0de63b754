// The audit subgraph's per-request DataLoaders. None today: no audit field loads a
// stored relation (AuditEvent.actor and AuditAlert.actor are User references that
// identity resolves through its userById loader; alerts name events by id). A
// relation added here gets its feature's x.loaders.ts, assembled below.
export type AuditLoaders = Record<string, never>;

export function auditLoaders(): AuditLoaders {
  return {};
}
