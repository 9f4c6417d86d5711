/**
 * HTTP the way a hostile client sends it: a chunked body (no Content-Length) streamed until the
 * server answers, and raw bytes over a socket (a Content-Length that lies). Each reports what the
 * server did, and how much of the body it had to take before it answered.
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface ChunkedAnswer {
  status: number;
  body: string;
  /** Bytes of the body written before the answer's headers arrived. */
  bytesSentBeforeAnswer: number;
}

/**
 * POSTs `totalBytes` of body in chunks (Transfer-Encoding: chunked, no Content-Length): `head`,
 * then `filler` repeated, then `tail`. Stops writing as soon as the server answers.
 */
export function postChunked(
  url: string,
  headers: Record<string, string>,
  body: { head: string; filler: string; tail: string; totalBytes: number },
): Promise<ChunkedAnswer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
    req.on('response', (response) => {
      answered = true;
      const bytesSentBeforeAnswer = sent;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode!, body: text, bytesSentBeforeAnswer });
        req.destroy();
      });
      response.on('error', reject);
    });
    // The server may close the connection after refusing: that is not a failure of the test.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.from(body.filler.repeat(Math.max(1, Math.floor(65_536 / body.filler.length))));
    const fillerBytes = body.totalBytes - Buffer.byteLength(body.head) - Buffer.byteLength(body.tail);
    const write = () => {
      if (answered || req.destroyed) return;
      if (sent === 0) {
        sent += Buffer.byteLength(body.head);
        req.write(body.head);
      }
      while (sent < fillerBytes + Buffer.byteLength(body.head)) {
        if (answered || req.destroyed) return;
        const left = fillerBytes + Buffer.byteLength(body.head) - sent;
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      sent += Buffer.byteLength(body.tail);
      req.end(body.tail);
    };
    write();
  });
}

/**
 * Writes `head` (request line and headers, CRLF-terminated) and `body` on a raw socket and
 * collects everything the server answers until it closes the connection (or `timeoutMs`).
 */
export function rawExchange(url: string, head: string, body: Buffer | string, timeoutMs = 5000): Promise<{ answer: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer, closedByServer });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(head);
      socket.write(body);
    });
  });
}
