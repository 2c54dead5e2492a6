/**
 * The URL browsers use: the only base of activation links, Microsoft redirect
 * URIs and the session cookie's Secure flag. Never the request's Host header,
 * which the client chooses (a forged Host would otherwise send a customer's
 * admin, or Microsoft's authorization code, to another site).
 *
 * PUBLIC_URL when set. Without it (local mode; a deployment refuses to start
 * without it) http://localhost:<port> on the port the server listens on,
 * known only once it listens (PORT may be 0), so it is read when asked.
 */
export type PublicUrl = () => string;

export function publicUrlResolver(configured: string | undefined, listeningPort: () => number | undefined): PublicUrl {
  if (configured !== undefined) {
    const url = configured.replace(/\/+$/, '');
    return () => url;
  }
  return () => {
    const port = listeningPort();
    if (port === undefined) throw new Error('PUBLIC_URL is not set and the server is not listening yet');
    return `http://localhost:${port}`;
  };
}
