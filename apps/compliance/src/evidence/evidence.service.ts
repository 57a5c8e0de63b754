// Evidence: links and texts through GraphQL, files through the upload route
// (evidence.routes.ts). Creating evidence is checked against the control's
// owner (controlOwnerId) so a role can grant "evidence for controls I own".
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { can } from '@packets/authz';
import { appError, badInput, ErrorCode, forbidden, notFound, validate } from '@packets/graphql';
import { ControlEntity } from '../control/control.entity';
import { EvidenceEntity, evidenceSubject, type EvidenceKind } from './evidence.entity';
import { toEvidence, type Evidence, type EvidenceDownload } from './evidence.type';
import type { EvidenceInput } from './evidence.inputs';
import { evidenceLinkPath, signDownloadToken } from './download-token';
import type { ComplianceContext } from '../compliance.context';

const TITLE_MAX = 200;
const TEXT_MAX = 20_000;
const URL_MAX = 2_000;
/** on the gateway; links are relative to the gateway's URL (like audit export links) */
export const EVIDENCE_DOWNLOAD_PATH = evidenceLinkPath;

export function evidenceDates(collectedAt: Date | null | undefined, expiresAt: Date | null | undefined, now: Date): { collectedAt: Date; expiresAt: Date | null } {
  const collected = collectedAt ?? now;
  if (Number.isNaN(collected.getTime())) throw badInput('collectedAt is not a valid date', 'collectedAt');
  if (expiresAt && Number.isNaN(expiresAt.getTime())) throw badInput('expiresAt is not a valid date', 'expiresAt');
  if (expiresAt && expiresAt.getTime() <= collected.getTime()) throw badInput('expiresAt must be after collectedAt', 'expiresAt');
  return { collectedAt: collected, expiresAt: expiresAt ?? null };
}

function cleanUrl(value: string | null | undefined): string {
  const text = validate.text(value, 'url', { max: URL_MAX });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput('url is not a valid URL', 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url must be an http(s) URL', 'url');
  return url.toString();
}

/**
 * Loads the control evidence is being added to and checks the caller may add
 * evidence of this kind to it. Another org's control answers NOT_FOUND.
 */
export async function controlForNewEvidence(
  em: EntityManager, ctx: ComplianceContext, controlId: string, evidence: { kind: EvidenceKind; title: string; collectedAt: Date; expiresAt: Date | null },
): Promise<{ control: ControlEntity; subject: ReturnType<typeof evidenceSubject> }> {
  const control = validate.isUuid(controlId) ? await em.findOne(ControlEntity, { id: controlId }) : null;
  if (!control) throw notFound('Control');
  const subject = evidenceSubject({
    id: '', controlId: control.id, controlOwnerId: control.ownerId, createdBy: ctx.actor.userId, ...evidence,
  });
  if (!can(ctx.ability, 'create', 'Evidence', subject)) throw forbidden();
  return { control, subject };
}

export async function addEvidence(ctx: ComplianceContext, input: EvidenceInput): Promise<Evidence> {
  ctx.authorize('create', 'Evidence');
  const kind = validate.oneOf(input.kind, 'kind', ['LINK', 'TEXT', 'FILE'] as const);
  if (kind === 'FILE') throw badInput('files are uploaded with POST /evidence/upload on the gateway', 'kind');
  const now = ctx.now();
  const title = validate.text(input.title, 'title', { max: TITLE_MAX });
  const dates = evidenceDates(input.collectedAt, input.expiresAt, now);
  const url = kind === 'LINK' ? cleanUrl(input.url) : null;
  const text = kind === 'TEXT' ? validate.text(input.text, 'text', { max: TEXT_MAX }) : null;
  if (kind === 'LINK' && input.text) throw badInput('a LINK has no text', 'text');
  if (kind === 'TEXT' && input.url) throw badInput('a TEXT has no url', 'url');
  return ctx.mutate(async (em) => {
    const { control } = await controlForNewEvidence(em, ctx, input.controlId, { kind, title, ...dates });
    const evidence = em.create(EvidenceEntity, {
      id: randomUUID(), orgId: ctx.orgId, controlId: control.id, controlOwnerId: control.ownerId, kind, title, url,
      textContent: text, collectedAt: dates.collectedAt, expiresAt: dates.expiresAt, createdBy: ctx.actor.userId, createdAt: now,
    });
    return {
      result: toEvidence(evidence, now),
      audit: {
        action: 'evidence.add', subjectType: 'Evidence', subjectId: evidence.id,
        data: { controlId: control.id, kind, title, url, collectedAt: dates.collectedAt, expiresAt: dates.expiresAt },
      },
    };
  });
}

export interface StoredFile {
  evidenceId: string;
  storageKey: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  authTag: string;
}

/** Records an uploaded (already stored) file as evidence, with its audit event, in one transaction. */
export async function recordFileEvidence(
  ctx: ComplianceContext, controlId: string, meta: { title: string; collectedAt: Date; expiresAt: Date | null }, file: StoredFile,
): Promise<Evidence> {
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    // checked again in the writing transaction: the control may have changed owner meanwhile
    const { control } = await controlForNewEvidence(em, ctx, controlId, { kind: 'FILE', ...meta });
    const evidence = em.create(EvidenceEntity, {
      id: file.evidenceId, orgId: ctx.orgId, controlId: control.id, controlOwnerId: control.ownerId, kind: 'FILE',
      title: meta.title, fileName: file.fileName, contentType: file.contentType, sizeBytes: file.sizeBytes, sha256: file.sha256,
      storageKey: file.storageKey, authTag: file.authTag, collectedAt: meta.collectedAt, expiresAt: meta.expiresAt,
      createdBy: ctx.actor.userId, createdAt: now,
    });
    return {
      result: toEvidence(evidence, now),
      audit: {
        action: 'evidence.upload', subjectType: 'Evidence', subjectId: evidence.id,
        data: {
          controlId: control.id, title: meta.title, fileName: file.fileName, contentType: file.contentType,
          sizeBytes: file.sizeBytes, sha256: file.sha256, collectedAt: meta.collectedAt, expiresAt: meta.expiresAt,
        },
      },
    };
  });
}

/** A short-lived link to one file, for a caller who may read that evidence. */
export async function evidenceDownloadUrl(ctx: ComplianceContext, id: string): Promise<EvidenceDownload> {
  ctx.authorize('read', 'Evidence');
  const evidence = validate.isUuid(id) ? await ctx.tx((em) => em.findOne(EvidenceEntity, { id })) : null;
  if (!evidence) throw notFound('Evidence');
  if (!can(ctx.ability, 'read', 'Evidence', evidenceSubject(evidence))) throw forbidden();
  // the file is the evidence's content (like url and text, no rule can list it): a role whose rules
  // reach only some fields of this evidence reads its title, not the file
  if (!can(ctx.ability, 'read', 'Evidence', evidenceSubject(evidence), 'file')) {
    throw ctx.denied(appError(ErrorCode.FORBIDDEN, 'You are not allowed to read file of Evidence', { field: 'file', subject: 'Evidence' }),
      'read', 'Evidence', evidenceSubject(evidence));
  }
  if (evidence.kind !== 'FILE') throw badInput('only FILE evidence has a download link', 'id');
  const actorKind = ctx.actor.kind === 'apiKey' ? 'apiKey' : 'user';
  const actorId = (actorKind === 'apiKey' ? ctx.actor.apiKeyId : ctx.actor.userId) ?? '';
  const { token, expiresAt } = await signDownloadToken(
    ctx.runtime.serviceKey, { evidenceId: evidence.id, orgId: ctx.orgId, actorKind, actorId }, ctx.now(), ctx.runtime.settings.evidenceLinkTtlSeconds,
  );
  return { url: `${EVIDENCE_DOWNLOAD_PATH}?token=${encodeURIComponent(token)}`, expiresAt };
}
