/**
 * The real PostgreSQL grammar (libpg-query, compiled to WebAssembly), loaded
 * lazily and once.
 *
 * Requiring libpg-query starts compiling its .wasm at once, so the module is
 * only required inside `loadSqlParser()`. The Emscripten loader looks for
 * `libpg-query.wasm` next to the script that contains it (`__dirname`): under
 * out/ that is node_modules/libpg-query/wasm/, and in the bundle it is dist/,
 * where esbuild.mjs copies the file. No locateFile option is needed.
 *
 * After loading, parsing is synchronous. Locations are converted from the
 * parser's UTF-8 bytes (nodes, statements, tokens) and code points (error
 * cursors) to UTF-16 offsets.
 */
import type * as LibPgQuery from 'libpg-query';
import { codePointToUtf16, utf8ToUtf16 } from './offsets';

type ParserModule = typeof LibPgQuery;

/** A raw statement node as the parser returns it, e.g. `{ SelectStmt: {...} }`. */
export type StatementNode = Record<string, unknown>;

export interface ParsedStatement {
  /** The node type without its wrapper, e.g. "SelectStmt", "InsertStmt". */
  readonly type: string;
  readonly node: StatementNode;
  /** UTF-16 offsets of the statement in the parsed text: first token to last token. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface SqlSyntaxError {
  readonly message: string;
  /** UTF-16 offset in the parsed text. */
  readonly position: number;
}

export type ParseOutcome =
  | { readonly ok: true; readonly statements: readonly ParsedStatement[] }
  | { readonly ok: false; readonly error: SqlSyntaxError };

let parser: ParserModule | undefined;
let loading: Promise<ParserModule> | undefined;

/** Loads the grammar (about 60 ms the first time); later calls return at once. */
export async function loadSqlParser(): Promise<void> {
  if (parser) return;
  loading ??= import('libpg-query').then(async (mod) => {
    await mod.loadModule();
    parser = mod;
    return mod;
  });
  try {
    await loading;
  } catch (e) {
    // Let a later call try again instead of caching the failure forever.
    loading = undefined;
    throw e;
  }
}

export function isSqlParserLoaded(): boolean {
  return parser !== undefined;
}

function loadedParser(): ParserModule {
  if (!parser) throw new Error('The SQL parser is not loaded yet: await loadSqlParser() first.');
  return parser;
}

interface RawStatement {
  stmt?: StatementNode;
  stmt_location?: number;
  stmt_len?: number;
}

/** Parses `text` into statements with UTF-16 ranges, or returns the first syntax error. */
export function parseSql(text: string): ParseOutcome {
  const pg = loadedParser();
  if (text.trim() === '') return { ok: true, statements: [] };
  // The grammar reads a C string, which ends at the first NUL; PostgreSQL refuses NUL in any text.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { ok: false, error: { message: 'the text holds a NUL character (U+0000), which PostgreSQL does not accept', position: nul } };
  let raw: RawStatement[];
  try {
    raw = parseStatements(pg, text);
  } catch (e) {
    return { ok: false, error: syntaxError(text, e) };
  }
  if (raw.length === 0) return { ok: true, statements: [] };
  const toUtf16 = utf8ToUtf16(text);
  const tokens = significantTokenEnds(pg, text);
  const statements: ParsedStatement[] = [];
  for (const r of raw) {
    if (!r.stmt) continue;
    const byteStart = r.stmt_location ?? 0;
    // stmt_len 0 (omitted) means "to the end of the text".
    const byteLimit = r.stmt_len ? byteStart + r.stmt_len : Number.MAX_SAFE_INTEGER;
    const byteEnd = lastTokenEnd(tokens, byteStart, byteLimit);
    const start = toUtf16(byteStart);
    const end = Math.max(start, toUtf16(byteEnd));
    statements.push({ type: Object.keys(r.stmt)[0] ?? 'Unknown', node: r.stmt, start, end, text: text.slice(start, end) });
  }
  return { ok: true, statements };
}

/**
 * Byte ends of the tokens that are not comments or semicolons, ascending.
 * The scanner can only fail on lexer errors, which the parser already ruled out.
 */
function significantTokenEnds(pg: ParserModule, text: string): number[] {
  const ends: number[] = [];
  // Only positions are read here, and a control character's stand-in keeps them (one byte for one byte).
  for (const t of pg.scanSync(withoutControlCharacters(text)).tokens) {
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT' || t.text === ';') continue;
    ends.push(t.end);
  }
  return ends;
}

/**
 * libpg-query hands its results over as JSON and does not escape every
 * control character it copies from the text (a form feed or U+001A inside a
 * literal makes its JSON unreadable). Such a text is parsed again with those
 * characters as spaces: the same byte length, so every location holds, and
 * the same statements, since a control character can be neither a quote nor
 * a semicolon. The server still reads the original text.
 */
function parseStatements(pg: ParserModule, text: string): RawStatement[] {
  try {
    return (pg.parseSync(text) as { stmts?: RawStatement[] }).stmts ?? [];
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    return (pg.parseSync(withoutControlCharacters(text)) as { stmts?: RawStatement[] }).stmts ?? [];
  }
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** The end of the last significant token inside [from, limit). */
function lastTokenEnd(ends: readonly number[], from: number, limit: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ends[mid] ?? 0) <= limit) lo = mid + 1;
    else hi = mid;
  }
  const last = ends[lo - 1];
  return last !== undefined && last > from ? last : from;
}

function syntaxError(text: string, e: unknown): SqlSyntaxError {
  const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const message = e instanceof Error ? e.message : String(e);
  const cursor = details?.cursorPosition ?? 0;
  return { message, position: Math.min(codePointToUtf16(text, cursor), text.length) };
}

/**
 * libpg-query's fingerprint of a statement's parse tree: constants,
 * parameters, comments, whitespace and keyword case do not count, so two
 * texts that PostgreSQL would group together get the same value. Null when
 * the text does not parse.
 */
export function fingerprintSql(text: string): string | null {
  try {
    return loadedParser().fingerprintSync(text);
  } catch (e) {
    if (!parser) throw e;
    return null;
  }
}

/** The statement nodes of `text` without their ranges: cheaper than `parseSql` when only the tree matters. Null on a syntax error. */
export function parseStatementNodes(text: string): StatementNode[] | null {
  const pg = loadedParser();
  if (text.includes('\u0000')) return null;
  try {
    return parseStatements(pg, text).flatMap((r) => (r.stmt ? [r.stmt] : []));
  } catch {
    return null;
  }
}
