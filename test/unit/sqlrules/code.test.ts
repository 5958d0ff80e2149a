/**
 * The SQL rules over SQL that code analysis found in source files: offsets
 * land on the source characters (through template substitutions, Python
 * `%s` and non-ASCII text), and suppression comments apply.
 */
import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { checkSummarySql } from '../../../src/core/sqlrules/check';
import { summarizeSnippet } from '../code/support';
import { schemaOf, SHOP_DDL } from './support';

const schema = () => schemaOf(SHOP_DDL, { users: 50_000, orders: 1_200_000 });

describe('SQL rules on SQL found in code', () => {
  before(() => loadSqlParser());

  it('TypeScript: template literals with substitutions and non-ASCII comments', async () => {
    const code = [
      "import { Pool } from 'pg';",
      '// Kundenübersicht 👥 — lookups by name',
      'export async function byName(pool: Pool, name: string) {',
      '  return pool.query(`SELECT * FROM users WHERE name = ${name} /* grüß */`);',
      '}',
      'export async function byEmail(pool: Pool, email: string) {',
      "  return pool.query('SELECT * FROM users WHERE lower(email) = $1', [email]);",
      '}',
      'export async function broken(pool: Pool) {',
      "  return pool.query('SELECT * FROM users WHERE id = $1 AND AND name = $2', [1, 'x']);",
      '}',
    ].join('\n');
    const summary = await summarizeSnippet('typescript', code, 'src/users.ts');
    const findings = checkSummarySql(summary, schema());
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${code.slice(f.start, f.end)}`), ['missing-index name', 'non-sargable-predicate lower(email)', 'sql-syntax AND']);
    assert.equal(findings[2]!.start, code.indexOf('AND AND') + 4);
    assert.ok(findings.every((f) => f.path === 'src/users.ts'));
  });

  it('Python: %s placeholders and suppression comments', async () => {
    const code = [
      '# Bestellungen für Straße ß',
      'def pending(cur, user_id):',
      "    cur.execute(\"SELECT * FROM orders WHERE user_id = %s AND status = 'pending'\", (user_id,))",
      '',
      'def by_total(cur, total):',
      '    # pg-insight-ignore missing-index',
      '    cur.execute("SELECT * FROM orders WHERE total = %(total)s", {"total": total})',
    ].join('\n');
    const summary = await summarizeSnippet('python', code, 'app/orders.py');
    const findings = checkSummarySql(summary, schema());
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.severity} ${code.slice(f.start, f.end)}`), ['missing-index warning user_id']);
    assert.match(findings[0]!.message, /CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders \(user_id\) WHERE status = 'pending';/);
  });
});
