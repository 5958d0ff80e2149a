/**
 * Every statement of every check, for each server version and context the
 * SQL branches on, goes through the real PostgreSQL grammar: a typo in a
 * branch the db tier's servers do not take (PostgreSQL 12 or 16, a replica,
 * pgstattuple allowed) fails here. Each statement must be exactly one SELECT
 * or WITH, since the runner sends it in a read-only transaction.
 */
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { ALL_CHECKS } from '../../../src/core/health/registry';
import { CONTEXT_SQL } from '../../../src/core/health/context';
import type { CheckContext, SqlSource } from '../../../src/core/health/types';
import { ctx } from './support';

const everything = { pg_stat_statements: '1.11', pgstattuple: '1.5' };
const contexts: [string, CheckContext][] = [
  ['PostgreSQL 18, primary, all extensions', ctx({ versionNum: 180000, extensions: everything })],
  ['PostgreSQL 16, replica', ctx({ versionNum: 160000, inRecovery: true, extensions: everything })],
  ['PostgreSQL 13, old pg_stat_statements', ctx({ versionNum: 130000, extensions: { pg_stat_statements: '1.7' } })],
  ['PostgreSQL 12, no extensions', ctx({ versionNum: 120000 })],
  ['PostgreSQL 11, unprivileged', ctx({ versionNum: 110000, extensions: everything, privileges: { superuser: false, readAllStats: false, readAllSettings: false, statScanTables: false } })],
];

function statements(source: SqlSource, c: CheckContext): string[] {
  const sql = typeof source === 'function' ? source(c) : source;
  return sql === null ? [] : [sql];
}

describe('health check SQL', () => {
  before(async () => {
    await loadModule();
  });

  it('the context statement parses', () => {
    assert.equal(parseSync(CONTEXT_SQL).stmts?.length, 1);
  });

  for (const check of ALL_CHECKS) {
    it(`${check.id}: every statement is one SELECT in every context`, () => {
      for (const [label, c] of contexts) {
        if (c.versionNum < check.minVersion) continue;
        const sources = typeof check.sql === 'object' ? Object.values(check.sql) : [check.sql];
        for (const sql of sources.flatMap((s) => statements(s, c))) {
          let parsed;
          try {
            parsed = parseSync(sql);
          } catch (error) {
            assert.fail(`${label}: ${(error as Error).message}\n${sql}`);
          }
          assert.equal(parsed.stmts?.length, 1, `${label}: one statement`);
          assert.deepEqual(Object.keys(parsed.stmts?.[0]?.stmt ?? {}), ['SelectStmt'], `${label}: a SELECT`);
        }
      }
    });
  }
});
