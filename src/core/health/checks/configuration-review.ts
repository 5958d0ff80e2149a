/**
 * A review of the settings that matter most for performance, each with what
 * it does and a suggested value. The server's RAM and disks are not visible
 * from SQL, so suggestions are stated relative to them ("25 % of RAM") and
 * only clear mistakes are warnings; defaults that are usually wrong on a real
 * server are info.
 */
import { formatBytes } from '../format';
import { quoteLiteral } from '../ident';
import { statusOf } from '../outcome';
import { bool, num, text } from '../rows';
import type { CellValue, Finding, Row, Severity, SingleQueryCheck } from '../types';

const NAMES = [
  'shared_buffers',
  'effective_cache_size',
  'work_mem',
  'maintenance_work_mem',
  'max_connections',
  'random_page_cost',
  'autovacuum',
  'track_counts',
  'track_io_timing',
  'log_min_duration_statement',
  'jit',
];

const UNIT_BYTES: Readonly<Record<string, number>> = { B: 1, kB: 1024, '8kB': 8192, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

interface Setting {
  readonly name: string;
  readonly value: string;
  /** In bytes for memory settings, else the numeric setting. */
  readonly amount: number | null;
  readonly isDefault: boolean;
  readonly context: string;
}

interface Review {
  readonly suggested: string;
  readonly why: string;
  /** Without `sql`, the fix depends on what the server cannot tell (its RAM) and is described in words. */
  readonly finding?: { severity: Severity; message: string; sql?: string };
}

/** Facts beside the settings: the current database's size bounds what caching it can use. */
interface Environment {
  readonly databaseBytes: number | null;
}

type Rule = (s: Setting, all: ReadonlyMap<string, Setting>, env: Environment) => Review;

const MiB = 1024 ** 2;

const RULES: Readonly<Record<string, Rule>> = {
  // The server's RAM is not visible from SQL, so no size is written for it:
  // a fixed value (say 4GB) would be wrong for most machines. A database that
  // fits in shared_buffers already gains nothing from more.
  shared_buffers: (s, _all, env) => ({
    suggested: 'about 25 % of RAM',
    why: "PostgreSQL's own page cache. Too small and hot data is re-read from the OS cache on every miss. Set it to about 25 % of the server's RAM (ALTER SYSTEM SET shared_buffers = '<size>'; then restart).",
    finding:
      s.amount !== null && s.amount <= 128 * MiB && (env.databaseBytes === null || env.databaseBytes > s.amount)
        ? {
            severity: 'info',
            message: `shared_buffers is ${s.value}, the size for a small machine${env.databaseBytes !== null ? `, while this database holds ${formatBytes(env.databaseBytes)}` : ''}; a dedicated server usually gives it about 25 % of RAM.`,
          }
        : undefined,
  }),
  effective_cache_size: (s, all) => {
    const sb = all.get('shared_buffers')?.amount ?? null;
    const why = "Tells the planner how much data the OS and PostgreSQL can cache; too low and it avoids index scans that would be cheap. Set it to 50-75 % of the server's RAM (ALTER SYSTEM SET effective_cache_size = '<size>'; then SELECT pg_reload_conf();).";
    return {
      suggested: '50 to 75 % of RAM',
      why,
      finding:
        sb !== null && s.amount !== null && s.amount < sb
          ? {
              severity: 'warning',
              message: `effective_cache_size (${s.value}) is smaller than shared_buffers; it should include shared_buffers plus the OS cache.`,
              // At least shared_buffers is right on any machine; the rest depends on RAM.
              sql: set(s, all.get('shared_buffers')?.value.replace(/\s+/g, '') ?? '', ''),
            }
          : s.isDefault
            ? { severity: 'info', message: `effective_cache_size is the default ${s.value}; set it to 50-75 % of the server's RAM.` }
            : undefined,
    };
  },

  work_mem: (s, all) => {
    const connections = all.get('max_connections')?.amount ?? null;
    const cache = all.get('effective_cache_size')?.amount ?? null;
    // Each sort or hash of each connection may use work_mem; measured against the cache the planner assumes.
    const risky = s.amount !== null && connections !== null && cache !== null && s.amount * connections > 2 * cache;
    return {
      suggested: '16-64 MB for OLTP; more per role for reporting',
      why: 'Memory per sort or hash operation before it spills to temporary files. Several may run per query, in every connection.',
      finding: risky
        ? {
            severity: 'warning',
            message: `work_mem (${s.value}) times max_connections (${connections}) is ${formatBytes((s.amount ?? 0) * (connections ?? 0))}, over twice effective_cache_size: a busy moment can run the server out of memory. ` +
              'Set it back to an OLTP size for everyone, and give more only to the roles that run reports (ALTER ROLE reporting SET work_mem = …).',
            sql: set(s, '32MB', 'typical OLTP'),
          }
        : undefined,
    };
  },
  maintenance_work_mem: (s) => ({
    suggested: '256 MB to 1 GB',
    why: 'Memory for VACUUM, CREATE INDEX and foreign key checks; larger values make them much faster.',
    finding:
      s.amount !== null && s.amount <= 64 * MiB
        ? { severity: 'info', message: `maintenance_work_mem is ${s.value}: VACUUM and index builds would run faster with 256 MB to 1 GB.`, sql: set(s, '512MB', '') }
        : undefined,
  }),
  max_connections: () => ({
    suggested: 'what the pooler needs; a few hundred at most',
    why: 'Each connection is a process with its own memory; a pooler serves many clients with few connections.',
  }),
  random_page_cost: (s) => ({
    suggested: '1.1 on SSD or cloud storage',
    why: 'Planner cost of a random page read relative to a sequential one (1.0). The default 4 models spinning disks and undervalues index scans on SSDs.',
    finding:
      s.amount !== null && s.amount >= 4
        ? { severity: 'info', message: `random_page_cost is ${s.value}, tuned for spinning disks; on SSD or cloud storage 1.1 lets the planner choose index scans it now avoids.`, sql: set(s, '1.1', 'SSD') }
        : undefined,
  }),
  autovacuum: (s) => ({
    suggested: 'on',
    why: 'Removes dead rows, refreshes planner statistics and prevents transaction ID wraparound.',
    finding: s.value !== 'on' ? { severity: 'critical', message: 'autovacuum is off: dead rows accumulate, statistics go stale and only emergency anti-wraparound vacuums run.', sql: set(s, 'on', '') } : undefined,
  }),
  track_counts: (s) => ({
    suggested: 'on',
    why: 'Collects the table activity counters that autovacuum and these checks rely on.',
    finding: s.value !== 'on' ? { severity: 'critical', message: 'track_counts is off: autovacuum cannot tell which tables need work.', sql: set(s, 'on', '') } : undefined,
  }),
  track_io_timing: (s) => ({
    suggested: 'on (check the overhead with pg_test_timing)',
    why: 'Records time spent reading and writing blocks, shown in EXPLAIN (BUFFERS) and pg_stat_statements.',
    finding: s.value !== 'on' ? { severity: 'info', message: 'track_io_timing is off: plans and statement statistics cannot show how much time goes to I/O.', sql: set(s, 'on', '') } : undefined,
  }),
  log_min_duration_statement: (s) => ({
    suggested: '1000 ms (or lower, down to 100 ms, when the log can take it)',
    why: 'Logs every statement slower than this, with its duration: the simplest record of slow queries.',
    finding: s.amount === -1 ? { severity: 'info', message: 'log_min_duration_statement is off: slow statements are not logged.', sql: set(s, '1000', '') } : undefined,
  }),
  jit: (s) => ({
    suggested: 'off for OLTP, or a higher jit_above_cost',
    why: 'Compiles expressions for long analytical queries; on short queries with high estimated costs, compiling can take longer than the query.',
    finding: s.value === 'on' ? { severity: 'info', message: 'jit is on: for OLTP workloads its compile time often outweighs the gain on misestimated queries.', sql: set(s, 'off', 'OLTP') } : undefined,
  }),
};

/** The setting change to copy, reloading or noting the restart as the setting's context requires. */
function set(s: Setting, value: string, assuming: string): string {
  const apply = s.context === 'postmaster' ? '-- then restart the server' : '-- then SELECT pg_reload_conf();';
  return `ALTER SYSTEM SET ${s.name} = ${quoteLiteral(value)};  ${apply}${assuming ? ` (value for ${assuming})` : ''}`;
}

function toSetting(r: Row): Setting {
  const setting = text(r.setting);
  const unit = text(r.unit);
  const n = num(setting);
  const unitBytes = UNIT_BYTES[unit];
  const amount = n === null ? null : unitBytes !== undefined && n >= 0 ? n * unitBytes : n;
  const value = unitBytes !== undefined && n !== null && n >= 0 ? formatBytes(n * unitBytes) : unit && n !== null ? `${setting} ${unit}` : setting;
  return { name: text(r.name), value, amount, isDefault: text(r.source) === 'default', context: text(r.context) };
}

export const configurationReview: SingleQueryCheck = {
  id: 'configuration-review',
  title: 'Configuration review',
  category: 'configuration',
  level: 'server',
  minVersion: 90600,
  privileges: 'Any role: these settings are visible to all.',
  thresholds: [],
  sql: `SELECT name, setting, unit, source, context, pending_restart,
       pg_database_size(current_database()) AS database_bytes
FROM pg_settings
WHERE name IN (${NAMES.map((n) => quoteLiteral(n)).join(', ')})`,
  evaluate(rows) {
    const settings = new Map(rows.map((r) => [text(r.name), toSetting(r)]));
    const env: Environment = { databaseBytes: rows[0] ? num(rows[0].database_bytes) : null };
    const findings: Finding[] = [];
    const table: CellValue[][] = [];
    for (const name of NAMES) {
      const s = settings.get(name);
      const rule = RULES[name];
      if (!s || !rule) continue;
      const review = rule(s, settings, env);
      table.push([name, s.value, review.suggested, review.why]);
      if (review.finding) {
        findings.push({
          severity: review.finding.severity,
          object: name,
          message: review.finding.message,
          remediation: { text: review.why, ...(review.finding.sql ? { sql: review.finding.sql } : {}) },
        });
      }
    }
    const pending = rows.filter((r) => bool(r.pending_restart)).map((r) => text(r.name));
    return {
      status: statusOf(findings),
      summary:
        `${findings.length === 0 ? 'No setting to review' : `${findings.length} of ${table.length} settings worth a look`}` +
        (pending.length > 0 ? `; waiting for a restart: ${pending.join(', ')}.` : '.'),
      findings,
      details: [{ columns: [{ label: 'Setting' }, { label: 'Value' }, { label: 'Suggested' }, { label: 'Why' }], rows: table }],
    };
  },
};
