/**
 * Candidate indexes for one explained statement, for the plan view's index
 * advice. The statement's predicates, joins and ORDER BY are resolved per
 * table against the schema model (the same analysis the code diagnostics
 * use), and each table gets:
 *
 * - one btree over its filters: equality columns, then one range column,
 *   then the sort columns (see `proposeIndex`), a selective constant
 *   condition on a column of few distinct values becoming the predicate of
 *   a partial index and a
 *   function-wrapped column an expression key;
 * - one btree per join column, led by the join column, followed by the
 *   table's equalities, when the other side of the join is filtered or
 *   limited (then this table is the inner side of a nested loop, which
 *   looks rows up by the join column);
 * - a trigram GIN index for each LIKE/ILIKE pattern with a leading wildcard.
 *
 * Unlike the `missing-index` diagnostic, which stays quiet on a table that
 * any index reaches, this is generous: every candidate is verified against
 * the planner before it is shown, so a second index on a table is proposed
 * when it is the better one. A candidate an existing valid index already
 * covers (same leading keys, or a trigram index on the column) is left out.
 *
 * Wrapped columns that only a rewrite can help (arithmetic, a day taken
 * from a timestamp) get no candidate: an index on the bare column cannot
 * help the statement as it is written, so no verification could show it.
 *
 * The SQL parser must be loaded (`loadSqlParser()`).
 */
import { isSearchableFilter, type ColumnNeed, type TableAccess } from './access';
import { proposeIndex, trigramProposal, type IndexProposal } from './candidate';
import { isTrigramKey, keyMatches, usable } from './coverage';
import { createIndexDdl, indexName, trialIndexDdl } from './ddl';
import { distinctValues } from './selectivity';
import { expressionIndexable, wrapperFix } from './wrappers';
import { truncateName } from '../schema/indexDefinition';
import { displayName, findColumn, type IndexInfo, type SchemaModel } from '../schema/model';
import { analyzeStatement } from '../sql/analyze';
import { parseSql } from '../sql/parser';
import { resolveStatement } from '../sqlrules/resolve';

export interface IndexCandidate {
  /** Unique among the statement's candidates and in the index's schema: the index name. */
  readonly name: string;
  readonly proposal: IndexProposal;
  /** `public.orders`, for the view. */
  readonly table: string;
  readonly schema: string;
  readonly tableName: string;
  /** What the index serves, in words ("the filter on note"). */
  readonly reason: string;
  /** `CREATE INDEX CONCURRENTLY …;`, to copy or put in a migration. */
  readonly ddl: string;
  /** The same index without CONCURRENTLY, which HypoPG and a transaction accept. */
  readonly trialDdl: string;
  readonly extension?: 'pg_trgm';
  /**
   * Verify against this statement instead of the explained one: the lookup
   * a foreign key's trigger runs for each changed row, whose plan EXPLAIN of
   * the statement does not show. `$n` take the values of `columns` from a
   * row of the table.
   */
  readonly probe?: { readonly sql: string; readonly columns: readonly string[] };
}

/** At most this many candidates per statement: each one is an EXPLAIN (or an index build) to verify. */
export const MAX_CANDIDATES = 6;

/** Candidates for the first statement of `sql`; none when it does not parse. */
export function statementCandidates(sql: string, model: SchemaModel): IndexCandidate[] {
  return statementCandidatesIn(sql, model, takenIndexNames(model));
}

/** The same, naming candidates apart from `taken` (which it extends). */
export function statementCandidatesIn(sql: string, model: SchemaModel, taken: Set<string>): IndexCandidate[] {
  const parsed = parseSql(sql);
  const statement = parsed.ok ? parsed.statements[0] : undefined;
  if (!statement) return [];
  const resolved = resolveStatement(analyzeStatement(statement.node, statement.text), model);
  const out: IndexCandidate[] = [];
  const seen = new Set<string>();
  const push = (proposal: IndexProposal, reason: string) => {
    const key = `${displayName(proposal.table)}:${proposal.ddl}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(candidate(proposal, reason, taken));
  };
  for (const access of resolved.accesses) {
    for (const { proposal, reason } of accessProposals(access, resolved.accesses)) {
      const existing = coveringIndex(proposal, access);
      if (!existing) push(proposal, reason);
      // The same keys storing what the statement returns: an index-only scan, verified like the others.
      const covering = resolved.accesses.length === 1 ? coveringProposal(proposal, access, existing) : undefined;
      if (covering) push(covering, `${reason}, returning ${covering.include!.join(', ')} from the index alone`);
      if (out.length >= MAX_CANDIDATES) return out.slice(0, MAX_CANDIDATES);
    }
  }
  return out;
}

interface Draft {
  readonly proposal: IndexProposal;
  readonly reason: string;
}

/** A constant on a column with more distinct values than this is a key, never a partial-index predicate. */
const PREDICATE_MAX_DISTINCT = 1000;

function accessProposals(a: TableAccess, all: readonly TableAccess[]): Draft[] {
  const indexable = (n: ColumnNeed) => !n.wrapper || (wrapperFix(n.wrapper) === 'expression' && expressionIndexable(n.wrapper, findColumn(a.table, n.column)?.type));
  const trigram = (n: ColumnNeed) => n.pattern !== undefined && (n.pattern.leadingWildcard || n.pattern.operator === 'ILIKE');
  const filters = a.needs.filter((n) => isSearchableFilter(n) && indexable(n)).map((n) => keyedConstant(n, a));
  const btree = filters.filter((n) => !trigram(n));
  const equalities = btree.filter((n) => n.kind === 'equality' && !n.wrapper);
  const order = a.needs.filter((n) => n.role === 'order' && !n.wrapper);
  // A join column leads an index only on the side a nested loop would look up: the other side is filtered or limited.
  const joins = a.needs.filter((n) => n.role === 'join' && !n.underOr && !n.wrapper && drives(n.peer ? all[n.peer.access] : undefined));
  const drafts: Draft[] = [];
  const add = (proposal: IndexProposal | undefined) => {
    if (proposal) drafts.push({ proposal, reason: describe(proposal.serves) });
  };
  // Sort columns alone are worth an index only when a LIMIT lets the scan stop early.
  if (btree.length > 0 || (order.length > 0 && a.limited)) add(proposeIndex(a, [...btree, ...order]));
  const joinColumns = new Set<string>();
  for (const j of joins) {
    if (joinColumns.has(j.column)) continue;
    joinColumns.add(j.column);
    add(proposeIndex(a, [j, ...equalities.filter((e) => e.column !== j.column)]));
  }
  for (const n of filters.filter(trigram)) add(trigramProposal(a.table, n));
  return drafts;
}

/** At most this many columns are added with INCLUDE: more widens the index more than an index-only scan is worth. */
const MAX_INCLUDED = 3;

/**
 * The proposal with INCLUDE for the other columns the statement needs from
 * the table (what it returns, and conditions that are not keys), when the
 * select list says which they are and they are few; undefined when the keys
 * already hold everything, or an existing index already stores them. Only
 * for statements on one table: in a join the inner side's lookups dominate.
 */
function coveringProposal(p: IndexProposal, a: TableAccess, existing: IndexInfo | undefined): IndexProposal | undefined {
  if (p.method !== 'btree' || a.reads === undefined || a.needs.some((n) => n.wrapper)) return undefined;
  const keys = new Set(p.serves.map((n) => n.column));
  // A condition the partial index's predicate implies needs no column in the index.
  const implied = (n: ColumnNeed) => p.predicate !== undefined && n.conjunct !== undefined && p.predicate.includes(n.conjunct.text);
  const needed = new Set([...a.reads, ...a.needs.filter((n) => !implied(n)).map((n) => n.column)]);
  const extra = [...needed].filter((c) => !keys.has(c) && findColumn(a.table, c) !== undefined);
  if (extra.length === 0 || extra.length > MAX_INCLUDED) return undefined;
  if (existing && extra.every((c) => existing.include.includes(c) || existing.keys.some((k) => k.kind === 'column' && k.column === c))) return undefined;
  const shape = { table: p.table, method: p.method, keys: p.keys, nameParts: [...p.nameParts, ...extra], include: extra, ...(p.predicate ? { predicate: p.predicate } : {}) };
  const name = indexName(shape);
  return { ...shape, name, ddl: createIndexDdl(shape, name), serves: p.serves };
}

function drives(peer: TableAccess | undefined): boolean {
  return peer !== undefined && (peer.limited || peer.needs.some(isSearchableFilter));
}

/**
 * `note = 'note 4242'` on a column of many distinct values: a partial index
 * for that one value would serve this statement and no other, so the
 * column becomes a key instead.
 */
function keyedConstant(n: ColumnNeed, a: TableAccess): ColumnNeed {
  if (!n.constant || n.kind !== 'equality' || n.wrapper) return n;
  const distinct = distinctValues(findColumn(a.table, n.column), a.table.rowEstimate);
  return distinct !== undefined && distinct > PREDICATE_MAX_DISTINCT ? { ...n, constant: false } : n;
}

/** "the filter on note, ORDER BY created_at" */
function describe(needs: readonly ColumnNeed[]): string {
  const part = (role: ColumnNeed['role']) => needs.filter((n) => n.role === role).map((n) => (n.wrapper ? n.wrapper.text : n.column));
  const filters = part('filter');
  const joins = part('join');
  const order = part('order');
  const pattern = needs.find((n) => n.pattern && (n.pattern.leadingWildcard || n.pattern.operator === 'ILIKE'));
  const words: string[] = [];
  if (joins.length > 0) words.push(`the join on ${joins.join(', ')}`);
  if (pattern) words.push(`the ${pattern.pattern?.operator ?? 'LIKE'} pattern on ${pattern.wrapper ? pattern.wrapper.text : pattern.column}`);
  else if (filters.length > 0) words.push(`the filter on ${filters.join(', ')}`);
  if (order.length > 0) words.push(`ORDER BY ${order.join(', ')}`);
  return words.join(', ');
}

/**
 * An existing valid index (whose predicate, if any, the statement implies)
 * with the candidate's keys first: equality keys in any order, then the
 * range and sort keys in order. For a trigram candidate, a trigram index on
 * the same column or expression.
 */
export function coveringIndex(p: IndexProposal, a: TableAccess): IndexInfo | undefined {
  return a.table.indexes.find((i) => usable(i, a) && covers(i, p));
}

function covers(i: IndexInfo, p: IndexProposal): boolean {
  if (p.method === 'gin') return i.keys.some((k) => isTrigramKey(k) && p.serves.some((n) => keyMatches(k, n)));
  if (i.method !== 'btree' || i.keys.length < p.serves.length) return false;
  const isEquality = (n: ColumnNeed) => n.role !== 'order' && n.kind !== 'range' && n.kind !== 'pattern';
  let lead = 0;
  while (lead < p.serves.length && isEquality(p.serves[lead] as ColumnNeed)) lead++;
  const eq = p.serves.slice(0, lead);
  const head = i.keys.slice(0, lead);
  if (!eq.every((n) => head.some((k) => keyMatches(k, n)))) return false;
  return p.serves.slice(lead).every((n, at) => keyMatches(i.keys[lead + at], n));
}

/** The names indexes already have, `schema.name`: a candidate takes another. */
export function takenIndexNames(model: SchemaModel): Set<string> {
  return new Set(model.tables.flatMap((t) => t.indexes.map((i) => `${t.schema}.${i.name}`)));
}

/** The candidate under a name no index of its schema has yet (`_2`, `_3`… when needed). */
export function candidate(p: IndexProposal, reason: string, taken: Set<string>): IndexCandidate {
  let name = p.name;
  for (let k = 2; taken.has(`${p.table.schema}.${name}`); k++) name = truncateName(p.name.replace(/_idx$/, ''), `_${k}_idx`);
  taken.add(`${p.table.schema}.${name}`);
  const ddl = name === p.name ? p.ddl : createIndexDdl(p, name);
  return {
    name,
    proposal: { ...p, name, ddl },
    table: displayName(p.table),
    schema: p.table.schema,
    tableName: p.table.name,
    reason,
    ddl,
    trialDdl: trialIndexDdl(p, name),
    ...(p.extension ? { extension: p.extension } : {}),
  };
}
