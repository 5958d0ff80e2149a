/**
 * One DDL statement applied to a schema under construction. Only what the
 * index rules depend on is modelled: tables, columns and their types,
 * indexes, and primary key, unique and foreign key constraints.
 */
import { asList } from '../sql/analyze';
import { str, stringList, unwrapNode, type RawNode } from '../sql/nodeSpans';
import { defaultConstraintName, type MutableTable, type SchemaBuilder } from './builder';
import { columnsOf, typeNameText } from './expression';
import { defaultIndexName, indexFromStatement } from './indexDefinition';
import { DEFAULT_SCHEMA, type ConstraintInfo, type ReferentialAction } from './model';

const ACTIONS: Readonly<Record<string, ReferentialAction>> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** Applies a statement; returns a sentence when it names something the schema does not have. */
export function applyStatement(b: SchemaBuilder, kind: string, body: RawNode): string | undefined {
  switch (kind) {
    case 'CreateStmt':
      return createTable(b, body);
    case 'AlterTableStmt':
      return body.objtype === 'OBJECT_TABLE' ? alterTable(b, body) : undefined;
    case 'IndexStmt':
      return createIndex(b, body);
    case 'DropStmt':
      return drop(b, body);
    case 'RenameStmt':
      return rename(b, body);
    default:
      return undefined;
  }
}

function relationOf(node: unknown): { name: string; schema?: string } {
  const r = (node ?? {}) as RawNode;
  return { name: str(r.relname), ...(typeof r.schemaname === 'string' ? { schema: r.schemaname } : {}) };
}

function missing(what: string, name: string): string {
  return `${what} ${name} is not defined by an earlier migration.`;
}

function createTable(b: SchemaBuilder, body: RawNode): string | undefined {
  const rel = relationOf(body.relation);
  if (b.table(rel.name, rel.schema ?? DEFAULT_SCHEMA) && body.if_not_exists) return undefined;
  const t = b.createTable(rel.name, rel.schema ?? DEFAULT_SCHEMA);
  const later: RawNode[] = [];
  for (const elt of asList(body.tableElts)) {
    const u = unwrapNode(elt);
    if (u?.[0] === 'ColumnDef') {
      addColumnDef(b, t, u[1], later);
    } else if (u?.[0] === 'Constraint') later.push(u[1]);
  }
  // Table constraints after every column, so a primary key can mark its columns NOT NULL.
  for (const c of later) addConstraintNode(b, t, c);
  return undefined;
}

/** Adds a column; its inline constraints become table constraints on that column. */
function addColumnDef(b: SchemaBuilder, t: MutableTable, def: RawNode, constraints: RawNode[]): void {
  const name = str(def.colname);
  const inline = asList(def.constraints).flatMap((c) => (unwrapNode(c)?.[1] ? [unwrapNode(c)?.[1] as RawNode] : []));
  const notNull = inline.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
  const type = typeNameText(def.typeName as RawNode | undefined);
  b.addColumn(t, { name, type, notNull, ...(isEnumLike(type, inline) ? { enumLike: true as const } : {}) });
  for (const c of inline) {
    if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') constraints.push({ ...c, keys: [{ String: { sval: name } }] });
    else if (c.contype === 'CONSTR_FOREIGN') constraints.push({ ...c, fk_attrs: [{ String: { sval: name } }] });
  }
}

/**
 * A state column: text with a constant text default (`status text NOT NULL DEFAULT 'NORMAL'`),
 * or any column checked against a list of constants (`CHECK (kind IN ('a', 'b'))`).
 */
function isEnumLike(type: string, inline: readonly RawNode[]): boolean {
  const textual = /^(text|character varying|varchar|character|char)\b/i.test(type);
  return inline.some((c) => {
    const expr = c.raw_expr as RawNode | undefined;
    if (c.contype === 'CONSTR_DEFAULT') return textual && typeof ((expr?.A_Const as RawNode | undefined)?.sval as RawNode | undefined)?.sval === 'string';
    if (c.contype === 'CONSTR_CHECK') return (expr?.A_Expr as RawNode | undefined)?.kind === 'AEXPR_IN';
    return false;
  });
}

function addConstraintNode(b: SchemaBuilder, t: MutableTable, c: RawNode): void {
  const given = typeof c.conname === 'string' ? c.conname : undefined;
  switch (c.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      const kind = c.contype === 'CONSTR_PRIMARY' ? 'primary' : 'unique';
      let columns = stringList(c.keys);
      // `ADD PRIMARY KEY USING INDEX i`: the index becomes the constraint's.
      if (typeof c.indexname === 'string') {
        const index = t.indexes.find((i) => i.name === c.indexname);
        columns = index ? index.keys.flatMap((k) => (k.kind === 'column' ? [k.column] : [])) : columns;
        t.indexes = t.indexes.filter((i) => i.name !== c.indexname);
      }
      const name = given ?? (typeof c.indexname === 'string' ? c.indexname : defaultConstraintName(t.name, kind, columns));
      b.addConstraint(t, { kind, name, columns });
      return;
    }
    case 'CONSTR_FOREIGN': {
      const columns = stringList(c.fk_attrs);
      const target = relationOf(c.pktable);
      const schema = target.schema ?? (b.table(target.name)?.schema ?? DEFAULT_SCHEMA);
      let refColumns = stringList(c.pk_attrs);
      if (refColumns.length === 0) {
        const pk = b.table(target.name, schema)?.constraints.find((k) => k.kind === 'primary');
        refColumns = pk ? [...pk.columns] : [];
      }
      const key: ConstraintInfo = {
        kind: 'foreign',
        name: given ?? defaultConstraintName(t.name, 'foreign', columns),
        columns,
        references: { schema, table: target.name, columns: refColumns },
        onDelete: ACTIONS[(str(c.fk_del_action) || 'a')] ?? 'no action',
        validated: c.skip_validation !== true,
      };
      b.addConstraint(t, key);
      return;
    }
    case 'CONSTR_CHECK':
    case 'CONSTR_EXCLUSION': {
      const kind = c.contype === 'CONSTR_CHECK' ? 'check' : 'exclusion';
      const columns = kind === 'check' ? columnsOf(c.raw_expr) : [];
      b.addConstraint(t, { kind, name: given ?? defaultConstraintName(t.name, kind, columns), columns });
      return;
    }
    default:
      return;
  }
}

function alterTable(b: SchemaBuilder, body: RawNode): string | undefined {
  const rel = relationOf(body.relation);
  const t = b.table(rel.name, rel.schema);
  if (!t) return body.missing_ok ? undefined : missing('Table', rel.name);
  for (const cmd of asList(body.cmds)) {
    const c = unwrapNode(cmd)?.[1];
    if (!c) continue;
    const def = unwrapNode(c.def)?.[1];
    const name = typeof c.name === 'string' ? c.name : '';
    switch (c.subtype) {
      case 'AT_AddColumn': {
        if (!def) break;
        const constraints: RawNode[] = [];
        if (c.missing_ok && t.columns.some((col) => col.name === def.colname)) break;
        addColumnDef(b, t, def, constraints);
        for (const k of constraints) addConstraintNode(b, t, k);
        break;
      }
      case 'AT_DropColumn':
        b.dropColumn(t, name);
        break;
      case 'AT_AlterColumnType':
        if (def) b.updateColumn(t, name, { type: typeNameText(def.typeName as RawNode | undefined) });
        break;
      case 'AT_SetNotNull':
      case 'AT_DropNotNull':
        b.updateColumn(t, name, { notNull: c.subtype === 'AT_SetNotNull' });
        break;
      case 'AT_AddConstraint':
        if (def) addConstraintNode(b, t, def);
        break;
      case 'AT_DropConstraint':
        b.dropConstraint(t, name);
        break;
      case 'AT_ValidateConstraint':
        t.constraints = t.constraints.map((k) => (k.kind === 'foreign' && k.name === name ? { ...k, validated: true } : k));
        break;
      default:
        break;
    }
  }
  return undefined;
}

function createIndex(b: SchemaBuilder, body: RawNode): string | undefined {
  const { index, target } = indexFromStatement(body, '');
  const t = b.table(target.table, target.schema);
  if (!t) return missing('Table', target.table);
  const keyNames = index.keys.map((k) => (k.kind === 'column' ? k.column : (/^(\w+)\(/.exec(k.text)?.[1] ?? 'expr')));
  const name = index.name || defaultIndexName(t.name, keyNames, 'idx');
  if (body.if_not_exists && t.indexes.some((i) => i.name === name)) return undefined;
  b.addIndex(t, { ...index, name });
  return undefined;
}

function drop(b: SchemaBuilder, body: RawNode): string | undefined {
  for (const object of asList(body.objects)) {
    const parts = stringList(unwrapNode(object)?.[1].items);
    const name = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (body.removeType === 'OBJECT_TABLE') {
      const t = b.table(name, schema);
      if (t) b.dropTable(t);
      else if (!body.missing_ok) return missing('Table', name);
    } else if (body.removeType === 'OBJECT_INDEX') {
      b.dropIndex(name, schema);
    }
  }
  return undefined;
}

function rename(b: SchemaBuilder, body: RawNode): string | undefined {
  const rel = relationOf(body.relation);
  const to = str(body.newname);
  switch (body.renameType) {
    case 'OBJECT_INDEX':
      b.renameIndex(rel.name, to, rel.schema);
      return undefined;
    case 'OBJECT_TABLE':
    case 'OBJECT_COLUMN':
    case 'OBJECT_TABCONSTRAINT': {
      const t = b.table(rel.name, rel.schema);
      if (!t) return body.missing_ok ? undefined : missing('Table', rel.name);
      const from = str(body.subname);
      if (body.renameType === 'OBJECT_TABLE') b.renameTable(t, to);
      else if (body.renameType === 'OBJECT_COLUMN') b.renameColumn(t, from, to);
      else b.renameIndex(from, to, t.schema);
      return undefined;
    }
    default:
      return undefined;
  }
}
