/**
 * The safety suites' connections to a server of their own choosing (the
 * tier's, Debian's PostgreSQL 15, a standby): PG Insight's `Database`
 * through the real factory, and plain clients for checks behind its back.
 */
import { Client } from 'pg';
import { createDatabase } from '../../../src/db';
import type { Database } from '../../../src/db/types';
import type { TestServer } from '../../support/postgres';
import { CapturingLog, defaultLimits } from '../helpers';

export function openOn(server: TestServer, database: string, production = false): { db: Database; log: CapturingLog } {
  const log = new CapturingLog();
  const profile = {
    id: `safety:${server.port}:${database}:${String(production)}`,
    name: production ? 'prod' : 'dev',
    source: 'user-settings' as const,
    host: server.host,
    port: server.port,
    database,
    user: server.user,
    sslmode: 'disable' as const,
    ...(production ? { production: true } : {}),
  };
  return { db: createDatabase({ profile, password: server.password }, defaultLimits, log), log };
}

export async function clientOn(server: TestServer, database: string, applicationName?: string): Promise<Client> {
  const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database, ...(applicationName ? { application_name: applicationName } : {}) });
  await c.connect();
  return c;
}
