import { CsvFileError } from './csv-errors';

/**
 * The text of an uploaded CSV file, decoded piece by piece as its bytes
 * arrive: UTF-16 when it starts with a UTF-16 BOM; otherwise UTF-8, or
 * Windows-1252 (what spreadsheets on Windows save as plain "CSV") from the
 * first piece that is not UTF-8 on. Text before that piece was ASCII or valid
 * UTF-8, and ASCII reads the same in both. NUL or other control bytes anywhere
 * mean it is not a text file at all (a workbook, an image).
 */
export async function* decodeCsvText(source: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const iterator = source[Symbol.asyncIterator]();
  // The first two bytes tell UTF-16 (chunks of one byte are possible).
  let start: Uint8Array = new Uint8Array(0);
  let done = false;
  while (start.length < 2 && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else start = concat(start, next.value);
  }
  // The source after those bytes; stopping early stops the source too.
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: () => (done ? Promise.resolve({ done: true, value: undefined }) : iterator.next()),
      return: async () => {
        await iterator.return?.();
        return { done: true, value: undefined };
      },
    }),
  };
  const utf16 = start[0] === 0xff && start[1] === 0xfe ? 'utf-16le' : start[0] === 0xfe && start[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    const decoder = new TextDecoder(utf16);
    yield decoder.decode(start, { stream: true });
    for await (const chunk of rest) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
    return;
  }
  const decoder = new EightBitText();
  yield decoder.decode(start);
  for await (const chunk of rest) yield decoder.decode(chunk);
  yield decoder.end();
}

/** UTF-8 until a piece is not, Windows-1252 from there on; control bytes refused. */
class EightBitText {
  // ignoreBOM: a BOM is csv-parse's to skip, and only at the file's start (U+FEFF elsewhere is kept).
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly windows1252 = new TextDecoder('windows-1252');
  private utf8Still = true;
  /** The start of a UTF-8 sequence that the next piece completes. */
  private carried: Uint8Array = new Uint8Array(0);

  decode(chunk: Uint8Array): string {
    if (holdsControlBytes(chunk)) {
      throw new CsvFileError(
        'csv_binary',
        'The file is not a text CSV file (it looks binary, such as a workbook or an image); save it from the spreadsheet as "CSV UTF-8"',
      );
    }
    if (!this.utf8Still) return this.windows1252.decode(chunk);
    const bytes = concat(this.carried, chunk);
    const whole = completeUtf8Length(bytes);
    try {
      const text = this.utf8.decode(bytes.subarray(0, whole));
      this.carried = bytes.subarray(whole);
      return text;
    } catch {
      this.utf8Still = false;
      this.carried = new Uint8Array(0);
      return this.windows1252.decode(bytes);
    }
  }

  /** A sequence the file ends in the middle of is not UTF-8. */
  end(): string {
    return this.carried.length === 0 ? '' : this.windows1252.decode(this.carried);
  }
}

function holdsControlBytes(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    // Tab, line feed, form feed and carriage return are text.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return true;
  }
  return false;
}

/** How many bytes from the start end on a whole UTF-8 sequence (a multi-byte character may be cut at the chunk's end). */
function completeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? bytes.length - back : bytes.length;
    }
  }
  return bytes.length;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
