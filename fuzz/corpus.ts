/**
 * The seeds the fuzz run mutates: the safety probes and the hostile schema,
 * the SQL of the test fixtures, the captured plans, and the code samples.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { HOSTILE_SQL, PROBES } from '../test/db/safety/hostile';

export interface Corpus {
  readonly sql: string[];
  readonly plans: string[];
  readonly code: Array<{ path: string; text: string }>;
}

function files(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.includes(extname(p))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function loadCorpus(root: string): Corpus {
  const fixtures = join(root, 'test', 'fixtures');
  const sql = [
    ...PROBES.map((p) => p.sql),
    ...HOSTILE_SQL.split(';\n').map((s) => s.trim()).filter((s) => s.length > 0),
    ...files(fixtures, ['.sql']).map((f) => readFileSync(f, 'utf8')),
  ];
  const plans = files(join(fixtures, 'plans'), ['.json']).filter((f) => !f.endsWith('.meta.json')).map((f) => readFileSync(f, 'utf8'));
  const code = files(join(fixtures, 'code'), ['.ts', '.js', '.py', '.go', '.rb'])
    .map((f) => ({ path: f, text: readFileSync(f, 'utf8') }))
    .filter((f) => f.text.length < 20_000);
  return { sql, plans, code };
}
