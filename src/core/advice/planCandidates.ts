/**
 * The candidates of an explained statement's index advice: those its text
 * asks for (statementCandidates.ts), and those only its plan shows. A
 * foreign key's trigger is one: deleting a parent row runs a lookup of its
 * referencing rows that EXPLAIN of the DELETE does not plan, so the index
 * the fk-trigger tip names is verified against that lookup (`probe`), the
 * statement PostgreSQL's trigger runs for each row:
 * `SELECT 1 FROM ONLY child x WHERE x.fk = $1`.
 */
import { quoteIdent } from '../health/ident';
import type { Tip } from '../plan/tips/types';
import { displayName, type SchemaModel, type TableInfo } from '../schema/model';
import { createIndexDdl, indexName, tableName } from './ddl';
import { candidate, MAX_CANDIDATES, statementCandidatesIn, takenIndexNames, type IndexCandidate } from './statementCandidates';

export function adviceCandidates(sql: string, model: SchemaModel, tips: readonly Tip[]): IndexCandidate[] {
  const taken = takenIndexNames(model);
  const out = statementCandidatesIn(sql, model, taken);
  for (const t of tips) {
    if (t.id !== 'fk-trigger' || !t.indexCandidate || out.length >= MAX_CANDIDATES + 1) continue;
    const { schema, table, columns } = t.indexCandidate;
    const info = model.tables.find((x) => x.name === table && (schema === undefined || x.schema === schema));
    if (!info || leadsWith(info, columns)) continue;
    const shape = { table: info, method: 'btree' as const, keys: columns.map(quoteIdent), nameParts: [...columns] };
    const name = indexName(shape);
    const proposal = { ...shape, name, ddl: createIndexDdl(shape, name), serves: [] };
    const c = candidate(proposal, `the lookups of ${displayName(info)} by ${columns.join(', ')} that its foreign key runs for each changed row`, taken);
    const where = columns.map((col, i) => `x.${quoteIdent(col)} = $${i + 1}`).join(' AND ');
    out.push({ ...c, probe: { sql: `SELECT 1 FROM ONLY ${tableName(info)} x WHERE ${where}`, columns } });
  }
  return out;
}

/** A valid btree whose first keys are the columns, in any order: the lookup already has its index. */
function leadsWith(table: TableInfo, columns: readonly string[]): boolean {
  return table.indexes.some((i) => {
    if (i.method !== 'btree' || !i.valid || i.predicate || i.keys.length < columns.length) return false;
    const lead = i.keys.slice(0, columns.length).map((k) => (k.kind === 'column' ? k.column : undefined));
    return columns.every((c) => lead.includes(c));
  });
}
