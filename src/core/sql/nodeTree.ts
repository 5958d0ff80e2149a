/**
 * Reads the objects a stored PostgreSQL expression or query executes from its
 * `pg_node_tree` text (the `nodeToString` form kept in `pg_proc.prosqlbody`,
 * `pg_rewrite.ev_action`, `pg_attrdef.adbin`, `pg_constraint.conbin`,
 * `pg_policy.polqual`, `pg_trigger.tgqual`, `pg_index.indexprs`).
 *
 * The tree holds what the parser resolved: the exact function of an
 * overloaded name, the operator's function, the cast's function, the domain a
 * value is coerced to, every relation of every range table. Built-in objects
 * appear here by OID although `pg_depend` never records them, which is why
 * the tree is read rather than the dependency catalog.
 *
 * The reading is a scan for field names, not a full parser: a field that is
 * not listed is missed, so the lists are wide (every field that can hold a
 * function, operator, type or relation OID in PostgreSQL 14 to 18), and an
 * extra match only makes the verdict more careful, never less.
 */

export interface TreeObjects {
  readonly functions: ReadonlySet<number>;
  readonly operators: ReadonlySet<number>;
  readonly types: ReadonlySet<number>;
  readonly relations: ReadonlySet<number>;
  /** A query in the tree inserts, updates, deletes or merges (CMD_UPDATE..CMD_MERGE). */
  readonly modifies: boolean;
  /** A query in the tree locks rows (FOR UPDATE / FOR SHARE). */
  readonly locks: boolean;
}

/** Fields holding one function OID (FuncExpr, OpExpr and its kin, Aggref, WindowFunc, WindowClause, ScalarArrayOpExpr). */
const functionFields = ['funcid', 'opfuncid', 'aggfnoid', 'winfnoid', 'hashfuncid', 'negfuncid', 'startInRangeFunc', 'endInRangeFunc', 'tsmhandler'];
/** Fields holding one operator OID (OpExpr, SortGroupClause, NullTest-free comparisons). */
const operatorFields = ['opno', 'eqop', 'sortop', 'inRangeOp'];
/** Fields holding one or a list of operator OIDs. */
const operatorListFields = ['opnos'];
/** Fields holding a relation OID (RangeTblEntry, RTEPermissionInfo). */
const relationFields = ['relid'];

/** Field names ending in type/typid/typeid (vartype, consttype, resulttype, funcresulttype, row_typeid, ...). */
const typeField = /:(\w*typ(?:e|id|eid))\s+(\d+)/g;
/** Lists of type OIDs (coltypes of VALUES and function RTEs, paramtypes). */
const typeListField = /:(coltypes|paramtypes|funccoltypes)\s+\(o((?:\s+\d+)*)\s*\)/g;

function numbersAfter(text: string, fields: readonly string[]): Set<number> {
  const out = new Set<number>();
  const pattern = new RegExp(`:(?:${fields.join('|')})\\s+(\\d+)`, 'g');
  for (const m of text.matchAll(pattern)) addOid(out, m[1]);
  return out;
}

function addOid(set: Set<number>, digits: string | undefined): void {
  const n = Number(digits);
  // InvalidOid (0) marks "none"; small values are enum codes of other fields, never objects.
  if (Number.isSafeInteger(n) && n > 0) set.add(n);
}

export function objectsInTree(text: string): TreeObjects {
  const functions = numbersAfter(text, functionFields);
  const operators = numbersAfter(text, operatorFields);
  for (const m of text.matchAll(new RegExp(`:(?:${operatorListFields.join('|')})\\s+\\(o((?:\\s+\\d+)*)\\s*\\)`, 'g'))) {
    for (const n of (m[1] ?? '').trim().split(/\s+/)) addOid(operators, n);
  }
  const relations = numbersAfter(text, relationFields);
  const types = new Set<number>();
  for (const m of text.matchAll(typeField)) addOid(types, m[2]);
  for (const m of text.matchAll(typeListField)) {
    for (const n of (m[2] ?? '').trim().split(/\s+/)) addOid(types, n);
  }
  return {
    functions,
    operators,
    types,
    relations,
    modifies: /:commandType\s+[2-5]\b/.test(text),
    locks: /:rowMarks\s+\(/.test(text) || /:hasForUpdate\s+true/.test(text),
  };
}
