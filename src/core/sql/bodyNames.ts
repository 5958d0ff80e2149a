/**
 * What a function body that PostgreSQL keeps only as text (PL/pgSQL, or an
 * SQL function written as a string) may call. The body is not parsed: every
 * word that could be a function or table name is returned, including the
 * words inside string literals, because PL/pgSQL's EXECUTE runs SQL built
 * from strings. The caller looks the words up in the catalog, so a word that
 * names nothing costs nothing, and a word that names something is judged.
 */

export interface BodyNames {
  /** Lower-cased identifiers (quoted ones keep their case), without duplicates. */
  readonly names: readonly string[];
  /** The body runs SQL it builds at run time (PL/pgSQL EXECUTE, or a call to a function that does, by name). */
  readonly dynamic: boolean;
}

/** Words of PL/pgSQL and SQL that never name a function or table, left out to keep the lookup small. */
const keywords = new Set([
  'begin', 'end', 'declare', 'return', 'returns', 'if', 'then', 'else', 'elsif', 'loop', 'for', 'in', 'while', 'exit',
  'continue', 'perform', 'raise', 'notice', 'exception', 'when', 'others', 'null', 'true', 'false', 'and', 'or', 'not',
  'select', 'from', 'where', 'into', 'strict', 'as', 'is', 'case', 'found', 'new', 'old', 'tg_op', 'using', 'query',
  'integer', 'int', 'text', 'boolean', 'bigint', 'numeric', 'record', 'void', 'language', 'plpgsql', 'sql', 'by',
  'order', 'group', 'limit', 'offset', 'on', 'join', 'left', 'inner', 'outer', 'distinct', 'all', 'any', 'some',
  'between', 'like', 'ilike', 'with', 'values', 'set', 'get', 'diagnostics', 'constant', 'default', 'alias',
]);

const word = /"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/g;

export function namesInBody(body: string): BodyNames {
  const names = new Set<string>();
  let dynamic = false;
  for (const m of body.matchAll(word)) {
    const quoted = m[1];
    const plain = m[2];
    const name = quoted !== undefined ? quoted.replace(/""/g, '"') : (plain ?? '').toLowerCase();
    if (name === '') continue;
    if (quoted === undefined && name === 'execute') dynamic = true;
    if (quoted === undefined && keywords.has(name)) continue;
    names.add(name);
  }
  return { names: [...names], dynamic };
}
