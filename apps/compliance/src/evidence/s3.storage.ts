// Evidence files in S3-compatible storage (AWS S3, MinIO, Ceph...). Streams in parts:
// at most one part (8 MiB by default) is held in memory; a file that fits in one
// part is a single PutObject, larger ones a multipart upload that is aborted if the
// stream fails, so a failed upload leaves no object behind.
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, PutObjectCommand, S3Client, UploadPartCommand, type CompletedPart,
} from '@aws-sdk/client-s3';
import type { EvidenceS3Config } from '@packets/config';
import type { EvidenceStorage } from './evidence.storage';

const MIN_PART = 5 * 1024 * 1024; // S3's smallest part (except the last)

export class S3EvidenceStorage implements EvidenceStorage {
  constructor(private readonly client: S3Client, private readonly bucket: string, private readonly partBytes = 8 * 1024 * 1024) {
    if (partBytes < MIN_PART) throw new Error(`S3 parts must be at least ${MIN_PART} bytes`);
  }

  static fromConfig(config: EvidenceS3Config): S3EvidenceStorage {
    const client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      ...(config.credentials ? { credentials: config.credentials } : {}),
      // plain requests that every S3-compatible store understands
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3EvidenceStorage(client, config.bucket);
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = { Bucket: this.bucket, Key: key };
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];
    const flushPart = async (): Promise<void> => {
      uploadId ??= (await this.client.send(new CreateMultipartUploadCommand(target))).UploadId;
      if (!uploadId) throw new Error('S3 did not start a multipart upload');
      const PartNumber = parts.length + 1;
      const data = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      const { ETag } = await this.client.send(new UploadPartCommand({ ...target, UploadId: uploadId, PartNumber, Body: data, ContentLength: data.length }));
      parts.push({ ETag, PartNumber });
    };
    try {
      for await (const chunk of body) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        pending.push(buf);
        pendingBytes += buf.length;
        if (pendingBytes >= this.partBytes) await flushPart();
      }
      if (!uploadId) {
        const data = Buffer.concat(pending);
        await this.client.send(new PutObjectCommand({ ...target, Body: data, ContentLength: data.length }));
        return;
      }
      if (pendingBytes > 0) await flushPart();
      await this.client.send(new CompleteMultipartUploadCommand({ ...target, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      body.destroy();
      if (uploadId) await this.client.send(new AbortMultipartUploadCommand({ ...target, UploadId: uploadId })).catch(() => undefined);
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!(Body instanceof Readable)) throw new Error('S3 answered without a body stream');
    return Body;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
