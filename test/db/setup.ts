/**
 * Root hooks of the db tier (mocha --require): one PostgreSQL for the whole
 * run, embedded 18 by default or the server named by
 * PG_INSIGHT_TEST_DATABASE_URL.
 */
import { startTestPostgres } from '../support/postgres';
import { setTestServer, testServer } from './server';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    setTestServer(await startTestPostgres());
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    const server = testServer();
    setTestServer(undefined);
    await server.stop();
  },
};
