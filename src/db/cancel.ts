/**
 * Server-side cancellation of a running statement, the way libpq's
 * PQcancel does it: a CancelRequest packet with the backend's process id and
 * secret key on a new socket. It needs no authentication, so it works even
 * when the password was only good for the first login, and also through
 * connection poolers that forward cancel requests. When the server gave no
 * secret key, `pg_cancel_backend` on a short-lived connection is used instead.
 */
import { connect } from 'node:net';

/** The protocol's cancel request code (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80877102;

export interface BackendKey {
  readonly processID: number;
  readonly secretKey: number;
}

/** The backend key pg keeps on a connected client (not in its typings). */
export function backendKey(client: unknown): BackendKey | undefined {
  const c = client as { processID?: unknown; secretKey?: unknown };
  return typeof c.processID === 'number' && typeof c.secretKey === 'number' ? { processID: c.processID, secretKey: c.secretKey } : undefined;
}

/** Sends a CancelRequest; resolves when the server has closed the socket (it answers nothing). */
export function sendCancelRequest(host: string, port: number, key: BackendKey, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the cancel request got no answer'));
    }, timeoutMs);
    socket.once('connect', () => {
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
      packet.writeInt32BE(key.processID, 8);
      packet.writeInt32BE(key.secretKey, 12);
      socket.end(packet);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
