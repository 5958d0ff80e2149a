/**
 * Renders EXPLAIN (FORMAT JSON) output as psql prints EXPLAIN's text format,
 * for the plan view's "raw text" tab.
 *
 * The JSON keys of a node come in the order PostgreSQL's ExplainNode() wrote
 * them, which is also the order of the text lines, so a node's keys are
 * walked in order and each is printed the way the text format prints it;
 * the keys the text format prints on one line ("Sort Method: quicksort
 * Memory: 25kB", "Buffers: shared hit=4 read=1") are grouped. Keys this file
 * does not know are printed as "Key: value", which is what the text format
 * does for most properties. Layout rules follow explain.c: two spaces per
 * indent level, "->  " before each child, subplans titled on their own line.
 */
import type { RawExplain, RawPlanNode, RawWorker } from './model';
import { operationName, targetText } from './labels';

export interface TextOptions {
  /** The server's major version; guessed from the JSON when left out (only 18's two-decimal row counts depend on it). */
  readonly majorVersion?: number;
}

interface Ctx {
  readonly rowDecimals: number;
  readonly verbose: boolean;
  readonly out: string[];
}

/** Keys printed on the node's first line, or not at all in text. */
const HEADER_KEYS = new Set([
  'Node Type', 'Strategy', 'Partial Mode', 'Operation', 'Parent Relationship', 'Subplan Name', 'Custom Plan Provider',
  'Parallel Aware', 'Async Capable', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'Scan Direction', 'CTE Name',
  'Function Name', 'Table Function Name', 'Tuplestore Name', 'Join Type', 'Command', 'Startup Cost', 'Total Cost',
  'Plan Rows', 'Plan Width', 'Actual Startup Time', 'Actual Total Time', 'Actual Rows', 'Actual Loops', 'Plans', 'Workers',
  'Worker Number',
]);

const BUFFER_KEYS = ['Shared Hit Blocks', 'Shared Read Blocks', 'Shared Dirtied Blocks', 'Shared Written Blocks', 'Local Hit Blocks', 'Local Read Blocks', 'Local Dirtied Blocks', 'Local Written Blocks', 'Temp Read Blocks', 'Temp Written Blocks'];
const IO_KEYS = ['Shared I/O Read Time', 'Shared I/O Write Time', 'Local I/O Read Time', 'Local I/O Write Time', 'Temp I/O Read Time', 'Temp I/O Write Time', 'I/O Read Time', 'I/O Write Time'];
const WAL_KEYS = ['WAL Records', 'WAL FPI', 'WAL Bytes', 'WAL Buffers Full'];
const SORT_KEYS = ['Sort Method', 'Sort Space Used', 'Sort Space Type'];
const HASH_KEYS = ['Hash Buckets', 'Original Hash Buckets', 'Hash Batches', 'Original Hash Batches'];
const HASHAGG_KEYS = ['Planned Partitions', 'HashAgg Batches', 'Disk Usage'];
const CACHE_KEYS = ['Cache Hits', 'Cache Misses', 'Cache Evictions', 'Cache Overflows'];
const BITMAP_KEYS = ['Exact Heap Blocks', 'Lossy Heap Blocks'];
const STORAGE_KEYS = ['Storage', 'Maximum Storage'];
/** Counters the text format leaves out when they are zero. */
const ZERO_HIDDEN = new Set(['Rows Removed by Filter', 'Rows Removed by Join Filter', 'Rows Removed by Index Recheck', 'Subplans Removed']);

export function renderText(explain: RawExplain, options: TextOptions = {}): string {
  const major = options.majorVersion ?? guessMajorVersion(explain);
  const ctx: Ctx = { rowDecimals: major !== undefined && major >= 18 ? 2 : 0, verbose: usesVerbose(explain.Plan), out: [] };
  renderNode(ctx, explain.Plan, 0);
  renderSummary(ctx, explain);
  return ctx.out.join('\n');
}

/** PostgreSQL 18 added "Disabled" (always present in JSON), "Index Searches" and "WAL Buffers Full". */
export function guessMajorVersion(explain: RawExplain): number | undefined {
  const stack = [explain.Plan];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if ('Disabled' in n || 'Index Searches' in n || 'WAL Buffers Full' in n) return 18;
    if ('Shared I/O Read Time' in n) return 17;
    stack.push(...(n.Plans ?? []));
  }
  return undefined;
}

function usesVerbose(root: RawPlanNode): boolean {
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.Output !== undefined) return true;
    stack.push(...(n.Plans ?? []));
  }
  return false;
}

const pad = (indent: number) => ' '.repeat(indent * 2);

function renderNode(ctx: Ctx, node: RawPlanNode, indentIn: number): void {
  let indent = indentIn;
  if (node['Subplan Name'] !== undefined) {
    ctx.out.push(pad(indent) + node['Subplan Name']);
    indent++;
  }
  let line = '';
  if (indent > 0) {
    line = pad(indent) + '->  ';
    indent += 2;
  }
  line += operationName(node) + targetText(node, { schema: true }) + costsText(node) + actualText(ctx, node);
  ctx.out.push(line);
  indent++;
  ctx.out.push(...detailLines(ctx, node).map((l) => pad(indent) + l));
  for (const worker of node.Workers ?? []) ctx.out.push(...workerLines(ctx, worker, indent));
  for (const child of node.Plans ?? []) renderNode(ctx, child, indent);
}

function costsText(node: RawPlanNode): string {
  if (node['Total Cost'] === undefined) return '';
  return `  (cost=${fixed(node['Startup Cost'], 2)}..${fixed(node['Total Cost'], 2)} rows=${fixed(node['Plan Rows'], 0)} width=${node['Plan Width'] ?? 0})`;
}

function actualText(ctx: Ctx, node: RawPlanNode): string {
  const loops = node['Actual Loops'];
  if (loops === undefined) return '';
  if (loops === 0) return ' (never executed)';
  const time = node['Actual Total Time'] !== undefined ? `time=${fixed(node['Actual Startup Time'], 3)}..${fixed(node['Actual Total Time'], 3)} ` : '';
  return ` (actual ${time}rows=${fixed(node['Actual Rows'], ctx.rowDecimals)} loops=${fixed(loops, 0)})`;
}

/** The lines below a node's (or a worker's) first line, without indentation. */
function detailLines(ctx: Ctx, node: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const done = new Set<string>();
  const num = (key: string) => (typeof node[key] === 'number' ? node[key] : 0);
  for (const key of Object.keys(node)) {
    if (HEADER_KEYS.has(key) || done.has(key)) continue;
    const value = node[key];
    if (BUFFER_KEYS.includes(key)) {
      BUFFER_KEYS.forEach((k) => done.add(k));
      const text = bufferText(num);
      if (text) lines.push(text);
    } else if (IO_KEYS.includes(key)) {
      IO_KEYS.forEach((k) => done.add(k));
      const text = ioText(node, num);
      if (text) lines.push(text);
    } else if (WAL_KEYS.includes(key)) {
      WAL_KEYS.forEach((k) => done.add(k));
      const parts = [['records', 'WAL Records'], ['fpi', 'WAL FPI'], ['bytes', 'WAL Bytes'], ['buffers full', 'WAL Buffers Full']].filter(([, k]) => num(k!) > 0).map(([l, k]) => `${l}=${num(k!)}`);
      if (parts.length > 0) lines.push(`WAL: ${parts.join(' ')}`);
    } else if (SORT_KEYS.includes(key)) {
      SORT_KEYS.forEach((k) => done.add(k));
      lines.push(`Sort Method: ${String(node['Sort Method'])}  ${String(node['Sort Space Type'])}: ${num('Sort Space Used')}kB`);
    } else if (HASH_KEYS.includes(key)) {
      [...HASH_KEYS, 'Peak Memory Usage'].forEach((k) => done.add(k));
      const changed = num('Hash Buckets') !== num('Original Hash Buckets') || num('Hash Batches') !== num('Original Hash Batches');
      lines.push(changed
        ? `Buckets: ${num('Hash Buckets')} (originally ${num('Original Hash Buckets')})  Batches: ${num('Hash Batches')} (originally ${num('Original Hash Batches')})  Memory Usage: ${num('Peak Memory Usage')}kB`
        : `Buckets: ${num('Hash Buckets')}  Batches: ${num('Hash Batches')}  Memory Usage: ${num('Peak Memory Usage')}kB`);
    } else if (HASHAGG_KEYS.includes(key) || (key === 'Peak Memory Usage' && 'HashAgg Batches' in node)) {
      [...HASHAGG_KEYS, 'Peak Memory Usage'].forEach((k) => done.add(k));
      const parts: string[] = [];
      if (num('Planned Partitions') > 0) parts.push(`Planned Partitions: ${num('Planned Partitions')}`);
      if ('HashAgg Batches' in node) {
        parts.push(`Batches: ${num('HashAgg Batches')}  Memory Usage: ${num('Peak Memory Usage')}kB`);
        if (num('HashAgg Batches') > 1) parts.push(`Disk Usage: ${num('Disk Usage')}kB`);
      }
      if (parts.length > 0) lines.push(parts.join('  '));
    } else if (CACHE_KEYS.includes(key)) {
      [...CACHE_KEYS, 'Peak Memory Usage'].forEach((k) => done.add(k));
      lines.push(`Hits: ${num('Cache Hits')}  Misses: ${num('Cache Misses')}  Evictions: ${num('Cache Evictions')}  Overflows: ${num('Cache Overflows')}  Memory Usage: ${num('Peak Memory Usage')}kB`);
    } else if (BITMAP_KEYS.includes(key)) {
      BITMAP_KEYS.forEach((k) => done.add(k));
      const parts = [['exact', 'Exact Heap Blocks'], ['lossy', 'Lossy Heap Blocks']].filter(([, k]) => num(k!) > 0).map(([l, k]) => ` ${l}=${num(k!)}`);
      if (parts.length > 0) lines.push(`Heap Blocks:${parts.join('')}`);
    } else if (STORAGE_KEYS.includes(key)) {
      STORAGE_KEYS.forEach((k) => done.add(k));
      lines.push(`Storage: ${String(node.Storage)}  Maximum Storage: ${num('Maximum Storage')}kB`);
    } else if (key === 'Full-sort Groups' || key === 'Pre-sorted Groups') {
      lines.push(sortGroupsText(key.replace(' Groups', ''), value as Record<string, unknown>));
    } else if (key === 'Disabled' || key === 'Single Copy') {
      if (value === true) lines.push(`${key}: true`);
    } else if (key === 'Inner Unique') {
      if (value === true && ctx.verbose) lines.push('Inner Unique: true');
    } else if (ZERO_HIDDEN.has(key)) {
      if (num(key) > 0) lines.push(`${key}: ${fixed(num(key), 0)}`);
    } else {
      lines.push(`${key}: ${valueText(value)}`);
    }
  }
  return lines;
}

/** "Worker 0:  actual time=... rows=... loops=1" then the worker's details, two spaces deeper. */
function workerLines(ctx: Ctx, worker: RawWorker, indent: number): string[] {
  const lines: string[] = [];
  const loops = worker['Actual Loops'];
  if (loops !== undefined) {
    const time = worker['Actual Total Time'] !== undefined ? `time=${fixed(worker['Actual Startup Time'], 3)}..${fixed(worker['Actual Total Time'], 3)} ` : '';
    lines.push(`actual ${time}rows=${fixed(worker['Actual Rows'], ctx.rowDecimals)} loops=${fixed(loops, 0)}`);
  }
  lines.push(...detailLines(ctx, worker));
  if (lines.length === 0) return [];
  return lines.map((l, i) => (i === 0 ? `${pad(indent)}Worker ${worker['Worker Number'] ?? 0}:  ${l}` : `${pad(indent + 1)}${l}`));
}

function bufferText(num: (k: string) => number): string | undefined {
  const group = (label: string, fields: Array<[string, string]>) => {
    const parts = fields.filter(([, k]) => num(k) > 0).map(([l, k]) => `${l}=${num(k)}`);
    return parts.length > 0 ? `${label} ${parts.join(' ')}` : undefined;
  };
  const groups = [
    group('shared', [['hit', 'Shared Hit Blocks'], ['read', 'Shared Read Blocks'], ['dirtied', 'Shared Dirtied Blocks'], ['written', 'Shared Written Blocks']]),
    group('local', [['hit', 'Local Hit Blocks'], ['read', 'Local Read Blocks'], ['dirtied', 'Local Dirtied Blocks'], ['written', 'Local Written Blocks']]),
    group('temp', [['read', 'Temp Read Blocks'], ['written', 'Temp Written Blocks']]),
  ].filter((g): g is string => g !== undefined);
  return groups.length > 0 ? `Buffers: ${groups.join(', ')}` : undefined;
}

function ioText(node: Record<string, unknown>, num: (k: string) => number): string | undefined {
  const group = (label: string, read: string, write: string) => {
    const parts = [num(read) > 0 ? `read=${fixed(num(read), 3)}` : '', num(write) > 0 ? `write=${fixed(num(write), 3)}` : ''].filter(Boolean);
    return parts.length > 0 ? `${label}${label ? ' ' : ''}${parts.join(' ')}` : undefined;
  };
  // Before 17 shared and local were one figure, printed "shared/local" from 15 (when temp timings arrived) and bare before.
  const legacy = 'I/O Read Time' in node;
  const sharedLabel = legacy ? ('Temp I/O Read Time' in node ? 'shared/local' : '') : 'shared';
  const groups = [
    legacy ? group(sharedLabel, 'I/O Read Time', 'I/O Write Time') : group('shared', 'Shared I/O Read Time', 'Shared I/O Write Time'),
    legacy ? undefined : group('local', 'Local I/O Read Time', 'Local I/O Write Time'),
    group('temp', 'Temp I/O Read Time', 'Temp I/O Write Time'),
  ].filter((g): g is string => g !== undefined);
  return groups.length > 0 ? `I/O Timings: ${groups.join(', ')}` : undefined;
}

function sortGroupsText(label: string, groups: Record<string, unknown>): string {
  const methods = Array.isArray(groups['Sort Methods Used']) ? (groups['Sort Methods Used'] as string[]) : [];
  let text = `${label} Groups: ${valueText(groups['Group Count'] ?? 0)}  Sort Method${methods.length > 1 ? 's' : ''}: ${methods.join(', ')}`;
  for (const kind of ['Memory', 'Disk']) {
    const space = groups[`Sort Space ${kind}`] as Record<string, number> | undefined;
    if (space) text += `  Average ${kind}: ${space['Average Sort Space Used'] ?? 0}kB  Peak ${kind}: ${space['Peak Sort Space Used'] ?? 0}kB`;
  }
  return text;
}

function renderSummary(ctx: Ctx, explain: RawExplain): void {
  for (const key of Object.keys(explain)) {
    const value = explain[key];
    switch (key) {
      case 'Plan':
        break;
      case 'Settings': {
        const entries = Object.entries(explain.Settings ?? {});
        if (entries.length > 0) ctx.out.push(`Settings: ${entries.map(([k, v]) => `${k} = '${v}'`).join(', ')}`);
        break;
      }
      case 'Planning': {
        const planning = explain.Planning ?? {};
        const lines = detailLines(ctx, planning as Record<string, unknown>).filter((l) => !l.startsWith('Memory Used') && !l.startsWith('Memory Allocated'));
        if (planning['Memory Used'] !== undefined) lines.push(`Memory: used=${planning['Memory Used']}kB  allocated=${planning['Memory Allocated'] ?? 0}kB`);
        if (lines.length > 0) ctx.out.push('Planning:', ...lines.map((l) => pad(1) + l));
        break;
      }
      case 'Planning Time':
      case 'Execution Time':
        ctx.out.push(`${key}: ${fixed(value as number, 3)} ms`);
        break;
      case 'Triggers':
        for (const t of explain.Triggers ?? []) {
          const name = `Trigger ${t['Trigger Name']}${t['Constraint Name'] ? ` for constraint ${t['Constraint Name']}` : ''}`;
          ctx.out.push(t.Time !== undefined ? `${name}: time=${fixed(t.Time, 3)} calls=${t.Calls ?? 0}` : `${name}: calls=${t.Calls ?? 0}`);
        }
        break;
      case 'JIT':
        ctx.out.push(...jitLines(explain.JIT ?? {}));
        break;
      case 'Serialization': {
        const s = explain.Serialization ?? {};
        const time = s.Time !== undefined ? `time=${fixed(s.Time as number, 3)} ms  ` : '';
        ctx.out.push(`Serialization: ${time}output=${valueText(s['Output Volume'] ?? 0)}kB  format=${valueText(s.Format ?? 'text')}`);
        break;
      }
      default:
        ctx.out.push(`${key}: ${valueText(value)}`);
    }
  }
}

function jitLines(jit: NonNullable<RawExplain['JIT']>): string[] {
  const lines = ['JIT:'];
  if (jit.Functions !== undefined) lines.push(`  Functions: ${jit.Functions}`);
  if (jit.Options) lines.push(`  Options: ${Object.entries(jit.Options).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
  const t = jit.Timing;
  if (t) {
    const parts = Object.entries(t).map(([k, v]) => {
      if (typeof v === 'object' && v !== null) {
        const g: { Deform?: number; Total?: number } = v;
        return `${k} ${fixed(g.Total, 3)} ms${g.Deform !== undefined ? ` (Deform ${fixed(g.Deform, 3)} ms)` : ''}`;
      }
      return `${k} ${fixed(v, 3)} ms`;
    });
    lines.push(`  Timing: ${parts.join(', ')}`);
  }
  return lines;
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => valueText(v)).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

function fixed(value: number | undefined, digits: number): string {
  return (value ?? 0).toFixed(digits);
}
