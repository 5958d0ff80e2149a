/**
 * The analysis' "sites" request, as the worker answers it: statements
 * matched over every indexed file, with editor positions, and a file
 * edited or forgotten taking its sites with it.
 */
import assert from 'node:assert/strict';
import { AnalysisEngine } from '../../../src/diagnostics/engine';
import { fsGrammarSource } from '../../../src/diagnostics/grammarSource';
import { handle, type SitesResult } from '../../../src/diagnostics/protocol';

const ORDERS = 'export async function big(db) {\n  return db.query(\n    "SELECT count(*) FROM sq_orders WHERE amount > $1", [10]);\n}\n';
/** A query file: a comment, a broken statement (skipped), and the orders statement on its third line. */
const SQL_FILE = '-- reports\nSELEC oops;\nselect COUNT(*)\n  from sq_orders where amount > 100;\n';
const USERS = "def load(cur, email):\n    cur.execute('SELECT id FROM users WHERE email = %s', (email,))\n    cur.execute('select count(*) from sq_orders where amount > 5')\n";

describe('diagnostics/sites', () => {
  const engine = new AnalysisEngine(fsGrammarSource());

  before(async () => {
    await handle(engine, { op: 'update', path: 'src/orders.ts', text: ORDERS });
    await handle(engine, { op: 'update', path: 'app/users.py', text: USERS });
    await handle(engine, { op: 'update', path: 'db/report.sql', text: SQL_FILE });
  });

  async function sites(paths?: readonly string[]): Promise<SitesResult> {
    const result = await handle(engine, {
      op: 'sites',
      statements: [
        { key: 'orders', text: 'SELECT count(*) FROM sq_orders WHERE amount > $1' },
        { key: 'users', text: 'SELECT id FROM users WHERE email = $1' },
        { key: 'none', text: 'SELECT 1 FROM nowhere' },
      ],
      ...(paths ? { paths } : {}),
    });
    return result as SitesResult;
  }

  it('finds each statement in every indexed source and .sql file, with lines and characters', async () => {
    const result = await sites();
    assert.equal(result.files, 3);
    assert.deepEqual(Object.keys(result.sites).sort(), ['orders', 'users']);
    assert.deepEqual(result.sites.orders?.map((s) => [s.path, s.range.startLine, s.range.startCharacter, s.confidence, s.lineCount]), [
      ['app/users.py', 2, 16, 'exact', 4],
      ['db/report.sql', 2, 0, 'exact', 5],
      ['src/orders.ts', 2, 4, 'exact', 5],
    ]);
    const inSqlFile = result.sites.orders?.find((s) => s.path === 'db/report.sql');
    assert.equal(SQL_FILE.slice(inSqlFile!.start, inSqlFile!.end), 'select COUNT(*)\n  from sq_orders where amount > 100');
    assert.equal(inSqlFile?.label, 'SQL file statement');
    assert.deepEqual(result.sites.users?.map((s) => [s.path, s.range.startLine, s.kind]), [['app/users.py', 1, 'sql']]);
  });

  it('searches only the paths asked for, and follows edits and forgotten files', async () => {
    assert.deepEqual(Object.keys((await sites(['src/orders.ts'])).sites), ['orders']);
    await handle(engine, { op: 'update', path: 'src/orders.ts', text: ORDERS.replace('amount >', 'amount <') });
    assert.deepEqual((await sites()).sites.orders?.map((s) => s.path), ['app/users.py', 'db/report.sql']);
    await handle(engine, { op: 'forget', path: 'app/users.py' });
    await handle(engine, { op: 'forget', path: 'db/report.sql' });
    assert.deepEqual((await sites()).sites, {});
  });
});
