/**
 * `non-sargable-predicate`: a condition written so that the index on its
 * column cannot be used: the column wrapped in a function (`lower(email) =
 * $1`, `date_trunc('day', created_at) = …`), a cast (`created_at::date =
 * $1`), arithmetic (`total + 1 = $1`) or COALESCE, when no expression index
 * matches the wrapped form; and a LIKE pattern starting with a wildcard (or
 * any ILIKE) on a column with only a btree index and no trigram index. Only
 * where the bare column is indexed, so the fix is within reach; each message
 * says how to rewrite the condition or which index to add.
 */
import type { ColumnNeed, TableAccess, WrappedExpression } from '../advice/access';
import { expressionProposal, trigramProposal } from '../advice/candidate';
import { columnIsIndexed, indexServes, isTrigramKey, keyMatches, usable } from '../advice/coverage';
import { expressionIndexable, rangeExample, wrapperFix } from '../advice/wrappers';
import { displayName, findColumn, type TableInfo } from '../schema/model';
import { proposalData, rowsText, severityFor, type Advice, type SqlRuleOptions } from './finding';

export const RULE_ID = 'non-sargable-predicate';

const CASE_FUNCTIONS = new Set(['lower', 'upper']);

export function nonSargable(accesses: readonly TableAccess[], options: SqlRuleOptions = {}): Advice[] {
  const out: Advice[] = [];
  const seen = new Set<string>();
  for (const a of accesses) {
    const severity = severityFor(a.table, options);
    if (!severity) continue;
    for (const n of a.needs) {
      if (n.role !== 'filter') continue;
      const advice = n.pattern ? patternAdvice(a, n) : n.wrapper ? wrapperAdvice(a, n as ColumnNeed & { wrapper: WrappedExpression }) : undefined;
      if (!advice) continue;
      const key = `${advice.start}:${advice.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...advice, severity });
    }
  }
  return out;
}

type Draft = Omit<Advice, 'severity'>;

function wrapperAdvice(a: TableAccess, n: ColumnNeed & { wrapper: WrappedExpression }): Draft | undefined {
  const plain = columnIsIndexed(a.table, n.column, a);
  if (!plain) return undefined;
  if (a.table.indexes.some((i) => usable(i, a) && keyMatches(i.keys[0], n))) return undefined;
  const w = n.wrapper;
  const fix = wrapperFix(w);
  const indexable = expressionIndexable(w, findColumn(a.table, n.column)?.type);
  const proposal = indexable && fix !== 'arithmetic' ? expressionProposal(a.table, n) : undefined;
  const orIndex = proposal ? `; or add an expression index: ${proposal.ddl}` : '';
  const on = `${displayName(a.table)} (${rowsText(a.table)})`;
  let why = `${w.text} hides ${n.column} from its index ${plain.name} on ${on}`;
  let advice: string;
  if (fix === 'range') {
    advice = `Compare the bare column with a range instead, ${rangeExample(w, n.column)}${orIndex}`;
  } else if (fix === 'arithmetic') {
    why = `Arithmetic on ${n.column} (${w.text}) keeps the index ${plain.name} of ${on} from being used`;
    advice = `Move the arithmetic to the other side of the comparison, e.g. \`${n.column} = $1 - 1\` instead of \`${n.column} + 1 = $1\``;
  } else if (w.kind === 'coalesce') {
    advice = `Compare the column itself (\`${n.column} = $1\`, with \`OR ${n.column} IS NULL\` when the default matters)${orIndex}`;
  } else if (w.kind === 'function' && CASE_FUNCTIONS.has(w.name.toLowerCase())) {
    advice = `Add an expression index: ${proposal?.ddl ?? ''} (or store the value normalised, or make the column citext)`;
  } else {
    advice = `Compare the bare column${orIndex}`;
  }
  return {
    ruleId: RULE_ID,
    start: w.start,
    end: w.end,
    message: `${why}. ${advice}`,
    related: [],
    data: { ...(proposal ? proposalData(a.table, proposal) : { table: displayName(a.table), columns: [n.column] }), fix: proposal && fix === 'expression' ? 'expression-index' : 'rewrite', wrapper: w.kind, expression: w.text },
  };
}

function patternAdvice(a: TableAccess, n: ColumnNeed): Draft | undefined {
  const p = n.pattern;
  if (!p || !p.constant || !(p.leadingWildcard || p.operator === 'ILIKE')) return undefined;
  const indexed = n.wrapper ? a.table.indexes.find((i) => usable(i, a) && keyMatches(i.keys[0], n)) : columnIsIndexed(a.table, n.column, a);
  if (!indexed) return undefined;
  if (hasTrigram(a.table, n, a)) return undefined;
  const proposal = trigramProposal(a.table, n);
  const target = n.wrapper ? n.wrapper.text : n.column;
  const why = p.leadingWildcard
    ? `A ${p.operator} pattern that starts with a wildcard cannot use the btree index ${indexed.name} on ${target} of ${displayName(a.table)} (${rowsText(a.table)})`
    : `ILIKE cannot use the btree index ${indexed.name} on ${target} of ${displayName(a.table)} (${rowsText(a.table)})`;
  const fix = p.leadingWildcard
    ? `A trigram index can search it: CREATE EXTENSION IF NOT EXISTS pg_trgm; ${proposal.ddl}`
    : `Compare \`lower(${n.column}) LIKE lower(…)\` with an expression index on lower(${n.column}), or add a trigram index (pg_trgm): ${proposal.ddl}`;
  return {
    ruleId: RULE_ID,
    start: n.wrapper ? n.wrapper.start : n.start,
    end: p.end,
    message: `${why}. ${fix}`,
    related: [],
    data: { ...proposalData(a.table, proposal), fix: 'trigram-index', extension: 'pg_trgm' },
  };
}

function hasTrigram(table: TableInfo, n: ColumnNeed, a: TableAccess): boolean {
  return table.indexes.some((i) => i.keys.some((k) => isTrigramKey(k) && keyMatches(k, n)) && indexServes(i, n, a));
}
