import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCustomer, startTestApp, type TestApp } from '../../support/test-app';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/**
 * A connection speaking HTTP/1.1 by hand, so the test sends an upload piece
 * by piece (chunked), leaves it unfinished or cuts it off, and sends the next
 * request on the same connection (no HTTP client in between to buffer, retry
 * or close anything).
 */
class Connection {
  private received = Buffer.alloc(0);
  private closed = false;
  private readonly wake = new Set<() => void>();

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.settle(() => (this.received = Buffer.concat([this.received, chunk]))));
    socket.on('close', () => this.settle(() => (this.closed = true)));
    // The server may close a connection whose answer is sent while the test still writes.
    socket.on('error', () => undefined);
  }

  static open(t: TestApp): Promise<Connection> {
    const { hostname, port } = new URL(t.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  /** Starts an upload of a CSV file (chunked: no Content-Length) whose first piece is `first`. */
  startUpload(path: string, token: string, first: string): void {
    this.socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    this.write(first);
  }

  write(text: string): void {
    if (text !== '') this.socket.write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
  }

  end(text = ''): void {
    this.write(text);
    this.socket.write('0\r\n\r\n');
  }

  cutOff(): void {
    this.socket.destroy();
  }

  /** The next answer on the connection (restify answers with a Content-Length). */
  async answer(): Promise<Answer> {
    for (;;) {
      const headEnd = this.received.indexOf('\r\n\r\n');
      if (headEnd >= 0) {
        const [statusLine, ...lines] = this.received.subarray(0, headEnd).toString().split('\r\n');
        const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        if (this.received.length >= headEnd + 4 + length) {
          const body = this.received.subarray(headEnd + 4, headEnd + 4 + length).toString();
          this.received = this.received.subarray(headEnd + 4 + length);
          return { status: Number(statusLine!.split(' ')[1]), headers, body: body ? JSON.parse(body) : undefined };
        }
      }
      if (this.closed) throw new Error('the connection closed before an answer');
      await new Promise<void>((resolve) => this.wake.add(resolve));
    }
  }

  private settle(change: () => unknown): void {
    change();
    for (const wake of this.wake) wake();
    this.wake.clear();
  }
}

/** Asks `probe` again (a few milliseconds apart, a few seconds at most) until `done` holds; the last answer either way. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let tries = 0; tries < 200 && !done(value); tries++) {
    await sleep(25);
    value = await probe();
  }
  return value;
}

describe('CSV uploads, one read at a time (CSV_PARSE_CONCURRENCY=1)', () => {
  let t: TestApp;
  let token: string;
  let dryRunPath: string;
  const connections: Connection[] = [];
  beforeAll(async () => {
    t = await startTestApp({ settings: { CSV_PARSE_CONCURRENCY: 1 } });
    token = await t.tokenFor(t.partnerA.tenantId);
    dryRunPath = `/api/v1/customers/${await createCustomer(t, { name: 'Contoso' })}/numbers/import?dryRun=true`;
  });
  afterEach(() => connections.splice(0).forEach((connection) => connection.cutOff()));
  afterAll(() => t.close());

  const connect = async () => {
    const connection = await Connection.open(t);
    connections.push(connection);
    return connection;
  };
  /** An upload on a connection of its own. */
  const upload = async (path: string, first: string) => {
    const connection = await connect();
    connection.startUpload(path, token, first);
    return connection;
  };
  const smallDryRun = () => t.request('POST', dryRunPath, { rawBody: 'number\n+12125550100\n', headers: { 'content-type': 'text/csv' } });
  const slotsInUse = (count: number) => eventually(async () => t.app.csvReadSlots.inUse, (inUse) => inUse === count);

  /** An unfinished upload, once it holds the only slot, and its answer to come. */
  async function holdSlot(path: string, first: string): Promise<{ connection: Connection; answer: Promise<Answer> }> {
    expect(t.app.csvReadSlots.inUse).toBe(0);
    const connection = await upload(path, first);
    const answer = connection.answer();
    answer.catch(() => undefined);
    expect(await slotsInUse(1)).toBe(1);
    return { connection, answer };
  }

  it('turns a file away with 429 and Retry-After while another is read, before reading its body, and frees the slot when that read is answered', async () => {
    const held = await holdSlot(dryRunPath, 'number\n+12125550100\n');

    // Its body never ends, so only an answer given before reading it can arrive.
    const refused = await upload(dryRunPath, 'number\n+12125550101\n');
    const answer = await refused.answer();
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(answer.body).toEqual({
      error: { code: 'csv_reads_busy', message: expect.stringMatching(/^This server is reading a CSV file already; send the file again in \d+ seconds?$/) },
    });

    held.connection.end('+12125550102\n');
    expect(await held.answer).toMatchObject({ status: 200, body: { total: 2 } });
    expect((await smallDryRun()).status).toBe(200);
  });

  it('documents the 429 of the upload routes in OpenAPI', async () => {
    const { body } = await t.request('GET', '/api/v1/openapi.json', { token: null });
    expect(body.paths['/api/v1/customers/{id}/numbers/import'].post.responses['429']).toBeDefined();
    expect(body.paths['/api/v1/customers/import'].post.responses['429']).toBeDefined();
  });

  it('refuses a caller below Operator, and a body that is not a file, without taking the slot', async () => {
    const held = await holdSlot(dryRunPath, 'number\n');
    const viewer = await t.tokenAs('viewer');
    const asViewer = await t.request('POST', dryRunPath, { rawBody: 'number\n', headers: { 'content-type': 'text/csv' }, token: viewer });
    expect(asViewer.status).toBe(403);
    const json = await t.request('POST', dryRunPath, { body: { numbers: ['+12125550100'] } });
    expect(json.status).toBe(415);
    expect(t.app.csvReadSlots.inUse).toBe(1);
    held.connection.end('+12125550100\n');
    expect((await held.answer).status).toBe(200);
  });

  it('frees the slot after a 400 about the file, and after a 404 before the file was read', async () => {
    const problem = await t.request('POST', dryRunPath, { rawBody: 'number\n"+12125550100\n', headers: { 'content-type': 'text/csv' } });
    expect(problem.status).toBe(400);
    expect((await smallDryRun()).status).toBe(200);

    const missing = await t.request('POST', '/api/v1/customers/000000000000000000000000/numbers/import?dryRun=true', {
      rawBody: 'number\n+12125550100\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(missing.status).toBe(404);
    expect((await smallDryRun()).status).toBe(200);
  });

  it('answers a problem near the top of a file while the client still sends the rest, then reads the rest so the connection carries the next request', async () => {
    const connection = await upload(dryRunPath, 'number\n+12125550100\n+12125550101,extra\n');
    connection.write('+12125550102\n'.repeat(50_000));
    expect(await connection.answer()).toMatchObject({ status: 400, body: { error: { code: 'csv_too_many_cells', details: { line: 3 } } } });
    connection.end('+12125550103\n'.repeat(50_000));
    connection.startUpload(dryRunPath, token, 'number\n');
    connection.end('+12125550100\n');
    expect(await connection.answer()).toMatchObject({ status: 200, body: { total: 1 } });
  });

  it('refuses a file as soon as it passes 10 MB and frees the slot at once, though its client keeps sending', async () => {
    const connection = await upload(dryRunPath, 'number,notes\n');
    // Long rows (a column the import ignores), so the size passes the limit long before the rows do.
    const line = `+12125550100,${'x'.repeat(4_000)}\n`.repeat(100);
    // Over 10 MB, and the body does not end: the refusal cannot wait for the file's end.
    for (let sent = 0; sent <= 10 * 1024 * 1024; sent += line.length) connection.write(line);
    expect(await connection.answer()).toMatchObject({
      status: 400,
      body: { error: { code: 'csv_too_large', message: 'The file is over 10 MB; import at most 10 MB at a time (split it into several files)' } },
    });
    connection.write(line);
    expect(await slotsInUse(0)).toBe(0);
    expect((await smallDryRun()).status).toBe(200);
  });

  it('frees the slot when the client goes away mid-upload', async () => {
    const held = await holdSlot(dryRunPath, `number\n${'+12125550100\n'.repeat(1_000)}`);
    held.connection.cutOff();
    expect(await slotsInUse(0)).toBe(0);
    expect((await smallDryRun()).status).toBe(200);
  });

  it('frees the slot when the client goes away mid-upload of an import, and keeps no job of it', async () => {
    const held = await holdSlot(dryRunPath.replace('?dryRun=true', ''), `number\n${'+12125550100\n'.repeat(1_000)}`);
    held.connection.cutOff();
    expect(await slotsInUse(0)).toBe(0);
    expect((await smallDryRun()).status).toBe(200);
    expect(await t.database.jobs.countDocuments({})).toBe(0);
    expect(await t.database.jobInputs.countDocuments({})).toBe(0);
  });
});
