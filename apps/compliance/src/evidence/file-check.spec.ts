import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extensionMatches, fileTypeOf, UploadInspector, UploadRefused } from './file-check';

async function inspect(contentType: string, chunks: Buffer[], max = 10_000): Promise<{ out: Buffer; inspector: UploadInspector }> {
  const type = fileTypeOf(contentType);
  if (!type) throw new Error(`not allowed: ${contentType}`);
  const inspector = new UploadInspector(type, max);
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks).pipe(inspector).on('data', (c: Buffer) => out.push(c)).on('end', resolve).on('error', reject);
  });
  return { out: Buffer.concat(out), inspector };
}

async function refusal(contentType: string, chunks: Buffer[], max?: number): Promise<UploadRefused> {
  try {
    await inspect(contentType, chunks, max);
  } catch (err) {
    if (err instanceof UploadRefused) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20)]);
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100, 1)]);
const docx = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(40), Buffer.from('[Content_Types].xml'), Buffer.alloc(700), Buffer.from('word/document.xml')]);

describe('evidence file checks', () => {
  it('knows the allowed types by declared Content-Type and extension', () => {
    expect(fileTypeOf('application/pdf; name=x')?.contentType).toBe('application/pdf');
    expect(fileTypeOf('TEXT/CSV; charset=utf-8')?.contentType).toBe('text/csv');
    expect(fileTypeOf('application/x-msdownload')).toBeNull();
    expect(fileTypeOf(undefined)).toBeNull();
    expect(extensionMatches(fileTypeOf('image/jpeg')!, 'Photo.JPEG')).toBe(true);
    expect(extensionMatches(fileTypeOf('image/jpeg')!, 'photo.png')).toBe(false);
  });

  it('passes matching files through unchanged, hashed and counted, however they are chunked', async () => {
    for (const [type, bytes] of [['application/pdf', pdf], ['image/png', png], ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx]] as const) {
      const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 700), bytes.subarray(700)];
      const { out, inspector } = await inspect(type, chunks);
      expect(out.equals(bytes), type).toBe(true);
      expect(inspector.size).toBe(bytes.length);
      expect(inspector.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const text = Buffer.from('name,decision\nZoë,keep\n');
    // a multi-byte character split across chunks is still valid UTF-8
    const split = text.indexOf(Buffer.from('ë'));
    expect((await inspect('text/csv', [text.subarray(0, split + 1), text.subarray(split + 1)])).out.equals(text)).toBe(true);
  });

  it('refuses bytes that are not the declared type', async () => {
    expect((await refusal('application/pdf', [png])).status).toBe(415);
    expect((await refusal('image/jpeg', [pdf])).status).toBe(415);
    expect((await refusal('text/plain', [png])).message).toContain('a PNG');
    expect((await refusal('text/plain', [Buffer.from('hello\u0000world')])).message).toContain('binary');
    expect((await refusal('text/plain', [Buffer.from([0x68, 0xc3, 0x28])])).message).toContain('UTF-8');
    expect((await refusal('text/plain', [Buffer.from([0x68, 0x69, 0xc3])])).message).toContain('UTF-8'); // truncated at the end
    const zipOnly = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(800)]);
    expect((await refusal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', [zipOnly])).message).toContain('xl/');
  });

  it('refuses more than the limit, and nothing at all', async () => {
    expect((await refusal('application/pdf', [pdf, pdf], pdf.length + 10)).status).toBe(413);
    expect((await refusal('text/plain', [])).status).toBe(400);
  });
});
