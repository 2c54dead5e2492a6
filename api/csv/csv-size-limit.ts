import { CsvFileError } from './csv-errors';

/**
 * The bytes of a file, refused once they pass `maxBytes`: what comes after
 * the limit is read and dropped (never kept) so the refusal can name the
 * file's size and still reach the client.
 */
export async function* withinSize(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size <= maxBytes) yield chunk;
  }
  if (size > maxBytes) throw tooLarge(size, maxBytes);
}

export function tooLarge(bytes: number, maxBytes: number): CsvFileError {
  return new CsvFileError(
    'csv_too_large',
    `The file is ${megabytes(bytes)}; import at most ${megabytes(maxBytes)} at a time (split it into several files)`,
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
