import { CsvFileError } from './csv-errors';

/**
 * The bytes of a file, refused as soon as they pass `maxBytes`: the reader
 * stops there, so the read slot it holds is free at once (the upload drops
 * the rest of the body without one, within REQUEST_TIMEOUT_MS).
 */
export async function* withinSize(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(undefined, maxBytes);
    yield chunk;
  }
}

/** The file's size when it is known (its Content-Length), else only that it passed the limit. */
export function tooLarge(bytes: number | undefined, maxBytes: number): CsvFileError {
  const size = bytes === undefined ? `over ${megabytes(maxBytes)}` : megabytes(bytes);
  return new CsvFileError('csv_too_large', `The file is ${size}; import at most ${megabytes(maxBytes)} at a time (split it into several files)`);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
