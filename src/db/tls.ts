/**
 * TLS options for `pg` from a libpq-style sslmode. The CA file is read here,
 * at the edge, so the rest of the code only sees the certificate text.
 *
 * pg cannot fall back between plain and encrypted connections by itself, so
 * 'prefer' starts encrypted and 'allow' starts plain; the caller switches
 * once when the server answers that it does not support (or requires) SSL.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { ConnectionProfile, SslMode } from '../core/connection/profile';
import { DbError } from './types';

export type TlsChoice = false | ConnectionOptions;

export interface TlsPlan {
  /** What to try first. */
  readonly first: TlsChoice;
  /** What to switch to when the server disagrees, for 'prefer' and 'allow'. */
  readonly fallback?: TlsChoice;
}

/** libpq's default is 'prefer'. */
export function tlsPlan(profile: ConnectionProfile, readFile: (path: string) => Buffer = readFileSync): TlsPlan {
  const mode: SslMode = profile.sslmode ?? 'prefer';
  const ca = profile.sslrootcert ? readCa(profile.sslrootcert, readFile) : undefined;
  // Encrypted but not verified, as libpq's 'require' without a root certificate.
  const lenient: ConnectionOptions = { rejectUnauthorized: false };
  switch (mode) {
    case 'disable':
      return { first: false };
    case 'allow':
      return { first: false, fallback: lenient };
    case 'prefer':
      return { first: lenient, fallback: false };
    case 'require':
      // libpq verifies the chain (not the host name) when a root certificate is given.
      return { first: ca ? verifyCa(ca) : lenient };
    case 'verify-ca':
      return { first: verifyCa(ca) };
    case 'verify-full':
      return { first: ca ? { rejectUnauthorized: true, ca } : { rejectUnauthorized: true } };
  }
}

function verifyCa(ca: string | undefined): ConnectionOptions {
  // The chain is checked against the CA; the host name is not (that is verify-full).
  return { rejectUnauthorized: true, ...(ca ? { ca } : {}), checkServerIdentity: () => undefined };
}

function readCa(path: string, readFile: (path: string) => Buffer): string {
  try {
    return readFile(path).toString('utf8');
  } catch (e) {
    const reason = (e as { code?: string }).code ?? 'unreadable';
    throw new DbError('other', `The CA certificate file "${path}" cannot be read (${reason}).`, ['edit-connection'], reason);
  }
}
