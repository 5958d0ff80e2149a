/**
 * Node names as psql prints them. FORMAT JSON splits what the text format
 * glues together ("Node Type": "Hash Join" + "Join Type": "Left" is printed
 * "Hash Left Join"; "Aggregate" + "Strategy": "Hashed" + "Partial Mode":
 * "Partial" is "Partial HashAggregate"), and people know the text names.
 * The rules follow ExplainNode() in PostgreSQL's explain.c.
 */
import type { RawPlanNode } from './model';
import { qualifiedName, quoteIdent } from './sql';

const AGG_NAMES: Record<string, string> = { Plain: 'Aggregate', Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' };

/** The operation as the first words of the psql line, e.g. "Nested Loop Left Join", "Finalize HashAggregate", "Insert". */
export function operationName(node: RawPlanNode): string {
  const type = node['Node Type'];
  let name = type;
  switch (type) {
    case 'Aggregate':
      name = AGG_NAMES[node.Strategy ?? 'Plain'] ?? 'Aggregate';
      if (node['Partial Mode'] === 'Partial' || node['Partial Mode'] === 'Finalize') name = `${node['Partial Mode']} ${name}`;
      break;
    case 'Nested Loop':
    case 'Merge Join':
    case 'Hash Join': {
      const base = type === 'Nested Loop' ? 'Nested Loop' : type.replace(' Join', '');
      const join = node['Join Type'];
      name = join && join !== 'Inner' ? `${base} ${join} Join` : type;
      break;
    }
    case 'SetOp':
      name = node.Strategy === 'Hashed' ? 'HashSetOp' : 'SetOp';
      if (node.Command) name += ` ${node.Command}`;
      break;
    case 'ModifyTable':
      name = node.Operation ?? 'ModifyTable';
      break;
    case 'Foreign Scan':
      name = node.Operation && node.Operation !== 'Select' ? `Foreign ${node.Operation}` : 'Foreign Scan';
      break;
    case 'Custom Scan':
      name = node['Custom Plan Provider'] ? `Custom Scan (${node['Custom Plan Provider']})` : 'Custom Scan';
      break;
  }
  const prefix = (node['Parallel Aware'] ? 'Parallel ' : '') + (node['Async Capable'] ? 'Async ' : '');
  return prefix + name;
}

export interface TargetOptions {
  /** Print the schema as psql does with VERBOSE (only when the JSON has it). */
  readonly schema: boolean;
}

/** What follows the operation: " Backward using idx on schema.rel alias", " on idx", " on rel". */
export function targetText(node: RawPlanNode, options: TargetOptions): string {
  let text = '';
  const type = node['Node Type'];
  if (type === 'Index Scan' || type === 'Index Only Scan') {
    if (node['Scan Direction'] === 'Backward') text += ' Backward';
    if (node['Index Name'] !== undefined) text += ` using ${quoteIdent(node['Index Name'])}`;
  } else if (type === 'Bitmap Index Scan') {
    if (node['Index Name'] !== undefined) text += ` on ${quoteIdent(node['Index Name'])}`;
    return text;
  }
  const object = node['Relation Name'] ?? node['Function Name'] ?? node['Table Function Name'] ?? node['CTE Name'] ?? node['Tuplestore Name'];
  const alias = node.Alias;
  if (object === undefined && alias === undefined) return text;
  text += ' on';
  if (object !== undefined) text += ` ${qualifiedName(object, options.schema ? node.Schema : undefined)}`;
  if (alias !== undefined && alias !== object) text += ` ${quoteIdent(alias)}`;
  return text;
}

/**
 * A short label for the plan view: psql's line without costs, and without the
 * schema when it is "public" (the detail rows still show it).
 */
export function nodeLabel(node: RawPlanNode): string {
  const showSchema = node.Schema !== undefined && node.Schema !== 'public';
  return operationName(node) + targetText(node, { schema: showSchema });
}

