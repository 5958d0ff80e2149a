/**
 * A synthetic EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output of any size, for
 * the plan benchmarks: joins, aggregates, sorts, appends and scans of every
 * kind, with consistent figures (a parent's time and buffers include its
 * children's), filters, misestimates, a spilled sort and a lossy bitmap
 * here and there, so that enrichment, the tip rules and the view have real
 * work on every node. Deterministic: the same size gives the same plan.
 */

type Node = Record<string, unknown> & { Plans?: Node[] };

interface Built {
  readonly node: Node;
  /** Inclusive time per loop, ms. */
  readonly timeMs: number;
  readonly rows: number;
  readonly hit: number;
  readonly read: number;
}

const TABLES = ['orders', 'customers', 'line_items', 'invoices', 'products', 'sessions', 'events', 'audit_log'];

/** A small deterministic pseudo-random sequence (a linear congruential generator). */
function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function common(type: string, timeMs: number, rows: number, planRows: number, hit: number, read: number): Node {
  return {
    'Node Type': type,
    'Parallel Aware': false,
    'Async Capable': false,
    'Startup Cost': 0.0,
    'Total Cost': Math.round(rows * 1.5 + 10),
    'Plan Rows': planRows,
    'Plan Width': 24,
    'Actual Startup Time': Number((timeMs * 0.1).toFixed(3)),
    'Actual Total Time': Number(timeMs.toFixed(3)),
    'Actual Rows': rows,
    'Actual Loops': 1,
    'Shared Hit Blocks': hit,
    'Shared Read Blocks': read,
    'Shared Dirtied Blocks': 0,
    'Shared Written Blocks': 0,
    'Local Hit Blocks': 0,
    'Local Read Blocks': 0,
    'Local Dirtied Blocks': 0,
    'Local Written Blocks': 0,
    'Temp Read Blocks': 0,
    'Temp Written Blocks': 0,
  };
}

export function syntheticPlan(nodeCount: number): unknown {
  const rand = sequence(nodeCount);
  let made = 0;

  /** A scan: one node, or two when `withIndex` allows a bitmap heap scan over its bitmap index scan. */
  function leaf(withIndex: boolean): Built {
    const i = made++;
    const table = TABLES[i % TABLES.length]!;
    const alias = `${table[0]}${i}`;
    const rows = 1 + Math.floor(rand() * 5000);
    const timeMs = 0.05 + rand() * 3;
    const hit = 5 + Math.floor(rand() * 400);
    const read = Math.floor(rand() * 50);
    const planRows = i % 7 === 0 ? Math.max(1, Math.floor(rows / 150)) : rows;
    const kind = withIndex ? 3 : i % 3;
    const type = kind === 0 ? 'Seq Scan' : kind === 1 ? 'Index Scan' : kind === 2 ? 'Index Only Scan' : 'Bitmap Heap Scan';
    const node = common(type, timeMs, rows, planRows, hit, read);
    node['Relation Name'] = table;
    node['Schema'] = 'public';
    node['Alias'] = alias;
    if (type === 'Index Scan' || type === 'Index Only Scan') {
      node['Index Name'] = `${table}_pkey`;
      node['Scan Direction'] = 'Forward';
      node['Index Cond'] = `(${alias}.id = ${i})`;
    }
    if (type === 'Index Only Scan') node['Heap Fetches'] = i % 3 === 0 ? rows : 0;
    if (type === 'Bitmap Heap Scan') {
      node['Recheck Cond'] = `(${alias}.status = 'paid'::text)`;
      node['Exact Heap Blocks'] = 40;
      node['Lossy Heap Blocks'] = i % 5 === 0 ? 300 : 0;
      node['Rows Removed by Index Recheck'] = i % 5 === 0 ? rows * 3 : 0;
      const index = common('Bitmap Index Scan', timeMs * 0.2, rows, planRows, 3, 0);
      index['Index Name'] = `${table}_status_idx`;
      index['Index Cond'] = `(status = 'paid'::text)`;
      index['Parent Relationship'] = 'Outer';
      made++;
      node.Plans = [index];
    }
    if (type === 'Seq Scan' || i % 6 === 0) {
      node['Filter'] = `((${alias}.created_at > '2025-01-01'::date) AND (${alias}.note <> '<b>${i}</b>'::text))`;
      node['Rows Removed by Filter'] = rows * (i % 2 === 0 ? 20 : 1);
    }
    return { node, timeMs, rows, hit, read };
  }

  /** A subtree of exactly `n` nodes. */
  function build(n: number): Built {
    if (n <= 1) return leaf(false);
    if (n === 2 && made % 2 === 0) return leaf(true);
    const i = made++;
    if (n === 2 || i % 9 === 0) {
      // A one-input node: sort, aggregate or limit over the rest.
      const child = build(n - 1);
      const kind = i % 3;
      const type = kind === 0 ? 'Sort' : kind === 1 ? 'Aggregate' : 'Limit';
      const own = 0.05 + rand() * 2;
      const rows = type === 'Aggregate' ? Math.max(1, Math.floor(child.rows / 10)) : type === 'Limit' ? Math.min(child.rows, 100) : child.rows;
      const node = common(type, child.timeMs + own, rows, rows, child.hit, child.read);
      if (type === 'Sort') {
        node['Sort Key'] = ['created_at DESC'];
        node['Sort Method'] = i % 4 === 0 ? 'external merge' : 'quicksort';
        node['Sort Space Used'] = i % 4 === 0 ? 2048 : 64;
        node['Sort Space Type'] = i % 4 === 0 ? 'Disk' : 'Memory';
      }
      if (type === 'Aggregate') {
        node['Strategy'] = 'Hashed';
        node['Group Key'] = ['status'];
      }
      child.node['Parent Relationship'] = 'Outer';
      node.Plans = [child.node];
      return { node, timeMs: child.timeMs + own, rows, hit: child.hit, read: child.read };
    }
    // A join of two subtrees, or an append of several.
    const parts = i % 11 === 0 ? 2 + (i % 4) : 2;
    const sizes = Array.from({ length: parts }, (_, k) => Math.floor((n - 1) / parts) + (k < (n - 1) % parts ? 1 : 0)).filter((s) => s > 0);
    const children = sizes.map((s) => build(s));
    const own = 0.05 + rand() * 2;
    const timeMs = children.reduce((sum, c) => sum + c.timeMs, own);
    const hit = children.reduce((sum, c) => sum + c.hit, 0);
    const read = children.reduce((sum, c) => sum + c.read, 0);
    const type = children.length > 2 ? 'Append' : i % 3 === 0 ? 'Nested Loop' : i % 3 === 1 ? 'Hash Join' : 'Merge Join';
    const rows = type === 'Append' ? children.reduce((sum, c) => sum + c.rows, 0) : Math.max(1, Math.floor((children[0]!.rows + children[1]!.rows) / 3));
    const node = common(type, timeMs, rows, i % 5 === 0 ? Math.max(1, Math.floor(rows / 40)) : rows, hit, read);
    if (type !== 'Append') {
      node['Join Type'] = 'Inner';
      node[type === 'Hash Join' ? 'Hash Cond' : type === 'Merge Join' ? 'Merge Cond' : 'Join Filter'] = `(a${i}.id = b${i}.a_id)`;
    }
    children.forEach((c, k) => (c.node['Parent Relationship'] = type === 'Append' ? 'Member' : k === 0 ? 'Outer' : 'Inner'));
    node.Plans = children.map((c) => c.node);
    return { node, timeMs, rows, hit, read };
  }

  const root = build(nodeCount);
  return [{
    Plan: root.node,
    Planning: { 'Shared Hit Blocks': 120, 'Shared Read Blocks': 0, 'Shared Dirtied Blocks': 0, 'Shared Written Blocks': 0 },
    'Planning Time': 3.2,
    Triggers: [],
    'Execution Time': Number((root.timeMs + 0.5).toFixed(3)),
  }];
}

/** How many nodes a plan holds (Plans nested at any depth). */
export function countNodes(plan: unknown): number {
  const walk = (n: Node): number => 1 + (n.Plans ?? []).reduce((sum, c) => sum + walk(c), 0);
  return walk((plan as [{ Plan: Node }])[0].Plan);
}
