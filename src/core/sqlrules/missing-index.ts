/**
 * `missing-index`: a table the statement filters, joins or sorts (with a
 * LIMIT) where no valid index can serve any of it, so every execution reads
 * the whole table. Only on tables over the row threshold (default 10,000
 * estimated rows); with no row counts (offline schemas) at Information
 * severity. Also the foreign keys a DELETE must check in other tables when
 * their columns have no index: each deleted row then scans the referencing
 * table. The message proposes the index; its DDL is in `data.ddl`.
 *
 * Quiet on purpose: a table already reached by one index (even if another
 * would be better), conditions under OR, patterns given as parameters,
 * wrapped columns whose bare column is indexed (`non-sargable-predicate`
 * speaks for those), and conditions that statistics show keep most rows
 * (offline, without statistics: a boolean flag alone keeps about half).
 */
import { isSearchableFilter, type ColumnNeed, type TableAccess } from '../advice/access';
import { proposeIndex, trigramProposal, type IndexProposal } from '../advice/candidate';
import { columnIsIndexed, coversColumns, servesOrder, servingIndex } from '../advice/coverage';
import { createIndexDdl } from '../advice/ddl';
import { rangeExample, wrapperFix } from '../advice/wrappers';
import { quoteIdent } from '../health/ident';
import { constantSelectivity, parameterSelectivity, typeSelectivity } from '../advice/selectivity';
import { displayName, findColumn, foreignKeys, referencingKeys, type SchemaModel, type TableInfo } from '../schema/model';
import { proposalData, rowsText, severityFor, type Advice, type SqlRuleOptions } from './finding';

export const RULE_ID = 'missing-index';

/** Filters that together keep more than this share of rows do not need an index. */
const UNSELECTIVE = 0.3;

export interface AccessSet {
  readonly accesses: readonly TableAccess[];
  /** The table a DELETE removes rows from. */
  readonly deleteTarget?: TableAccess;
}

export function missingIndex(set: AccessSet, model: SchemaModel, options: SqlRuleOptions = {}): Advice[] {
  const out: Advice[] = [];
  for (const access of set.accesses) {
    const severity = severityFor(access.table, options);
    if (!severity) continue;
    const found = tableAdvice(access, set.accesses);
    if (!found) continue;
    const { lead, proposal, what } = found;
    const others = proposal.serves.filter((n) => n !== lead);
    const where = proposal.predicate ? ` where ${proposal.predicate}` : '';
    out.push({
      ruleId: RULE_ID,
      start: lead.wrapper?.start ?? lead.start,
      end: lead.wrapper?.end ?? lead.end,
      severity,
      message: `No index on ${displayName(access.table)} serves ${what}${where} (${rowsText(access.table)}): each run reads the whole table.${rewriteNote(proposal.serves)} Proposed: ${proposal.ddl}`,
      related: others.map((n) => ({ start: n.start, end: n.end, message: `Also in the proposed index: ${n.column}` })),
      // `rewrite`: the index serves the condition only once it is written as the message says.
      data: { ...proposalData(access.table, proposal), ...(rewriteNote(proposal.serves) ? { rewrite: true } : {}) },
    });
  }
  if (set.deleteTarget) out.push(...cascadeAdvice(set.deleteTarget, model, options));
  return out;
}

interface TableFinding {
  readonly lead: ColumnNeed;
  readonly proposal: IndexProposal;
  readonly what: string;
}

function tableAdvice(a: TableAccess, all: readonly TableAccess[]): TableFinding | undefined {
  const filters = a.needs.filter(isSearchableFilter);
  const joins = a.needs.filter((n) => n.role === 'join' && !n.underOr);
  const order = a.needs.filter((n) => n.role === 'order');
  // The join that finds this table's rows from another table found first (filtered, or a top-N
  // query); never from the optional side of an outer join, whose rows are looked up, not searched.
  const drivers = joins.filter((j) => {
    // The other side is a CTE or subquery (`JOIN updated u ON f.id = u.feed_id`): computed first, it drives.
    if (j.peer && j.peer.access < 0) return true;
    const peer = j.peer ? all[j.peer.access] : undefined;
    return peer !== undefined && !peer.optional && (peer.needs.some(isSearchableFilter) || peer.limited);
  });
  const driven = drivers.find((j) => !(j.peer && j.peer.access < 0)) ?? drivers[0];
  // A table filtered in its own WHERE is reached through its joins only from tables found first:
  // the index on its join column (`memo.id`, the primary key) does nothing for its own filter.
  // Reached through any one served join (`f.id = e.feed_id`), it needs nothing more.
  const reaching = filters.length === 0 || a.optional ? joins : drivers;
  if ([...filters, ...reaching].some((n) => servingIndex(a.table, n, a))) return undefined;
  // The optional side of an outer join is reached through its join only: its ON conditions pick
  // matches (`AND memo_relation.type = 'COMMENT'`); they are no search of their own.
  if (a.optional) {
    if (!driven) return undefined;
    const proposal = proposeIndex(a, [driven, ...filters.filter((n) => n.kind === 'equality' && !n.wrapper)]);
    return proposal && { lead: driven, proposal, what: `the join on ${driven.column}${foreignKeyNote(a.table, driven.column)}` };
  }
  const equalities = filters.filter((n) => n.kind === 'equality' && !n.wrapper).map((n) => n.column);
  if (a.limited && a.table.indexes.some((i) => servesOrder(i, equalities, order, a))) return undefined;
  // A wrapped column or a pattern on an indexed column is non-sargable-predicate's to report.
  if (filters.some((n) => (n.wrapper || n.pattern?.leadingWildcard || n.pattern?.operator === 'ILIKE') && columnIsIndexed(a.table, n.column, a))) return undefined;

  if (driven) {
    const proposal = proposeIndex(a, [driven, ...filters.filter((n) => n.kind === 'equality' && !n.wrapper)]);
    return proposal && { lead: driven, proposal, what: `the join on ${driven.column}${foreignKeyNote(a.table, driven.column)}` };
  }
  if (filters.length > 0 && unselective(filters, a.table)) {
    // Conditions that keep most rows: at most the sort of a top-N query is worth an index.
    if (!(a.limited && order.length > 0 && joins.length === 0)) return undefined;
    const proposal = proposeIndex(a, order);
    return proposal && { lead: order[0] as ColumnNeed, proposal, what: `ORDER BY ${order.map((o) => o.column).join(', ')} with LIMIT` };
  }
  if (filters.length > 0) {
    const btree = filters.filter((n) => !(n.pattern && (n.pattern.leadingWildcard || n.pattern.operator === 'ILIKE')));
    if (btree.length === 0) {
      const p = filters[0] as ColumnNeed;
      return { lead: p, proposal: trigramProposal(a.table, p), what: `the ${p.pattern?.operator ?? 'LIKE'} pattern on ${p.column}` };
    }
    const proposal = proposeIndex(a, [...btree, ...order]);
    return proposal && { lead: proposal.serves[0] ?? (btree[0] as ColumnNeed), proposal, what: describe(proposal.serves) };
  }
  // A join of tables nobody filters ("list everything") reads both tables whatever indexes exist:
  // a hash join is the right plan, foreign key or not.
  if (a.limited && order.length > 0 && joins.length === 0) {
    const proposal = proposeIndex(a, order);
    return proposal && { lead: order[0] as ColumnNeed, proposal, what: `ORDER BY ${order.map((o) => o.column).join(', ')} with LIMIT` };
  }
  return undefined;
}

/** Statistics say the conditions keep most rows: a sequential scan is the right plan. */
function unselective(filters: readonly ColumnNeed[], table: TableInfo): boolean {
  let keep = 1;
  for (const n of filters) {
    const column = findColumn(table, n.column);
    let s: number | undefined;
    if (n.wrapper || n.kind === 'range' || n.kind === 'pattern') s = undefined;
    else if (n.constant) s = constantSelectivity(n, column, table.rowEstimate);
    else if (n.kind === 'equality') s = parameterSelectivity(column, table.rowEstimate);
    // Offline, a boolean flag (`visible = true`, `is_deleted = $1`) keeps about half the rows.
    if (s === undefined && !n.wrapper && (n.kind === 'equality' || n.kind === 'boolean')) s = typeSelectivity(column);
    if (s === undefined) return false;
    keep *= s;
  }
  return keep > UNSELECTIVE;
}

/** For a wrapping the proposal indexes bare: how to write the condition so the index applies. */
function rewriteNote(needs: readonly ColumnNeed[]): string {
  const n = needs.find((x) => x.wrapper && wrapperFix(x.wrapper) !== 'expression');
  if (!n?.wrapper) return '';
  return wrapperFix(n.wrapper) === 'range'
    ? ` Write ${n.wrapper.text} as a range on ${n.column} (${rangeExample(n.wrapper, n.column)}) so the index applies.`
    : ` Move the arithmetic off ${n.column} (\`${n.column} = $1 - 1\` rather than \`${n.column} + 1 = $1\`) so the index applies.`;
}

function describe(needs: readonly ColumnNeed[]): string {
  const filters = needs.filter((n) => n.role !== 'order').map((n) => (n.wrapper ? n.wrapper.text : n.column));
  const order = needs.filter((n) => n.role === 'order').map((n) => n.column);
  const parts = [];
  if (filters.length > 0) parts.push(`the filter on ${filters.join(', ')}`);
  if (order.length > 0) parts.push(`ORDER BY ${order.join(', ')}`);
  return parts.join(' with ');
}

function foreignKeyNote(table: TableInfo, column: string): string {
  const key = foreignKeys(table).find((k) => k.columns[0] === column);
  return key ? ` (foreign key to ${key.references.schema === 'public' ? key.references.table : `${key.references.schema}.${key.references.table}`})` : '';
}

/** DELETE checks every referencing table; an unindexed foreign key makes that a scan per deleted row. */
function cascadeAdvice(target: TableAccess, model: SchemaModel, options: SqlRuleOptions): Advice[] {
  const out: Advice[] = [];
  for (const { table, key } of referencingKeys(model, target.table)) {
    const severity = severityFor(table, options);
    if (!severity || table.indexes.some((i) => coversColumns(i, key.columns))) continue;
    const shape = { table, method: 'btree' as const, keys: key.columns.map((c) => quoteIdent(c)), nameParts: key.columns };
    const ddl = createIndexDdl(shape);
    const action = key.onDelete === 'cascade' ? 'ON DELETE CASCADE deletes' : key.onDelete === 'set null' || key.onDelete === 'set default' ? `ON DELETE ${key.onDelete.toUpperCase()} updates` : 'the foreign key check looks up';
    out.push({
      ruleId: RULE_ID,
      start: target.start,
      end: target.end,
      severity,
      message: `Deleting from ${displayName(target.table)}: ${action} the matching rows of ${displayName(table)} through ${key.columns.join(', ')}, which no index leads with (${rowsText(table)}): each deleted row scans ${displayName(table)}. Proposed: ${ddl}`,
      related: [],
      data: { ddl, table: displayName(table), columns: key.columns, constraint: key.name, method: 'btree' },
    });
  }
  return out;
}
