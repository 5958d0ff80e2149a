/**
 * A statement's identity as PostgreSQL groups it in pg_stat_statements:
 * the parse-tree fingerprint of libpg-query, which leaves out constants,
 * parameters, comments, whitespace and keyword case. Code passes values as
 * `?`, `:name` or `%s` where the server sees `$n`, so those are rewritten
 * first; pg_stat_statements' own text is already in `$n` form and is taken
 * as it is (a `?` there is the jsonb operator, never a placeholder).
 *
 * The fingerprint is coarser than pg_stat_statements' queryid: it also
 * ignores casts of parameters, schema qualification and the difference
 * between `= $1`, `IN (…)` and `= ANY($1)` on the same column. For finding
 * the code behind a statement that is the useful direction: every code
 * site that could have issued it is found, and several server entries can
 * point at one site.
 *
 * The SQL parser must be loaded (`loadSqlParser`) before these are called.
 */
import { pyformatEdits } from '../code/sqlPlaceholders';
import { fingerprintSql } from '../sql/parser';
import { rewritePlaceholders } from '../sql/placeholders';

/** The fingerprint of a pg_stat_statements text; null when it does not parse (truncated texts, say). */
export function statementFingerprint(normalisedText: string): string | null {
  return normalisedText.trim() === '' ? null : fingerprintSql(normalisedText);
}

/** The fingerprint of SQL written in code, after its placeholders became `$n`; null when it does not parse. */
export function codeSqlFingerprint(text: string): string | null {
  if (text.trim() === '') return null;
  return fingerprintSql(dollarPlaceholders(text));
}

/** `?`, `:name`, `%s` and `%(name)s` as `$n`; `$n` already there stay. */
export function dollarPlaceholders(text: string): string {
  let out = text;
  if (/%(\(\w+\))?[sbt]/.test(out)) out = applyEdits(out, pyformatEdits(out));
  const rewrite = rewritePlaceholders(out);
  if (rewrite.placeholders.length === 0) return out;
  return applyEdits(out, rewrite.placeholders.map((p) => ({ from: p.start, to: p.end, replacement: `$${p.index}` })));
}

function applyEdits(text: string, edits: readonly { from: number; to: number; replacement: string }[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.from - b.from)) {
    out += text.slice(at, e.from) + e.replacement;
    at = e.to;
  }
  return out + text.slice(at);
}
