/**
 * The names a parsed statement uses, for reading from the catalog what it
 * may execute when PostgreSQL cannot be asked to resolve it (a standby, no
 * right to create temporary objects): every function, operator, type and
 * relation it names, qualified as written. The caller takes every object of
 * each name, which covers the one PostgreSQL would choose.
 */

export interface QualifiedName {
  /** Empty when the statement does not qualify the name. */
  readonly schema: string;
  readonly name: string;
}

export interface StatementNames {
  readonly functions: readonly QualifiedName[];
  readonly operators: readonly string[];
  readonly types: readonly QualifiedName[];
  readonly relations: readonly QualifiedName[];
}

type Obj = Record<string, unknown>;

const IMPLIED_OPERATORS = ['=', '<>', '<', '<=', '>', '>='];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `[{String: {sval: 'pg_catalog'}}, {String: {sval: 'lower'}}]` → schema and name. */
function qualified(list: unknown): QualifiedName | undefined {
  if (!Array.isArray(list)) return undefined;
  const parts = list.map((n) => (isObj(n) && isObj(n.String) && typeof n.String.sval === 'string' ? n.String.sval : ''));
  const name = parts.at(-1);
  if (!name) return undefined;
  return { schema: parts.length > 1 ? (parts.at(-2) ?? '') : '', name };
}

export function namesInStatement(node: unknown): StatementNames {
  const functions = new Map<string, QualifiedName>();
  const operators = new Set<string>();
  const types = new Map<string, QualifiedName>();
  const relations = new Map<string, QualifiedName>();
  const put = (map: Map<string, QualifiedName>, q: QualifiedName | undefined) => {
    if (q) map.set(`${q.schema}.${q.name}`, q);
  };
  // Nodes are recognised by their fields: the parser's JSON wraps a node in its type name only where
  // any node may stand (`{"FuncCall": {...}}`), not in typed fields (`"relation": {"relname": ...}`).
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!isObj(value)) return;
    if (Array.isArray(value.funcname)) put(functions, qualified(value.funcname));
    if (typeof value.kind === 'string' && value.kind.startsWith('AEXPR_')) {
      const op = qualified(value.name);
      if (op) operators.add(op.name);
    }
    if (typeof value.subLinkType === 'string') {
      const op = qualified(value.operName);
      if (op) operators.add(op.name);
    }
    if (Array.isArray(value.names) && ('typemod' in value || 'typeOid' in value || 'arrayBounds' in value)) put(types, qualified(value.names));
    if (typeof value.relname === 'string') {
      const schema = typeof value.schemaname === 'string' ? value.schemaname : '';
      relations.set(`${schema}.${value.relname}`, { schema, name: value.relname });
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(node);
  // Comparisons the text does not spell: BETWEEN, sorting, grouping, DISTINCT, joins USING.
  for (const op of IMPLIED_OPERATORS) operators.add(op);
  return { functions: [...functions.values()], operators: [...operators], types: [...types.values()], relations: [...relations.values()] };
}
