/**
 * Deterministic input generation for the fuzz run: text mutations aimed at
 * what breaks SQL and source handling (quotes, backslashes, dollar quotes,
 * comments, semicolons, placeholders, bidi controls, NUL, lone surrogates,
 * very long runs), from a seeded generator.
 */

export { prng, type Rand } from '../test/support/prng';
import type { Rand } from '../test/support/prng';

export function pick<T>(rand: Rand, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const pieces = [
  "'", "''", '\\', "\\'", '"', '$$', '$a$', '$1', '$10', '?', '?1', ':name', '::', ';', '; ', '--', '\n', '/*', '*/', '/* /* */',
  "E'", "U&'", "B'", "X'", '(', ')', '[', ']', ',', ' ', '\t', '\u202e', '\u2066', '\u0000', '\ud800', '\udc00', '😀', 'é',
  'SELECT', 'FROM', 'WHERE', 'INSERT INTO', 'UPDATE', 'DELETE FROM', 'WITH', 'RETURNING', 'FOR UPDATE', 'INTO', 'VALUES', 'BEGIN',
  'COMMIT', 'nextval(', 'pg_sleep(', 'dblink(', 'lower(', 'json_evil()', '::regclass', '===', 'EXPLAIN', 'COPY', 'DO $$', 'CALL',
  'CREATE', 'DROP', '1e309', '-', '9223372036854775808', 'NULL', 'LATERAL', 'ORDER BY', 'GROUP BY', 'UNION ALL', '*',
];

/** One mutation of `text`, sometimes splicing in `other`. */
export function mutateText(rand: Rand, text: string, other: string): string {
  const at = Math.floor(rand() * (text.length + 1));
  switch (Math.floor(rand() * 8)) {
    case 0:
    case 1:
      return text.slice(0, at) + pick(rand, pieces) + text.slice(at);
    case 2: {
      const end = Math.min(text.length, at + 1 + Math.floor(rand() * 12));
      return text.slice(0, at) + text.slice(end);
    }
    case 3: {
      const end = Math.min(text.length, at + 1 + Math.floor(rand() * 20));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 4: {
      const cut = Math.floor(rand() * (other.length + 1));
      return text.slice(0, at) + other.slice(cut);
    }
    case 5:
      return text.slice(0, at) + pick(rand, pieces).repeat(1 + Math.floor(rand() * 200)) + text.slice(at);
    case 6:
      return text.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x10000)) + text.slice(at);
    default:
      return text.slice(0, at);
  }
}

/** Several mutations in a row. */
export function mutateMany(rand: Rand, seeds: readonly string[]): string {
  let text = pick(rand, seeds);
  const rounds = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < rounds; i++) text = mutateText(rand, text, pick(rand, seeds));
  return text;
}

/** A structural mutation of parsed JSON: wrong types, missing keys, nesting, huge numbers. */
export function mutateJson(rand: Rand, value: unknown, depth = 0): unknown {
  if (rand() < 0.06) return pick(rand, [null, 5, -1, 1e308, Number.NaN, '5', 'x', true, [], {}, [null], { Plan: 5 }, { Plans: {} }] as unknown[]);
  if (Array.isArray(value)) {
    const out: unknown[] = (value as unknown[]).map((v) => (rand() < 0.3 ? mutateJson(rand, v, depth + 1) : v));
    if (rand() < 0.05) out.push(mutateJson(rand, out[0], depth + 1));
    if (rand() < 0.05) out.splice(0, 1);
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (rand() < 0.03) continue;
      out[k] = rand() < 0.3 ? mutateJson(rand, v, depth + 1) : v;
    }
    return out;
  }
  if (typeof value === 'number' && rand() < 0.2) return pick<unknown>(rand, [String(value), -value, value * 1e6, 0, null]);
  return value;
}
