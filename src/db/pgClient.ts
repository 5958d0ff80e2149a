/**
 * The pg Client the database layer connects with: pg's own, except that a
 * connection attempt that fails closes its socket at once.
 *
 * pg leaves the socket open when the failure is on the client's side of the
 * authentication exchange. The usual case: the server asks for a SCRAM
 * password and none is known; pg reports "client password must be a string"
 * and stops answering, while the server's backend keeps waiting for the
 * client's next message until authentication_timeout (60 s by default). That
 * backend holds one of max_connections' slots all the while, so a retry loop
 * or a pool trying again fills the server, and a command-line run cannot exit
 * while the socket is open. Errors the server sends (a wrong password, no
 * such database) end the connection from its side; closing ours as well is
 * then harmless.
 */
import { Client } from 'pg';

/** The part of pg's Client internals used here: pg-pool closes a client's socket the same way on a connect timeout. */
interface WithSocket {
  readonly connection?: { readonly stream?: { destroy(): void } };
}

type ConnectCallback = (err: Error | null, client?: Client) => void;

export class PgClient extends Client {
  override connect(): Promise<Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, c: Client) => void)): void;
  override connect(callback?: ((err: Error) => void) | ((err: null, c: Client) => void)): Promise<Client> | void {
    if (callback === undefined) {
      return super.connect().catch((error: unknown) => {
        this.closeSocket();
        throw error;
      });
    }
    // pg-pool connects with a callback: the same, before the pool hears of the failure.
    const done = callback as ConnectCallback;
    super.connect(((err: Error | null, client?: Client) => {
      if (err) this.closeSocket();
      done(err, client);
    }) as (err: Error) => void);
  }

  private closeSocket(): void {
    (this as unknown as WithSocket).connection?.stream?.destroy();
  }
}
