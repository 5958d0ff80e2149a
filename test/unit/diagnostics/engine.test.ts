import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisEngine, isAnalyzable, looksBinary } from '../../../src/diagnostics/engine';
import { fsGrammarSource } from '../../../src/diagnostics/grammarSource';
import { isMigrationPath, offlineSchema } from '../../../src/diagnostics/offlineSchema';
import { handle } from '../../../src/diagnostics/protocol';

const ROOT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'workspaces', 'diagnostics');
const FILES = ['migrations/001_events.sql', 'src/orders.ts', 'app/reports.py'].map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

function text(path: string): string {
  return FILES.find((f) => f.path === path)?.text ?? '';
}

describe('diagnostics: analysis engine', function () {
  this.timeout(20_000);

  it('knows which files it reads', () => {
    assert.deepEqual(['a.ts', 'b.tsx', 'c.py', 'd.go', 'e.rb', 'f.sql', 'g.d.ts', 'h.md', 'i.png'].filter(isAnalyzable), ['a.ts', 'b.tsx', 'c.py', 'd.go', 'e.rb', 'f.sql']);
    assert.equal(looksBinary('PNG\u0000\u0001'), true);
    assert.equal(looksBinary('select 1'), false);
    assert.deepEqual(['migrations/1.sql', 'db/migrations/2.sql', 'queries.sql', 'migrations/readme.md'].filter(isMigrationPath), ['migrations/1.sql', 'db/migrations/2.sql']);
  });

  it('reports n-plus-one and, offline, missing-index at information severity', async () => {
    const engine = new AnalysisEngine(fsGrammarSource([join(ROOT, 'no-such-dir')]));
    engine.schema = (await offlineSchema(FILES))?.merged;
    assert.deepEqual(engine.schema?.tables.map((t) => t.name), ['customers', 'events']);
    for (const f of FILES) await engine.update(f.path, f.text);
    const ts = await engine.findings('src/orders.ts');
    assert.deepEqual(ts.map((f) => [f.ruleId, f.severity ?? 'warning', text('src/orders.ts').slice(f.start, f.end)]), [
      ['n-plus-one', 'warning', "pool.query('SELECT name FROM customers WHERE id = $1', [id])"],
      ['missing-index', 'information', 'customer_id'],
    ]);
    const py = await engine.findings('app/reports.py');
    assert.deepEqual(py.map((f) => f.ruleId), ['n-plus-one', 'missing-index']);
    assert.deepEqual(await engine.findings('migrations/001_events.sql', text('migrations/001_events.sql')), [], 'migrations are excluded');
  });

  it('honours the exclude globs and forgets deleted files', async () => {
    const engine = new AnalysisEngine(fsGrammarSource(), { excludeGlobs: ['app/**'] });
    for (const f of FILES) await engine.update(f.path, f.text);
    assert.deepEqual(await engine.findings('app/reports.py'), []);
    assert.equal(engine.fileCount, 2);
    engine.forget('src/orders.ts');
    assert.equal(engine.fileCount, 1);
    assert.deepEqual(await engine.findings('src/orders.ts'), []);
  });

  it('checks code in each package of a monorepo against the schema next to it', async () => {
    const ws = await offlineSchema([
      { path: 'packages/a/migrations/001.sql', text: 'CREATE TABLE events (id bigint PRIMARY KEY, customer_id bigint); CREATE INDEX events_customer ON events (customer_id);' },
      { path: 'packages/b/migrations/001.sql', text: 'CREATE TABLE events (id bigint PRIMARY KEY, customer_id bigint);' },
    ]);
    assert.ok(ws);
    const engine = new AnalysisEngine(fsGrammarSource([join(ROOT, 'no-such-dir')]));
    await handle(engine, { op: 'schema', schema: ws.merged, roots: ws.roots });
    const code = "export const q = (pool, id) => pool.query('SELECT * FROM events WHERE customer_id = $1', [id]);\n";
    for (const p of ['packages/a/src/q.ts', 'packages/b/src/q.ts']) await engine.update(p, code);
    assert.deepEqual((await engine.findings('packages/a/src/q.ts')).map((f) => f.ruleId), [], 'package a has the index');
    assert.deepEqual((await engine.findings('packages/b/src/q.ts')).map((f) => f.ruleId), ['missing-index'], 'package b has not');
  });
});
