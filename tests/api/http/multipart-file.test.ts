import { openMultipartFile } from '../../../api/http/multipart-file';

/** The bytes as the network gives them: in chunks of `chunkBytes`. */
async function* arriving(bytes: Buffer, chunkBytes: number) {
  for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
}

async function readAll(content: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of content) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A body as fetch (undici, as browsers do) writes a FormData, and its content type with the boundary. */
async function encoded(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

const problem = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    return error as { status: number; code: string; message: string };
  }
  throw new Error('read without a problem');
};

describe('the file of a multipart/form-data upload, read as it arrives', () => {
  // A file whose lines look like the start of a boundary, and a character cut between chunks.
  const csv = 'number,note\r\n+12125550100,"--a note"\r\n--\r\n+12125550101,Zoë\r\n';

  it('finds the file after other fields, with its name, however the body is cut', async () => {
    const form = new FormData();
    form.append('dryRun', 'true');
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'contoso numbers.csv');
    form.append('after', 'ignored');
    const { body, contentType } = await encoded(form);
    for (const chunkBytes of [1, 2, 7, 64, body.length]) {
      const file = await openMultipartFile(arriving(body, chunkBytes), contentType);
      expect(file.fileName).toBe('contoso numbers.csv');
      expect(await readAll(file.content)).toBe(csv);
    }
  });

  it('reads a hand-written body: a quoted boundary, a preamble, a file part without headers besides its name', async () => {
    const body = Buffer.from(
      [
        'preamble to skip',
        '--xyz',
        'Content-Disposition: form-data; name="note"',
        '',
        'not the file',
        '--xyz',
        'Content-Disposition: form-data; name="upload"; filename="a \\"b\\".csv"',
        '',
        'number',
        '+12125550100',
        '--xyz--',
        '',
      ].join('\r\n'),
    );
    const file = await openMultipartFile(arriving(body, 3), 'multipart/form-data; boundary="xyz"');
    expect(file.fileName).toBe('a "b".csv');
    expect(await readAll(file.content)).toBe('number\r\n+12125550100');
  });

  it('gives no name for a file sent without one', async () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename=""\r\n\r\nnumber\r\n--b--\r\n');
    const file = await openMultipartFile(arriving(body, 5), 'multipart/form-data; boundary=b');
    expect(file.fileName).toBeUndefined();
    expect(await readAll(file.content)).toBe('number');
  });

  it('refuses an upload with no file, no boundary, or a body cut off before the file ends', async () => {
    const form = new FormData();
    form.append('file', 'text, not a file');
    const fields = await encoded(form);
    expect(await problem(() => openMultipartFile(arriving(fields.body, 10), fields.contentType))).toMatchObject({
      status: 400,
      code: 'invalid_upload',
      message: 'The upload holds no file: send the CSV in the field "file"',
    });
    expect(await problem(() => openMultipartFile(arriving(Buffer.from('x'), 1), 'multipart/form-data'))).toMatchObject({
      code: 'invalid_upload',
      message: expect.stringContaining('boundary'),
    });
    const cut = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nnumber\r\n+1212');
    const file = await openMultipartFile(arriving(cut, 4), 'multipart/form-data; boundary=b');
    expect(await problem(() => readAll(file.content))).toMatchObject({ code: 'invalid_upload' });
  });

  it('gives the file as it arrives, not once the body has ended', async () => {
    let finish: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (finish = resolve));
    async function* uploading() {
      yield Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nnumber\r\n${'+12125550100\r\n'.repeat(10)}`);
      await rest;
      yield Buffer.from('+12125550101\r\n--b--\r\n');
    }
    const file = await openMultipartFile(uploading(), 'multipart/form-data; boundary=b');
    const content = file.content[Symbol.asyncIterator]();
    expect(Buffer.from((await content.next()).value!).toString()).toMatch(/^number\r\n\+12125550100/);
    finish();
  });
});
