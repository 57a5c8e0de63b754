// The compliance side of evidence files, reached only through the gateway (which
// signs the request context, as for /graphql):
//   POST /internal/evidence/upload?controlId=&title=&fileName=&collectedAt=&expiresAt=
//        body = the file, Content-Type = its type. Streamed: checked against the
//        declared type and the size limit, hashed, encrypted under the org's data key
//        and written to storage as it arrives; the row is written only once the file
//        is stored, and a refused or interrupted upload leaves neither row nor file.
//   GET  /internal/evidence/download?token=   streams the decrypted file; the SHA-256
//        and the GCM tag are checked before the last bytes leave, else the stream errors.
import { createPublicKey, randomUUID, createHash, type Decipher, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GraphQLError } from 'graphql';
import { forwardedRoutes, type Actor } from '@packets/context';
import { fileCipher, fileDecipher } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { buildEvent, writeAuditEvent } from '@packets/audit-log';
import { badInput, notFound, runtimeNow, sendJson, unauthenticated, validate, verifiedContext, type RequestContext } from '@packets/graphql';
import { EvidenceEntity } from './evidence.entity';
import { evidenceDates, recordFileEvidence, controlForNewEvidence } from './evidence.service';
import { extensionMatches, fileTypeOf, UploadInspector, UploadRefused } from './file-check';
import { storageKey } from './evidence.storage';
import { verifyDownloadToken } from './download-token';
import { internalContext, sendError } from '../shared/internal-context';
import type { ComplianceContext, ComplianceLoaders, ComplianceRuntime } from '../compliance.context';

export const UPLOAD_PATH = forwardedRoutes.evidenceUpload.target;
export const DOWNLOAD_PATH = forwardedRoutes.evidenceDownload.target;
const IV_BYTES = 12;

/** binds the ciphertext to its organisation and evidence row */
export function evidenceAad(orgId: string, evidenceId: string): string {
  return `evidence:${orgId}:${evidenceId}`;
}

function param(url: URL, name: string): string | null {
  const v = url.searchParams.get(name);
  return v === null || v === '' ? null : v;
}

function dateParam(url: URL, name: string): Date | null {
  const v = param(url, name);
  if (v === null) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badInput(`${name} is not a valid date`, name);
  return d;
}

/** Answers a refusal before the body has been read, and closes the connection (the rest of the body is not wanted). */
function refuse(req: IncomingMessage, res: ServerResponse, err: unknown, status?: number): void {
  res.setHeader('connection', 'close');
  sendError(res, err instanceof UploadRefused ? badInput(err.message, 'file') : err, err instanceof UploadRefused ? err.status : status);
  res.once('finish', () => req.destroy());
}

/** A refused or interrupted upload is recorded too (outcome failure), after its file is gone. */
async function recordFailure(ctx: ComplianceContext, controlId: string, err: unknown, interrupted: boolean): Promise<void> {
  // client-facing reasons only: an unexpected error's message stays out of the log
  const reason = interrupted ? 'upload interrupted' : err instanceof GraphQLError || err instanceof UploadRefused ? err.message : 'internal error';
  const code = err instanceof GraphQLError ? String(err.extensions.code) : err instanceof UploadRefused ? String(err.status) : 'INTERNAL';
  try {
    await ctx.mutate(() => ({
      result: null,
      audit: { action: 'evidence.upload', subjectType: 'Control', subjectId: validate.isUuid(controlId) ? controlId : undefined, outcome: 'failure', data: { reason, code } },
    }));
  } catch {
    // recording the failure must not hide it
  }
}

export function uploadRoute(runtime: ComplianceRuntime, loaders: (ctx: RequestContext<ComplianceLoaders>) => ComplianceLoaders) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let stored: string | null = null;
    let interrupted = false;
    let ctx: ComplianceContext | null = null;
    let controlId = '';
    try {
      const context = await internalContext(req, runtime, loaders);
      ctx = context;
      context.authorize('create', 'Evidence');
      const url = new URL(req.url ?? '/', 'http://local');
      controlId = param(url, 'controlId') ?? '';
      const fileName = validate.text(param(url, 'fileName'), 'fileName', { max: 200 });
      if (/[/\\\u0000-\u001f]/.test(fileName)) throw badInput('fileName must be a plain file name', 'fileName');
      const title = validate.text(param(url, 'title') ?? fileName, 'title', { max: 200 });
      const now = context.now();
      const dates = evidenceDates(dateParam(url, 'collectedAt'), dateParam(url, 'expiresAt'), now);
      const type = fileTypeOf(req.headers['content-type']);
      if (!type) throw new UploadRefused(415, `Content-Type must be one of the allowed evidence types (PDF, PNG, JPEG, text, CSV, DOCX, XLSX)`);
      if (!extensionMatches(type, fileName)) throw new UploadRefused(415, `fileName must end with ${type.extensions.join(' or ')} for ${type.contentType}`);
      const max = runtime.settings.evidenceMaxBytes;
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > max) throw new UploadRefused(413, `the file is larger than ${max} bytes`);

      // authorise against the control before reading a byte
      const dataKey = await context.tx(async (em) => {
        await controlForNewEvidence(em, context, controlId, { kind: 'FILE', title, ...dates });
        return runtime.keyring.dataKey(em, context.orgId);
      });
      const evidenceId = randomUUID();
      const key = storageKey(context.orgId, evidenceId);
      const { iv, cipher } = fileCipher(dataKey, evidenceAad(context.orgId, evidenceId));
      const inspector = new UploadInspector(type, max);
      const out = new PassThrough();
      out.write(iv);
      stored = key;
      // the request is piped, not put in the pipeline: a refusal must not destroy the
      // socket before the refusal is answered; a client that goes away ends the upload
      req.once('close', () => {
        if (req.complete) return;
        interrupted = true;
        inspector.destroy(new Error('upload interrupted'));
      });
      req.once('error', (err) => inspector.destroy(err));
      req.pipe(inspector);
      const results = await Promise.allSettled([pipeline(inspector, cipher, out), runtime.storage.put(key, out)]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;

      const evidence = await recordFileEvidence(context, controlId, { title, ...dates }, {
        evidenceId, storageKey: key, fileName, contentType: type.contentType, sizeBytes: inspector.size,
        sha256: inspector.sha256, authTag: cipher.getAuthTag().toString('base64'),
      });
      stored = null;
      sendJson(res, 201, { evidence });
    } catch (err) {
      if (stored) await runtime.storage.delete(stored).catch(() => undefined);
      if (ctx?.isAuthenticated) await recordFailure(ctx, controlId, err, interrupted);
      if (interrupted) {
        // interrupted: nobody is listening any more
        res.destroy();
        return;
      }
      refuse(req, res, err);
    }
  };
}

/**
 * Decrypts IV || ciphertext, hashes the plaintext, and holds the last chunk back
 * until the GCM tag and the SHA-256 both check out: a tampered or corrupted file
 * never reaches the client whole, the stream errors instead.
 */
class VerifyingDecipher extends Transform {
  private iv = Buffer.alloc(0);
  private decipher: Decipher | null = null;
  private readonly hash = createHash('sha256');
  private held: Buffer | null = null;

  constructor(private readonly open: (iv: Buffer) => Decipher, private readonly sha256: string) {
    super();
  }

  private emit_(plain: Buffer): void {
    if (plain.length === 0) return;
    this.hash.update(plain);
    if (this.held) this.push(this.held);
    this.held = plain;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      let data = chunk;
      if (!this.decipher) {
        const need = IV_BYTES - this.iv.length;
        this.iv = Buffer.concat([this.iv, data.subarray(0, need)]);
        data = data.subarray(need);
        if (this.iv.length < IV_BYTES) return done();
        this.decipher = this.open(this.iv);
      }
      this.emit_(this.decipher.update(data));
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (!this.decipher) throw new Error('stored evidence is truncated');
      this.emit_(this.decipher.final());
      if (this.hash.digest('hex') !== this.sha256) throw new Error('stored evidence does not match its SHA-256');
      if (this.held) this.push(this.held);
      done();
    } catch (err) {
      done(err instanceof Error && /authenticate/i.test(err.message) ? new Error('stored evidence failed authentication') : (err as Error));
    }
  }
}

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._ -]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function downloadRoute(runtime: ComplianceRuntime, servicePublicKey: KeyObject = createPublicKey(runtime.serviceKey)) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      // only the gateway may call this (signed context, anonymous: the link is the authorisation)
      const { meta } = await verifiedContext(req, runtime);
      const token = new URL(req.url ?? '/', 'http://local').searchParams.get('token') ?? '';
      const claims = await verifyDownloadToken(servicePublicKey, token, runtimeNow(runtime));
      if (!claims) throw unauthenticated('The download link is invalid or has expired', 401);
      const actor: Actor = {
        kind: claims.actorKind, orgId: claims.orgId, userId: claims.actorKind === 'user' ? claims.actorId : null,
        sessionId: null, apiKeyId: claims.actorKind === 'apiKey' ? claims.actorId : null, rules: [],
      };
      const found = await tenantTx(runtime.orm.em.fork(), claims.orgId, async (em) => {
        const evidence = await em.findOne(EvidenceEntity, { id: claims.evidenceId });
        if (!evidence?.storageKey || !evidence.authTag || !evidence.sha256) return null;
        await writeAuditEvent(em, runtime.name, buildEvent(runtime.name, actor, meta, {
          action: 'evidence.download', subjectType: 'Evidence', subjectId: evidence.id,
          data: { controlId: evidence.controlId, fileName: evidence.fileName, sha256: evidence.sha256 },
        }));
        return { evidence, key: await runtime.keyring.dataKey(em, claims.orgId) };
      });
      runtime.relay?.kick();
      if (!found) return sendError(res, notFound('Evidence'));
      const { evidence, key } = found;
      const source = await runtime.storage.get(evidence.storageKey!);
      const tag = Buffer.from(evidence.authTag!, 'base64');
      const verify = new VerifyingDecipher((iv) => fileDecipher(key, iv, tag, evidenceAad(claims.orgId, evidence.id)), evidence.sha256!);
      res.writeHead(200, {
        'content-type': evidence.contentType ?? 'application/octet-stream',
        'content-length': String(evidence.sizeBytes),
        'content-disposition': contentDisposition(evidence.fileName ?? 'evidence'),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-evidence-sha256': evidence.sha256!,
      });
      res.flushHeaders(); // the answer has started: a failed check shows as a broken stream, whatever the size
      await pipeline(source, verify, res);
    } catch (err) {
      if (res.headersSent) {
        console.warn(`evidence download aborted: ${err instanceof Error ? err.message : String(err)}`);
        res.destroy();
        return;
      }
      sendError(res, err);
    }
  };
}
