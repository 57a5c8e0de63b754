// Shared set-up for the compliance end-to-end tests: the whole graph with evidence
// stored in a temporary folder, members with chosen roles, raw HTTP uploads.
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import type { GqlResponse } from '@packets/testing';
import { startStack, type Stack } from '@packets/tool-dev';
import { addMember, inject, withMailbox } from './harness';

export const NIST_FILE = join(__dirname, '../../../libs/catalogs/fixtures/oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json');

/** small enough to test the limit with a few hundred kilobytes */
export const TEST_EVIDENCE_MAX_BYTES = 300_000;

export async function startComplianceStack(now?: () => Date, env: Record<string, string> = {}): Promise<{ stack: Stack; storageDir: string }> {
  const storageDir = mkdtempSync(join(tmpdir(), 'packets-evidence-'));
  const stack = await startStack({
    adminUrl: inject('adminUrl'), secrets: inject('secrets'), nodeEnv: 'production', relayIntervalMs: 100, now,
    env: await withMailbox({ EVIDENCE_STORAGE_DIR: storageDir, EVIDENCE_MAX_BYTES: String(TEST_EVIDENCE_MAX_BYTES), ...env }),
  });
  return { stack, storageDir };
}

/** The data of a response that must have succeeded. */
export function ok<T>(res: GqlResponse<T>): T {
  expect(res.errors, res.raw).toBeUndefined();
  return res.data!;
}

/** Files (and partial files) stored for an organisation. */
export function storedFiles(storageDir: string, orgId: string): string[] {
  const dir = join(storageDir, orgId);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * A member with a system role by name, or a custom role made of `rules`, signed in:
 * through createRole, inviteMember and acceptInvitation (harness addMember).
 */
export async function addMemberWithRole(
  gatewayUrl: string, org: { token: string }, role: string | unknown[], name = 'Member',
): Promise<{ userId: string; token: string; email: string }> {
  const m = await addMember(gatewayUrl, org, typeof role === 'string' ? role : { rules: role }, { name });
  return { userId: m.userId, token: m.token, email: m.email };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** the connection failed or the answer was cut short */
  error: Error | null;
}

/**
 * A raw HTTP request with node:http (so that the answer to an upload refused
 * half-way is still read, and so that a client can go away mid-upload).
 * `stopAfter`: send that many bytes of `body`, then destroy the connection.
 */
export function rawRequest(
  url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer; chunk?: number; stopAfter?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (status: number, headers: RawResponse['headers'], error: Error | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, headers, body: Buffer.concat(chunks), error });
    };
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(res.statusCode ?? 0, res.headers, res.complete ? null : new Error('answer cut short')));
      res.on('error', (err) => done(res.statusCode ?? 0, res.headers, err));
      res.on('close', () => done(res.statusCode ?? 0, res.headers, res.complete ? null : new Error('answer cut short')));
    });
    req.on('error', (err) => done(0, {}, err));
    const body = opts.body;
    if (!body) {
      req.end();
      return;
    }
    const size = opts.chunk ?? 16 * 1024;
    let offset = 0;
    const limit = opts.stopAfter ?? body.length;
    const pump = () => {
      while (offset < limit) {
        const next = body.subarray(offset, Math.min(offset + size, limit));
        offset += next.length;
        if (!req.write(next)) {
          req.once('drain', pump);
          return;
        }
      }
      if (opts.stopAfter !== undefined) {
        // give the bytes written a moment to leave, then vanish mid-upload
        setImmediate(() => req.destroy());
        done(0, {}, new Error('client went away'));
      } else {
        req.end();
      }
    };
    pump();
  });
}

export interface UploadParams {
  controlId: string;
  fileName: string;
  title?: string;
  collectedAt?: string;
  expiresAt?: string;
}

export function uploadUrl(gatewayUrl: string, p: UploadParams): string {
  const q = new URLSearchParams(Object.entries(p).filter(([, v]) => v !== undefined) as [string, string][]);
  return `${gatewayUrl}/evidence/upload?${q.toString()}`;
}

export async function upload(
  gatewayUrl: string, token: string, p: UploadParams, contentType: string, body: Buffer, extra: { chunked?: boolean; stopAfter?: number } = {},
): Promise<RawResponse & { json: Record<string, unknown> | null }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': contentType };
  if (!extra.chunked) headers['content-length'] = String(body.length);
  const res = await rawRequest(uploadUrl(gatewayUrl, p), { method: 'POST', headers, body, stopAfter: extra.stopAfter });
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { ...res, json };
}

/** A minimal valid-looking PDF (the signature is what is checked). */
export function pdfBytes(text = 'evidence'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n${'x'.repeat(2000)}\n%%EOF\n`);
}

export const PNG_HEADER = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
