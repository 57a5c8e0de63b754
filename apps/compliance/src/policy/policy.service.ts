// Policies: versioned markdown. A version is drafted, approved (by someone who did
// not write any of it when the org requires it), published (the previous published
// version is superseded) and acknowledged by members; acknowledgements belong to a
// version, so a new version needs new ones. Everyone who writes a version's text
// (its author, each editor) is recorded in policy_version_editors.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { Actor } from '@packets/context';
import { accessibleFilter, can } from '@packets/authz';
import { appError, badInput, ErrorCode, forbidden, notFound, validate } from '@packets/graphql';
import { PolicyAcknowledgementEntity, PolicyEntity, PolicyVersionEntity, versionSubject } from './policy.entity';
import {
  toAcknowledgement, toPolicy, toPolicyVersion, type Coverage, type Policy, type PolicyAcknowledgement, type PolicyVersion,
} from './policy.type';
import type { PolicyInput } from './policy.inputs';
import { settingsOf } from '../settings/settings.service';
import { organisationMembers } from '../shared/members';
import type { ComplianceContext } from '../compliance.context';

const TITLE_MAX = 200;
const BODY_MAX = 200_000;

const conflict = (message: string) => appError(ErrorCode.CONFLICT, message);

function cleanBody(body: string): string {
  return validate.text(body, 'body', { max: BODY_MAX });
}

async function loadPolicy(em: EntityManager, ctx: ComplianceContext, id: string, action: 'read' | 'update'): Promise<PolicyEntity> {
  const policy = validate.isUuid(id) ? await em.findOne(PolicyEntity, { id }) : null;
  if (!policy) throw notFound('Policy');
  if (!can(ctx.ability, action, 'Policy', { id: policy.id, title: policy.title, createdBy: policy.createdBy })) throw forbidden();
  return policy;
}

/**
 * `update` locks the row (FOR UPDATE) until the transaction ends: an edit and an
 * approval of the same version run one after the other, so an approval can never
 * land on text written by its approver.
 */
async function loadVersion(em: EntityManager, ctx: ComplianceContext, id: string, action: 'read' | 'update' | 'create'): Promise<PolicyVersionEntity> {
  const lock = action === 'update' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
  const version = validate.isUuid(id) ? await em.findOne(PolicyVersionEntity, { id }, lock) : null;
  if (!version) throw notFound('PolicyVersion');
  if (action !== 'create' && !can(ctx.ability, action, 'PolicyVersion', versionSubject(version))) throw forbidden();
  return version;
}

type EditorKey = { type: 'user' | 'apiKey'; id: string };

/** Who the actor counts as when writing text: the person, else the API key. */
function editorOf(actor: Actor): EditorKey | null {
  if (actor.userId) return { type: 'user', id: actor.userId };
  if (actor.apiKeyId) return { type: 'apiKey', id: actor.apiKeyId };
  return null;
}

/**
 * Records that the actor wrote (part of) the version's text; once per actor. Text an
 * API key writes is also its creator's: they may not approve what their key wrote.
 */
async function recordEditor(em: EntityManager, ctx: ComplianceContext, versionId: string, now: Date): Promise<void> {
  const editor = editorOf(ctx.actor);
  if (!editor) return;
  const editors: EditorKey[] = [editor];
  if (editor.type === 'apiKey' && ctx.actor.keyOwnerId) editors.push({ type: 'user', id: ctx.actor.keyOwnerId });
  for (const e of editors) {
    await em.execute(
      `insert into compliance.policy_version_editors (org_id, policy_version_id, actor_type, actor_id, first_edited_at)
       values (?, ?, ?, ?, ?) on conflict do nothing`,
      [ctx.orgId, versionId, e.type, e.id, now],
    );
  }
}

/** Whether the actor wrote any of the version's text (as its author or an editor). */
async function hasEdited(em: EntityManager, ctx: ComplianceContext, version: PolicyVersionEntity): Promise<boolean> {
  const editor = editorOf(ctx.actor);
  if (!editor) return false;
  if (editor.type === 'user' && version.authorId === editor.id) return true;
  const rows = await em.execute<unknown[]>(
    'select 1 from compliance.policy_version_editors where policy_version_id = ? and actor_type = ? and actor_id = ?',
    [version.id, editor.type, editor.id],
  );
  return rows.length > 0;
}

export async function listPolicies(ctx: ComplianceContext): Promise<Policy[]> {
  ctx.authorize('read', 'Policy');
  const allowed = accessibleFilter(ctx.ability, 'read', 'Policy');
  if (!allowed) return [];
  const rows = await ctx.tx((em) => em.find(PolicyEntity, allowed as FilterQuery<PolicyEntity>, { orderBy: { title: 'asc', id: 'asc' } }));
  return rows.map(toPolicy);
}

export async function createPolicy(ctx: ComplianceContext, input: PolicyInput): Promise<Policy> {
  const title = validate.text(input.title, 'title', { max: TITLE_MAX });
  const body = cleanBody(input.body);
  ctx.authorize('create', 'Policy', { title, createdBy: ctx.actor.userId });
  ctx.authorize('create', 'PolicyVersion', { version: 1, status: 'DRAFT', authorId: ctx.actor.userId });
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const policy = em.create(PolicyEntity, { id: randomUUID(), orgId: ctx.orgId, title, createdBy: ctx.actor.userId, createdAt: now, updatedAt: now });
    await em.flush(); // the version row references the policy row (no ORM relation to order the inserts)
    const version = em.create(PolicyVersionEntity, {
      id: randomUUID(), orgId: ctx.orgId, policyId: policy.id, version: 1, body, status: 'DRAFT', authorId: ctx.actor.userId, createdAt: now,
    });
    await em.flush();
    await recordEditor(em, ctx, version.id, now);
    return {
      result: toPolicy(policy),
      audit: { action: 'policy.create', subjectType: 'Policy', subjectId: policy.id, data: { title, versionId: version.id, version: 1 } },
    };
  });
}

/** A new draft version (the next number) of a policy that has none being worked on. */
export async function draftPolicyVersion(ctx: ComplianceContext, policyId: string, body: string): Promise<PolicyVersion> {
  ctx.authorize('create', 'PolicyVersion');
  const text = cleanBody(body);
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const policy = await loadPolicy(em, ctx, policyId, 'read');
    const versions = await em.find(PolicyVersionEntity, { policyId: policy.id }, { orderBy: { version: 'desc' } });
    if (versions.some((v) => v.status === 'DRAFT' || v.status === 'APPROVED')) {
      throw conflict('this policy already has a version being worked on: edit it with updatePolicyDraft or publish it');
    }
    const number = (versions[0]?.version ?? 0) + 1;
    const data = { version: number, status: 'DRAFT' as const, authorId: ctx.actor.userId };
    if (!can(ctx.ability, 'create', 'PolicyVersion', { policyId: policy.id, ...data })) throw forbidden();
    const version = em.create(PolicyVersionEntity, { id: randomUUID(), orgId: ctx.orgId, policyId: policy.id, body: text, createdAt: now, ...data });
    policy.updatedAt = now;
    await em.flush();
    await recordEditor(em, ctx, version.id, now);
    return {
      result: toPolicyVersion(version),
      audit: { action: 'policy.draft', subjectType: 'PolicyVersion', subjectId: version.id, data: { policyId: policy.id, version: number } },
    };
  });
}

/** Edits an unpublished version; an approved one goes back to DRAFT (its approval no longer holds). */
export async function updatePolicyDraft(ctx: ComplianceContext, versionId: string, body: string): Promise<PolicyVersion> {
  ctx.authorize('update', 'PolicyVersion');
  const text = cleanBody(body);
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const version = await loadVersion(em, ctx, versionId, 'update');
    if (version.status !== 'DRAFT' && version.status !== 'APPROVED') throw conflict(`version ${version.version} is ${version.status} and can no longer change`);
    const wasApproved = version.status === 'APPROVED';
    Object.assign(version, { body: text, status: 'DRAFT', approvedBy: null, approvedAt: null });
    await recordEditor(em, ctx, version.id, now);
    return {
      result: toPolicyVersion(version),
      audit: { action: 'policy.edit', subjectType: 'PolicyVersion', subjectId: version.id, data: { policyId: version.policyId, version: version.version, approvalCleared: wasApproved } },
    };
  });
}

export async function approvePolicy(ctx: ComplianceContext, versionId: string): Promise<PolicyVersion> {
  ctx.authorize('update', 'PolicyVersion');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const version = await loadVersion(em, ctx, versionId, 'update');
    if (version.status !== 'DRAFT') throw conflict(`only a DRAFT can be approved; version ${version.version} is ${version.status}`);
    const settings = await settingsOf(em, ctx.orgId);
    if (settings.requirePolicyApprovalByOther && (!ctx.actor.userId || await hasEdited(em, ctx, version))) {
      throw appError(ErrorCode.FORBIDDEN, 'This organisation requires a policy version to be approved by someone who did not write or edit it');
    }
    Object.assign(version, { status: 'APPROVED', approvedBy: ctx.actor.userId, approvedAt: now });
    return {
      result: toPolicyVersion(version),
      audit: { action: 'policy.approve', subjectType: 'PolicyVersion', subjectId: version.id, data: { policyId: version.policyId, version: version.version, authorId: version.authorId } },
    };
  });
}

/** Publishes the policy's version being worked on; the one published before is superseded. */
export async function publishPolicy(ctx: ComplianceContext, policyId: string): Promise<PolicyVersion> {
  ctx.authorize('update', 'Policy');
  ctx.authorize('update', 'PolicyVersion');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const policy = await loadPolicy(em, ctx, policyId, 'update');
    // locked: an edit that sends the version back to DRAFT cannot slip in between the check and the publish
    const versions = await em.find(PolicyVersionEntity, { policyId: policy.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const open = versions.find((v) => v.status === 'DRAFT' || v.status === 'APPROVED');
    if (!open) throw conflict('this policy has no version to publish: draft one first');
    if (!can(ctx.ability, 'update', 'PolicyVersion', versionSubject(open))) throw forbidden();
    const settings = await settingsOf(em, ctx.orgId);
    if (settings.requirePolicyApprovalByOther && open.status !== 'APPROVED') {
      throw conflict('this organisation requires approval by someone other than the author before publishing');
    }
    const previous = versions.find((v) => v.status === 'PUBLISHED');
    if (previous) {
      previous.status = 'SUPERSEDED';
      await em.flush(); // one PUBLISHED version per policy (unique index): supersede first
    }
    Object.assign(open, { status: 'PUBLISHED', publishedBy: ctx.actor.userId, publishedAt: now });
    policy.updatedAt = now;
    return {
      result: toPolicyVersion(open),
      audit: {
        action: 'policy.publish', subjectType: 'PolicyVersion', subjectId: open.id,
        data: { policyId: policy.id, version: open.version, superseded: previous?.version ?? null, approvedBy: open.approvedBy },
      },
    };
  });
}

/** PolicyVersion.myAcknowledgement: the caller's own, when they may read acknowledgements (else null). */
export async function myAcknowledgement(ctx: ComplianceContext, versionId: string): Promise<PolicyAcknowledgement | null> {
  if (!can(ctx.ability, 'read', 'PolicyAcknowledgement')) return null;
  return ctx.loaders.myAcknowledgementByVersion.load(versionId);
}

/** The caller acknowledges a published version (once; acknowledging again returns the first acknowledgement). */
export async function acknowledgePolicy(ctx: ComplianceContext, versionId: string): Promise<PolicyAcknowledgement> {
  ctx.authorize('create', 'PolicyAcknowledgement');
  const userId = ctx.actor.userId;
  if (!userId) throw badInput('only a person can acknowledge a policy', 'versionId');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const version = await loadVersion(em, ctx, versionId, 'create');
    if (!can(ctx.ability, 'read', 'PolicyVersion', versionSubject(version))) throw notFound('PolicyVersion');
    if (!can(ctx.ability, 'create', 'PolicyAcknowledgement', { policyVersionId: version.id, userId })) throw forbidden();
    if (version.status !== 'PUBLISHED') throw conflict(`only the published version can be acknowledged; version ${version.version} is ${version.status}`);
    await em.execute(
      `insert into compliance.policy_acknowledgements (id, org_id, policy_version_id, user_id, acknowledged_at)
       values (?, ?, ?, ?, ?) on conflict (policy_version_id, user_id) do nothing`,
      [randomUUID(), ctx.orgId, version.id, userId, now],
    );
    const ack = await em.findOneOrFail(PolicyAcknowledgementEntity, { policyVersionId: version.id, userId });
    return {
      result: toAcknowledgement(ack),
      audit: { action: 'policy.acknowledge', subjectType: 'PolicyVersion', subjectId: version.id, data: { policyId: version.policyId, version: version.version } },
    };
  });
}

/**
 * Who has and has not acknowledged the policy's published version. Needs read
 * access to every acknowledgement (a role limited to its own cannot see coverage).
 */
export async function policyCoverage(ctx: ComplianceContext, policyId: string): Promise<Coverage> {
  ctx.authorize('read', 'Policy');
  ctx.authorize('read', 'PolicyAcknowledgement');
  const all = accessibleFilter(ctx.ability, 'read', 'PolicyAcknowledgement');
  if (!all || Object.keys(all).length > 0) throw forbidden();
  const { version, acks } = await ctx.tx(async (em) => {
    const policy = await loadPolicy(em, ctx, policyId, 'read');
    const published = await em.findOne(PolicyVersionEntity, { policyId: policy.id, status: 'PUBLISHED' });
    return {
      version: published,
      acks: published ? await em.find(PolicyAcknowledgementEntity, { policyVersionId: published.id }, { orderBy: { acknowledgedAt: 'asc', userId: 'asc' } }) : [],
    };
  });
  const members = await organisationMembers(ctx);
  const memberSet = new Set(members);
  const covered = acks.filter((a) => memberSet.has(a.userId));
  const coveredIds = new Set(covered.map((a) => a.userId));
  const uncovered = members.filter((id) => !coveredIds.has(id));
  return {
    total: members.length,
    coveredCount: covered.length,
    ratio: members.length === 0 ? 0 : covered.length / members.length,
    covered: covered.map((a) => ({ user: { id: a.userId }, at: a.acknowledgedAt })),
    uncovered: uncovered.map((id) => ({ id })),
    policyVersion: version ? toPolicyVersion(version) : null,
  };
}
