import net from 'node:net';

/** An HTTP exchange on a raw socket: what a browser's fetch cannot do (stall, lie about a length, forge Host). */
export interface RawConnection {
  socket: net.Socket;
  /** Everything the server sent, once it closed the connection (never resolves while it keeps it open). */
  closed: Promise<string>;
}

export function rawConnection(baseUrl: string, text: string): RawConnection {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect(Number(port), hostname);
  socket.write(text);
  const closed = new Promise<string>((resolve, reject) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(received) : reject(error)));
    socket.on('close', () => resolve(received));
  });
  return { socket, closed };
}

/** Status, headers and JSON body of a raw HTTP/1.1 answer. */
export function parseAnswer(raw: string): { status: number; headers: Record<string, string>; body: any } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const text = rest.join('\r\n\r\n');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the test sees the text.
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}
