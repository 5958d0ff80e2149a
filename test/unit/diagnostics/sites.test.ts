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
const USERS = "def load(cur, email):\n    cur.execute('SELECT id FROM users WHERE email = %s', (email,))\n    cur.execute('select count(*) from sq_orders where amount > 5')\n";

describe('diagnostics/sites', () => {
  const engine = new AnalysisEngine(fsGrammarSource());

  before(async () => {
    await handle(engine, { op: 'update', path: 'src/orders.ts', text: ORDERS });
    await handle(engine, { op: 'update', path: 'app/users.py', text: USERS });
    await handle(engine, { op: 'update', path: 'db/schema.sql', text: 'SELECT count(*) FROM sq_orders WHERE amount > 1;' });
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

  it('finds each statement in every indexed source file, with lines and characters', async () => {
    const result = await sites();
    assert.equal(result.files, 2, 'the .sql file is not a source file');
    assert.deepEqual(Object.keys(result.sites).sort(), ['orders', 'users']);
    assert.deepEqual(result.sites.orders?.map((s) => [s.path, s.range.startLine, s.range.startCharacter, s.confidence, s.lineCount]), [
      ['app/users.py', 2, 16, 'exact', 4],
      ['src/orders.ts', 2, 4, 'exact', 5],
    ]);
    assert.deepEqual(result.sites.users?.map((s) => [s.path, s.range.startLine, s.kind]), [['app/users.py', 1, 'sql']]);
  });

  it('searches only the paths asked for, and follows edits and forgotten files', async () => {
    assert.deepEqual(Object.keys((await sites(['src/orders.ts'])).sites), ['orders']);
    await handle(engine, { op: 'update', path: 'src/orders.ts', text: ORDERS.replace('amount >', 'amount <') });
    assert.deepEqual((await sites()).sites.orders?.map((s) => s.path), ['app/users.py']);
    await handle(engine, { op: 'forget', path: 'app/users.py' });
    assert.deepEqual((await sites()).sites, {});
  });
});
