/**
 * The type every key of EXPLAIN (FORMAT JSON) output has when the plan
 * engine reads it (model.ts, as data). Checked once, at parse time, so that
 * a plan edited by hand or produced by another tool ("Plan Rows": "12",
 * "Filter": 5, "Workers": {}) is refused with a sentence naming the key,
 * instead of failing deep inside enrichment, the tips or the text renderer.
 * Keys not listed here are kept as they are: only the text renderer shows
 * them, and it prints any value.
 */

export type Shape =
  | 'number'
  | 'string'
  | 'boolean'
  | 'strings'
  | { readonly object: Fields }
  | { readonly objects: Fields }
  | { readonly values: Shape }
  | { readonly either: readonly Shape[] };

export type Fields = Readonly<Record<string, Shape>>;

function each(shape: Shape, keys: readonly string[]): Fields {
  return Object.fromEntries(keys.map((k) => [k, shape]));
}

const BUFFERS_AND_WAL = each('number', [
  'Shared Hit Blocks', 'Shared Read Blocks', 'Shared Dirtied Blocks', 'Shared Written Blocks',
  'Local Hit Blocks', 'Local Read Blocks', 'Local Dirtied Blocks', 'Local Written Blocks',
  'Temp Read Blocks', 'Temp Written Blocks',
  'Shared I/O Read Time', 'Shared I/O Write Time', 'Local I/O Read Time', 'Local I/O Write Time',
  'Temp I/O Read Time', 'Temp I/O Write Time', 'I/O Read Time', 'I/O Write Time',
  'WAL Records', 'WAL FPI', 'WAL Bytes', 'WAL Buffers Full',
]);

const SORT_SPACE: Fields = each('number', ['Average Sort Space Used', 'Peak Sort Space Used']);

const SORT_GROUPS: Fields = {
  'Group Count': 'number',
  'Sort Methods Used': 'strings',
  'Sort Space Memory': { object: SORT_SPACE },
  'Sort Space Disk': { object: SORT_SPACE },
};

const WORKER: Fields = {
  ...BUFFERS_AND_WAL,
  ...each('number', ['Worker Number', 'Actual Startup Time', 'Actual Total Time', 'Actual Rows', 'Actual Loops', 'Sort Space Used', 'Peak Memory Usage', 'Disk Usage', 'HashAgg Batches']),
  ...each('string', ['Sort Method', 'Sort Space Type']),
};

/** The keys of a plan node but "Plans", which the parser walks itself. */
export const NODE_FIELDS: Fields = {
  ...BUFFERS_AND_WAL,
  ...each('string', [
    'Node Type', 'Parent Relationship', 'Subplan Name', 'Strategy', 'Partial Mode', 'Operation', 'Join Type', 'Command',
    'Custom Plan Provider', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'Scan Direction', 'CTE Name', 'Function Name',
    'Table Function Name', 'Tuplestore Name', 'Filter', 'Index Cond', 'Recheck Cond', 'Join Filter', 'Hash Cond', 'Merge Cond',
    'One-Time Filter', 'TID Cond', 'Order By', 'Run Condition', 'Sort Method', 'Sort Space Type', 'Storage', 'Cache Key', 'Cache Mode',
  ]),
  ...each('boolean', ['Parallel Aware', 'Async Capable', 'Disabled', 'Inner Unique', 'Single Copy']),
  ...each('strings', ['Output', 'Sort Key', 'Presorted Key', 'Group Key']),
  ...each('number', [
    'Startup Cost', 'Total Cost', 'Plan Rows', 'Plan Width', 'Actual Startup Time', 'Actual Total Time', 'Actual Rows', 'Actual Loops',
    'Rows Removed by Filter', 'Rows Removed by Join Filter', 'Rows Removed by Index Recheck', 'Heap Fetches', 'Index Searches',
    'Exact Heap Blocks', 'Lossy Heap Blocks', 'Sort Space Used', 'Planned Partitions', 'HashAgg Batches', 'Peak Memory Usage', 'Disk Usage',
    'Hash Buckets', 'Original Hash Buckets', 'Hash Batches', 'Original Hash Batches', 'Workers Planned', 'Workers Launched',
    'Maximum Storage', 'Cache Hits', 'Cache Misses', 'Cache Evictions', 'Cache Overflows',
  ]),
  'Full-sort Groups': { object: SORT_GROUPS },
  'Pre-sorted Groups': { object: SORT_GROUPS },
  Workers: { objects: WORKER },
};

const TRIGGER: Fields = { 'Trigger Name': 'string', 'Constraint Name': 'string', Relation: 'string', Time: 'number', Calls: 'number' };

/** Timings are milliseconds; from PostgreSQL 17 "Generation" is an object with "Deform" and "Total". */
const JIT_TIMING: Shape = { either: ['number', { object: each('number', ['Deform', 'Total']) }] };

/** The keys of the element around "Plan". */
export const EXPLAIN_FIELDS: Fields = {
  'Query Identifier': { either: ['number', 'string'] },
  'Planning Time': 'number',
  'Execution Time': 'number',
  Planning: { object: { ...BUFFERS_AND_WAL, 'Memory Used': 'number', 'Memory Allocated': 'number' } },
  Triggers: { objects: TRIGGER },
  JIT: { object: { Functions: 'number', Options: { values: 'boolean' }, Timing: { values: JIT_TIMING } } },
  Settings: { values: 'string' },
  Serialization: { object: { Time: 'number', 'Output Volume': 'number', Format: 'string' } },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value of this shape is, in words: "a number", "an array of strings". */
export function expected(shape: Shape): string {
  if (typeof shape === 'string') return shape === 'strings' ? 'an array of strings' : `a ${shape}`;
  if ('object' in shape || 'values' in shape) return 'an object';
  if ('objects' in shape) return 'an array of objects';
  return shape.either.map(expected).join(' or ');
}

/** What a value is, in words, for the message: "the string \"12\"", "null", "an array". */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

/**
 * The first key of `value` whose value does not have its shape, as
 * `"Workers"[1]."Sort Method" must be a string, got a number`; null when
 * every listed key is right.
 */
export function fieldProblem(value: Record<string, unknown>, fields: Fields): string | null {
  for (const key of Object.keys(value)) {
    const shape = fields[key];
    // A key set to undefined (a plan built in code) is as good as absent: JSON has no undefined.
    if (shape === undefined || value[key] === undefined) continue;
    const problem = shapeProblem(value[key], shape, JSON.stringify(key));
    if (problem !== null) return problem;
  }
  return null;
}

function shapeProblem(value: unknown, shape: Shape, path: string): string | null {
  const wrong = () => `${path} must be ${expected(shape)}, got ${describe(value)}`;
  if (typeof shape === 'string') {
    switch (shape) {
      case 'number':
        return typeof value === 'number' && Number.isFinite(value) ? null : wrong();
      case 'string':
      case 'boolean':
        return typeof value === shape ? null : wrong();
      case 'strings':
        return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : wrong();
    }
  }
  if ('either' in shape) return shape.either.some((s) => shapeProblem(value, s, path) === null) ? null : wrong();
  if ('objects' in shape) {
    if (!Array.isArray(value)) return wrong();
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (!isRecord(item)) return `${path}[${i}] must be an object, got ${describe(item)}`;
      const inner = fieldProblem(item, shape.objects);
      if (inner !== null) return `${path}[${i}].${inner}`;
    }
    return null;
  }
  if (!isRecord(value)) return wrong();
  if ('object' in shape) {
    const inner = fieldProblem(value, shape.object);
    return inner === null ? null : `${path}.${inner}`;
  }
  for (const [key, v] of Object.entries(value)) {
    const inner = shapeProblem(v, shape.values, JSON.stringify(key));
    if (inner !== null) return `${path}.${inner}`;
  }
  return null;
}
