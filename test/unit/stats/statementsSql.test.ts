import assert from 'node:assert/strict';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';
import { isOwnStatement } from '../../../src/core/stats/ownTag';
import { resetFunctionSignature, resetRefusedMessage } from '../../../src/core/stats/privileges';
import { fieldExpression, missingColumns, snapshotHeadSql, statementsSql, type StatementsSource } from '../../../src/db/stats/statementsSql';
import { AVAILABILITY_FACTS_SQL, entriesProbeSql } from '../../../src/db/stats/availabilitySql';
import { ACTIVITY_SQL, CANCEL_SQL, SESSION_OWNER_SQL, TERMINATE_SQL } from '../../../src/db/stats/activitySql';
import { COLUMNS_BY_MAJOR } from './fixtures';

function sourceFor(major: number, schema = 'public'): StatementsSource {
  const v = COLUMNS_BY_MAJOR[major]!;
  return { schema, extensionVersion: v.extension, columns: new Set(v.columns), hasInfo: major >= 14 };
}

/** The `s.column` references of a statement. */
function referencedColumns(sql: string): string[] {
  return [...sql.matchAll(/\bs\.([a-z_]+)/g)].map((m) => m[1]!);
}

/** The expression selected for one output column. */
function selected(sql: string, alias: string): string {
  const lines = sql.split('\n').map((l) => l.trim().replace(/,$/, ''));
  const line = lines.find((l) => l.endsWith(`AS "${alias}"`) || l.endsWith(`AS ${alias}`) || l === `s.${alias}`);
  assert.ok(line, `no output column ${alias} in:\n${sql}`);
  return line;
}

describe('stats/statements SQL across PostgreSQL 13 to 18', () => {
  before(() => loadSqlParser());

  for (const major of [13, 14, 15, 16, 17, 18]) {
    describe(`PostgreSQL ${major} (pg_stat_statements ${COLUMNS_BY_MAJOR[major]!.extension})`, () => {
      const source = sourceFor(major);
      const sql = statementsSql(source, 'database');

      it('references only columns the view has, and parses', () => {
        const unknown = referencedColumns(sql).filter((c) => !source.columns.has(c));
        assert.deepEqual(unknown, []);
        const parsed = parseSql(sql);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
        assert.equal(parsed.statements.length, 1);
        assert.deepEqual(missingColumns(source.columns), []);
      });

      it('maps renamed columns to the same fields', () => {
        assert.equal(selected(sql, 'totalExecMs'), 's.total_exec_time::float8 AS "totalExecMs"');
        assert.equal(selected(sql, 'totalPlanMs'), 's.total_plan_time::float8 AS "totalPlanMs"');
        assert.equal(selected(sql, 'walBytes'), 's.wal_bytes::float8 AS "walBytes"');
        assert.equal(selected(sql, 'sharedBlkReadMs'), major >= 17 ? 's.shared_blk_read_time::float8 AS "sharedBlkReadMs"' : 's.blk_read_time::float8 AS "sharedBlkReadMs"');
        assert.equal(selected(sql, 'sharedBlkWriteMs'), major >= 17 ? 's.shared_blk_write_time::float8 AS "sharedBlkWriteMs"' : 's.blk_write_time::float8 AS "sharedBlkWriteMs"');
      });

      it('selects NULL for what the version lacks', () => {
        assert.equal(selected(sql, 'toplevel'), major >= 14 ? 's.toplevel' : 'NULL::bool AS toplevel');
        assert.equal(selected(sql, 'tempBlkReadMs'), major >= 15 ? 's.temp_blk_read_time::float8 AS "tempBlkReadMs"' : 'NULL::float8 AS "tempBlkReadMs"');
        assert.equal(selected(sql, 'statsSince'), major >= 17 ? 's.stats_since AS "statsSince"' : 'NULL::timestamptz AS "statsSince"');
        const jit = selected(sql, 'jitMs');
        if (major < 15) assert.equal(jit, 'NULL::float8 AS "jitMs"');
        else assert.equal(jit.includes('s.jit_deform_time'), major >= 17, jit);
        if (major >= 15) assert.match(jit, /^\(s\.jit_generation_time \+ s\.jit_inlining_time \+ s\.jit_optimization_time \+ s\.jit_emission_time/);
      });

      it('reads pg_stat_statements_info from 14 on', () => {
        const head = snapshotHeadSql(source);
        assert.equal(head.includes('public.pg_stat_statements_info'), major >= 14);
        assert.ok(parseSql(head).ok);
      });
    });
  }

  it('reads the pre-13 names (total_time, blk_read_time) of an extension never updated', () => {
    const columns = new Set(['userid', 'dbid', 'queryid', 'query', 'calls', 'total_time', 'min_time', 'mean_time', 'rows', 'blk_read_time']);
    assert.equal(fieldExpression('totalExecMs', columns), 's.total_time::float8');
    assert.equal(fieldExpression('meanExecMs', columns), 's.mean_time::float8');
    assert.equal(fieldExpression('sharedBlkReadMs', columns), 's.blk_read_time::float8');
    assert.equal(fieldExpression('totalPlanMs', columns), 'NULL::float8');
    assert.deepEqual(missingColumns(columns), []);
    assert.deepEqual(missingColumns(new Set(['userid', 'dbid', 'query'])), ['queryid', 'calls', 'total_exec_time']);
  });

  it('limits the database scope to the connected database, and not the all scope', () => {
    const source = sourceFor(18);
    assert.match(statementsSql(source, 'database'), /WHERE s\.dbid = \(SELECT oid FROM pg_catalog\.pg_database WHERE datname = pg_catalog\.current_database\(\)\)$/);
    assert.doesNotMatch(statementsSql(source, 'all'), /WHERE/);
  });

  it('quotes an unusual schema name', () => {
    const sql = statementsSql(sourceFor(18, 'Stats "x"'), 'all');
    assert.match(sql, /FROM "Stats ""x"""\.pg_stat_statements s/);
    assert.ok(parseSql(sql).ok);
  });

  it('tags every statement it sends, and they all parse', () => {
    const all = [statementsSql(sourceFor(15), 'all'), snapshotHeadSql(sourceFor(13)), AVAILABILITY_FACTS_SQL, entriesProbeSql('public.pg_stat_statements'), ACTIVITY_SQL, SESSION_OWNER_SQL, CANCEL_SQL, TERMINATE_SQL];
    for (const sql of all) {
      assert.ok(isOwnStatement(sql), sql);
      const parsed = parseSql(sql);
      assert.ok(parsed.ok && parsed.statements.length === 1, sql);
    }
  });

  it('spells the reset function as GRANT needs it, per extension version', () => {
    assert.equal(resetFunctionSignature('public', '1.12'), 'public.pg_stat_statements_reset(oid, oid, bigint, boolean)');
    assert.equal(resetFunctionSignature('public', '1.11'), 'public.pg_stat_statements_reset(oid, oid, bigint, boolean)');
    assert.equal(resetFunctionSignature('public', '1.10'), 'public.pg_stat_statements_reset(oid, oid, bigint)');
    assert.equal(resetFunctionSignature('ext', '1.8'), 'ext.pg_stat_statements_reset(oid, oid, bigint)');
    assert.equal(resetFunctionSignature('public', '1.6'), 'public.pg_stat_statements_reset()');
    assert.equal(
      resetRefusedMessage('App User', 'public', '1.10'),
      'Role "App User" may not reset pg_stat_statements: that needs a superuser or the EXECUTE privilege on the reset function. A superuser can grant it with: GRANT EXECUTE ON FUNCTION public.pg_stat_statements_reset(oid, oid, bigint) TO "App User";',
    );
  });
});
