// What evidence files may be, checked against their bytes while they stream in:
// a small signature table (PDF, PNG, JPEG, OOXML zip) plus "valid UTF-8 without NUL"
// for text and CSV. The declared content type and the file name's extension must
// agree with what the bytes are. Also counts the size and hashes the plaintext.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';

export interface FileType {
  contentType: string;
  extensions: readonly string[];
  /** leading bytes every such file starts with; null for text */
  magic: Buffer | null;
  /** for zip-based formats: a path every such file contains (docx: word/, xlsx: xl/) */
  zipEntry?: Buffer;
}

const ZIP = Buffer.from('504b0304', 'hex');

export const FILE_TYPES: readonly FileType[] = [
  { contentType: 'application/pdf', extensions: ['.pdf'], magic: Buffer.from('%PDF-') },
  { contentType: 'image/png', extensions: ['.png'], magic: Buffer.from('89504e470d0a1a0a', 'hex') },
  { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], magic: Buffer.from('ffd8ff', 'hex') },
  { contentType: 'text/plain', extensions: ['.txt', '.md', '.log'], magic: null },
  { contentType: 'text/csv', extensions: ['.csv'], magic: null },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['.docx'], magic: ZIP, zipEntry: Buffer.from('word/'),
  },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['.xlsx'], magic: ZIP, zipEntry: Buffer.from('xl/'),
  },
];

/** Why an upload was refused: the HTTP status and a message for the client. */
export class UploadRefused extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message);
  }
}

/** The allowed type a declared Content-Type names (parameters such as charset ignored), or null. */
export function fileTypeOf(contentTypeHeader: string | undefined): FileType | null {
  const declared = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
  return FILE_TYPES.find((t) => t.contentType === declared) ?? null;
}

export function extensionMatches(type: FileType, fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return type.extensions.some((ext) => lower.endsWith(ext));
}

// known binary signatures, so that a PNG sent as text/plain is named for what it is
const BINARY: readonly [Buffer, string][] = [
  [Buffer.from('%PDF-'), 'a PDF'], [Buffer.from('89504e47', 'hex'), 'a PNG'], [Buffer.from('ffd8ff', 'hex'), 'a JPEG'],
  [ZIP, 'a zip archive'], [Buffer.from('7f454c46', 'hex'), 'an executable'], [Buffer.from('4d5a', 'hex'), 'an executable'],
];

const SNIFF_BYTES = 512;

/**
 * Passes the plaintext through unchanged once its first bytes match the declared
 * type; errors with UploadRefused on a mismatch, on more than `maxBytes`, and on
 * an empty body. `sha256` and `size` are final after 'end'.
 */
export class UploadInspector extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headBytes = 0;
  private checked = false;
  private readonly text: TextDecoder | null;
  private zipSeen = false;
  private tail = Buffer.alloc(0);

  constructor(private readonly type: FileType, private readonly maxBytes: number) {
    super();
    this.text = type.magic === null ? new TextDecoder('utf-8', { fatal: true }) : null;
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  private checkHead(head: Buffer): UploadRefused | null {
    const { magic } = this.type;
    if (magic) {
      if (head.length < magic.length || !head.subarray(0, magic.length).equals(magic)) {
        return new UploadRefused(415, `the file is not ${this.type.contentType}: its content does not match the declared type`);
      }
      return null;
    }
    const binary = BINARY.find(([sig]) => head.subarray(0, sig.length).equals(sig));
    if (binary) return new UploadRefused(415, `the file is ${binary[1]}, not ${this.type.contentType}`);
    return null;
  }

  private inspect(chunk: Buffer): UploadRefused | null {
    if (this.text) {
      if (chunk.includes(0)) return new UploadRefused(415, `the file is not ${this.type.contentType}: it contains binary data`);
      try {
        this.text.decode(chunk, { stream: true });
      } catch {
        return new UploadRefused(415, `the file is not ${this.type.contentType}: it is not valid UTF-8 text`);
      }
    }
    const entry = this.type.zipEntry;
    if (entry && !this.zipSeen) {
      const window = Buffer.concat([this.tail, chunk]);
      if (window.includes(entry)) this.zipSeen = true;
      this.tail = window.subarray(Math.max(0, window.length - entry.length + 1));
    }
    return null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new UploadRefused(413, `the file is larger than ${this.maxBytes} bytes`));
    const refused = this.inspect(chunk);
    // a known binary signature says more than "not UTF-8"
    if (refused) return done((!this.checked && this.checkHead(Buffer.concat([...this.head, chunk]))) || refused);
    this.hash.update(chunk);
    if (this.checked) return done(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return done();
    return this.release(done);
  }

  private release(done: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const refused = this.checkHead(head);
    if (refused) return done(refused);
    this.checked = true;
    done(null, head);
  }

  override _flush(done: TransformCallback): void {
    if (this.size === 0) return done(new UploadRefused(400, 'the file is empty'));
    if (this.text) {
      try {
        this.text.decode();
      } catch {
        return done(new UploadRefused(415, `the file is not ${this.type.contentType}: it is not valid UTF-8 text`));
      }
    }
    if (this.type.zipEntry && !this.zipSeen) {
      return done(new UploadRefused(415, `the file is not ${this.type.contentType}: the archive has no ${this.type.zipEntry.toString()} part`));
    }
    if (this.checked) return done();
    this.release(done);
  }
}
