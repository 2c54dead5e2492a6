import type { Request } from 'restify';
import { AppError } from '../errors';
import { CsvFileError } from '../csv/csv-errors';

/** A file a route received: its bytes and, from a multipart upload, its name. */
export interface UploadedFile {
  bytes: Buffer;
  fileName?: string;
}

/** What a multipart body may add around the file (boundaries, part headers, small fields). */
const MULTIPART_OVERHEAD = 64 * 1024;

const TEXT_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', 'text/comma-separated-values']);

/**
 * Reads the file of an upload route: the body itself (text/csv), or the part
 * named `file` (else the first file) of a multipart/form-data upload, parsed
 * by Node's own fetch implementation. A body over `maxBytes` is refused from
 * its Content-Length when it has one, else once it passes the limit, without
 * keeping more than the limit in memory.
 */
export async function readUploadedFile(req: Request, maxBytes: number): Promise<UploadedFile> {
  const contentType = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const multipart = contentType === 'multipart/form-data';
  if (!multipart && !TEXT_TYPES.has(contentType)) {
    throw new AppError(
      415,
      'unsupported_media_type',
      'Send the CSV file as the body (Content-Type: text/csv) or as a multipart/form-data upload with the field "file"',
    );
  }
  const limit = maxBytes + (multipart ? MULTIPART_OVERHEAD : 0);
  const declared = Number(req.header('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(declared, maxBytes);
  const body = await readBody(req, limit, maxBytes);
  if (!multipart) return { bytes: body };

  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': req.header('content-type')! } }).formData();
  } catch {
    throw new AppError(400, 'invalid_upload', 'The multipart/form-data body cannot be read (check its boundary)');
  }
  const named = form.get('file');
  const file = (named instanceof Blob ? named : [...form.values()].find((value) => value instanceof Blob)) as
    | (Blob & { name?: string })
    | undefined;
  if (!file) throw new AppError(400, 'invalid_upload', 'The upload holds no file: send the CSV in the field "file"');
  if (file.size > maxBytes) throw tooLarge(file.size, maxBytes);
  return { bytes: Buffer.from(await file.arrayBuffer()), ...(file.name ? { fileName: file.name } : {}) };
}

function readBody(req: Request, limit: number, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the answer still reaches the client.
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(tooLarge(size, maxBytes)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function tooLarge(bytes: number, maxBytes: number): CsvFileError {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  return new CsvFileError('csv_too_large', `The file is ${mb(bytes)}; import at most ${mb(maxBytes)} at a time (split it into several files)`);
}
