import type { Request } from 'restify';
import { AppError } from '../errors';
import type { CsvReadSlots } from '../csv/csv-read-slots';
import { tooLarge, withinSize } from '../csv/csv-size-limit';
import { openMultipartFile } from './multipart-file';
import { RequestBody } from './request-body';

/** A file a route received: its bytes as they arrive (they can be gone through once) and, from a multipart upload, its name. */
export interface UploadedFile {
  content: AsyncIterable<Uint8Array>;
  fileName?: string;
}

/** What a multipart body may add around the file (boundaries, part headers, small fields). */
const MULTIPART_OVERHEAD = 64 * 1024;

const TEXT_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', 'text/comma-separated-values']);

/**
 * Gives `use` the file of an upload route: the body itself (text/csv), or the
 * file part of a multipart/form-data upload, read as it arrives. A body that
 * is not a file, or that says it is over `maxBytes` (Content-Length), is
 * refused before a read slot is taken; beyond the slots (`slots`) it is 429
 * before anything is read. The slot is held until `use` is done (answered,
 * refused, failed, or the client went away); then what `use` left unread is
 * read and dropped, so the answer reaches a client still sending. A body that
 * passes the limit as it arrives is refused then, without keeping more than a
 * chunk in memory.
 */
export async function withUpload<T>(
  req: Request,
  maxBytes: number,
  slots: CsvReadSlots | undefined,
  use: (file: UploadedFile) => Promise<T>,
): Promise<T> {
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
  const slot = slots?.take();
  // Received whole while the file is worked (up to its limit): the request's time limit is the client's, not the server's work.
  const body = new RequestBody(req, limit);
  try {
    const content = withinSize(body, limit);
    if (!multipart) return await use({ content });
    const part = await openMultipartFile(content, req.header('content-type')!);
    return await use({ ...part, content: withinSize(part.content, maxBytes) });
  } finally {
    body.drain();
    slot?.release();
  }
}
