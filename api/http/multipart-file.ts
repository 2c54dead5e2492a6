import { AppError } from '../errors';

/** The file of a multipart/form-data upload: its name, and its bytes as they arrive (read once). */
export interface MultipartFile {
  fileName?: string;
  content: AsyncIterable<Uint8Array>;
}

/** Part headers longer than this are not a browser's or curl's. */
const MAX_PART_HEADERS = 16 * 1024;

/**
 * The file part of a multipart/form-data body (RFC 7578), read as the body
 * arrives rather than after it: the tab's Import sends its file this way. The
 * file is the first part with a file name (the field `file` of the tab and of
 * `curl -F file=@numbers.csv`); fields before it are skipped, and what
 * follows it is left unread. Answers once the file's part headers are read.
 */
export async function openMultipartFile(body: AsyncIterable<Uint8Array>, contentType: string): Promise<MultipartFile> {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!boundary) throw unreadable();
  const scanner = new BodyScanner(body[Symbol.asyncIterator]());
  // Every delimiter but the first follows a line break: one in front makes them all alike.
  scanner.prepend(Buffer.from('\r\n'));
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  if (!(await scanner.skipPast(delimiter))) throw unreadable();
  for (;;) {
    if (await scanner.startsWith(Buffer.from('--'))) throw noFile();
    const headers = await scanner.readUntil(Buffer.from('\r\n\r\n'), MAX_PART_HEADERS);
    if (headers === undefined) throw unreadable();
    const disposition = /^content-disposition:(.*)$/im.exec(headers.toString('utf8'))?.[1] ?? '';
    const fileName = parameter(disposition, 'filename');
    if (fileName !== undefined) {
      return { ...(fileName !== '' ? { fileName } : {}), content: scanner.readPartUntil(delimiter) };
    }
    if (!(await scanner.skipPast(delimiter))) throw unreadable();
  }
}

/** A parameter of a header value (`name="file"`, quoted or not). */
function parameter(value: string, name: string): string | undefined {
  for (const match of value.matchAll(/;\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)) {
    if (match[1]!.toLowerCase() === name) return match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return undefined;
}

/** Reads a body forward, holding only what it has not decided about yet. */
class BodyScanner {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  prepend(bytes: Buffer): void {
    this.buffer = Buffer.concat([bytes, this.buffer]);
  }

  async startsWith(bytes: Buffer): Promise<boolean> {
    while (this.buffer.length < bytes.length && (await this.more()));
    return this.buffer.subarray(0, bytes.length).equals(bytes);
  }

  /** Drops everything up to and with `marker`; false when the body ends first. */
  async skipPast(marker: Buffer): Promise<boolean> {
    for (;;) {
      const at = this.buffer.indexOf(marker);
      if (at >= 0) {
        this.buffer = this.buffer.subarray(at + marker.length);
        return true;
      }
      this.keepLast(marker.length - 1);
      if (!(await this.more())) return false;
    }
  }

  /** What comes before `marker` (which is dropped), if it comes within `max` bytes. */
  async readUntil(marker: Buffer, max: number): Promise<Buffer | undefined> {
    for (;;) {
      const at = this.buffer.indexOf(marker);
      if (at >= 0) {
        const before = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + marker.length);
        return before;
      }
      if (this.buffer.length > max || !(await this.more())) return undefined;
    }
  }

  /**
   * The bytes before `marker`, given as they arrive; only a possible start of
   * the marker is held back. A body that ends before it was cut short.
   */
  async *readPartUntil(marker: Buffer): AsyncGenerator<Uint8Array> {
    for (;;) {
      const at = this.buffer.indexOf(marker);
      if (at >= 0) {
        if (at > 0) yield this.buffer.subarray(0, at);
        this.buffer = Buffer.alloc(0);
        return;
      }
      const safe = this.buffer.length - (marker.length - 1);
      if (safe > 0) {
        yield this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
      }
      if (!(await this.more())) throw unreadable();
    }
  }

  private keepLast(bytes: number): void {
    if (this.buffer.length > bytes) this.buffer = this.buffer.subarray(this.buffer.length - bytes);
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    return true;
  }
}

function unreadable(): AppError {
  return new AppError(400, 'invalid_upload', 'The multipart/form-data body cannot be read (check its boundary)');
}

function noFile(): AppError {
  return new AppError(400, 'invalid_upload', 'The upload holds no file: send the CSV in the field "file"');
}
