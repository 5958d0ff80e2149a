/**
 * The one PostgreSQL server of a db-tier run, started by the root hooks in
 * setup.ts and shared by every test file (each creates its own database).
 */
import type { TestServer } from '../support/postgres';

let current: TestServer | undefined;

export function testServer(): TestServer {
  if (!current) throw new Error('No test server: run the db tier with --require out/test/db/setup.js (npm run test:db).');
  return current;
}

export function setTestServer(server: TestServer | undefined): void {
  current = server;
}
