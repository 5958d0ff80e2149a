/**
 * Transaction ID and multixact age, per database and for the oldest tables
 * here. IDs are 32-bit and compared modulo 2^31: when the oldest unfrozen row
 * of any table gets close to 2^31 transactions old, PostgreSQL stops
 * assigning new IDs to avoid data loss. Autovacuum freezes tables once their
 * age passes autovacuum_freeze_max_age; an age far beyond it means freezing
 * is not keeping up (often a long transaction, an abandoned replication slot
 * or prepared transaction holding the horizon back), long before the hard
 * limit comes near: both are judged.
 */
import { formatCount, formatPercent } from '../format';
import { qualified } from '../ident';
import { statusOf } from '../outcome';
import { num, num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { Finding, MultiQueryCheck, Row, Rows, Severity } from '../types';
import type { HealthThresholds } from '../thresholds';

/** 2^31: ages are compared against this modulus. */
export const XID_LIMIT = 2 ** 31;

type WraparoundRows = { databases: Rows; tables: Rows };

export const transactionIdWraparound: MultiQueryCheck<WraparoundRows> = {
  id: 'transaction-id-wraparound',
  title: 'Transaction ID wraparound',
  category: 'maintenance',
  level: 'database',
  minVersion: 90500,
  privileges: 'Any role.',
  thresholds: ['wraparoundWarningRemaining', 'wraparoundCriticalRemaining'],
  sql: {
    databases: `SELECT datname AS database,
       age(datfrozenxid) AS xid_age,
       mxid_age(datminmxid) AS mxid_age,
       current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max_age,
       current_setting('autovacuum_multixact_freeze_max_age')::bigint AS multixact_freeze_max_age
FROM pg_database
WHERE datallowconn
ORDER BY age(datfrozenxid) DESC`,
    // A table's age is that of its heap or its TOAST table, whichever is older.
    // Autovacuum uses a table's own freeze_max_age storage parameter when it is
    // lower than the server's (least() skips the NULL of an unset one).
    tables: `SELECT n.nspname AS schema, c.relname AS table,
       greatest(age(c.relfrozenxid), age(t.relfrozenxid)) AS xid_age,
       greatest(mxid_age(c.relminmxid), mxid_age(t.relminmxid)) AS mxid_age,
       least((SELECT option_value FROM pg_options_to_table(c.reloptions) WHERE option_name = 'autovacuum_freeze_max_age')::bigint,
             current_setting('autovacuum_freeze_max_age')::bigint) AS freeze_max_age,
       least((SELECT option_value FROM pg_options_to_table(c.reloptions) WHERE option_name = 'autovacuum_multixact_freeze_max_age')::bigint,
             current_setting('autovacuum_multixact_freeze_max_age')::bigint) AS multixact_freeze_max_age,
       pg_total_relation_size(c.oid) AS bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
WHERE c.relkind IN ('r', 'm')
  AND ${userSchema('n')}
ORDER BY 3 DESC
LIMIT 20`,
  },
  evaluate(rows, t) {
    const findings: Finding[] = [];
    for (const r of rows.databases) {
      const name = text(r.database);
      const f = judge(`database ${name}`, ages(r), t);
      if (f) {
        findings.push({
          ...f,
          object: name,
          remediation: {
            text:
              'Find what holds the freeze horizon back (long transactions, prepared transactions, replication slots), then let autovacuum finish ' +
              'or run VACUUM (FREEZE) on the oldest tables of that database (listed by this check when run there).',
            sql: 'VACUUM (FREEZE, VERBOSE);  -- in the affected database',
          },
        });
      }
    }
    for (const r of rows.tables) {
      const schema = text(r.schema);
      const table = text(r.table);
      const f = judge(`${schema}.${table}`, ages(r), t);
      if (f) {
        findings.push({
          ...f,
          object: `${schema}.${table}`,
          relation: { schema, table },
          remediation: {
            text:
              'Freeze the table; it can run while the table is in use. VACUUM cannot freeze rows newer than the oldest transaction still open, ' +
              'so first end what holds the horizon back (a session idle in transaction, a prepared transaction, a replication slot).',
            sql: `VACUUM (FREEZE, VERBOSE) ${qualified(schema, table)};`,
          },
        });
      }
    }
    const oldest = rows.databases[0];
    const oldestAge = num0(oldest?.xid_age);
    return {
      status: statusOf(findings),
      summary: oldest
        ? `Oldest database ${text(oldest.database)}: ${formatCount(oldestAge)} transactions old, ${formatCount(XID_LIMIT - oldestAge)} left before wraparound (${formatPercent((100 * oldestAge) / XID_LIMIT)} used).`
        : 'No database allows connections.',
      findings,
      details: [
        {
          title: 'Databases',
          columns: [
            { label: 'Database' },
            { label: 'XID age', kind: 'number' },
            { label: 'Left before wraparound', kind: 'number' },
            { label: 'autovacuum_freeze_max_age', kind: 'number' },
            { label: 'Multixact age', kind: 'number' },
          ],
          rows: rows.databases.map((r) => [text(r.database), num0(r.xid_age), XID_LIMIT - num0(r.xid_age), num0(r.freeze_max_age), num0(r.mxid_age)]),
        },
        {
          title: 'Oldest tables in this database',
          columns: [{ label: 'Table' }, { label: 'XID age', kind: 'number' }, { label: 'Multixact age', kind: 'number' }, { label: 'Size', kind: 'bytes' }],
          rows: rows.tables.map((r) => [`${text(r.schema)}.${text(r.table)}`, num0(r.xid_age), num0(r.mxid_age), num0(r.bytes)]),
        },
      ],
    };
  },
};

interface Ages {
  readonly xid: number;
  readonly mxid: number;
  /** autovacuum_freeze_max_age and its multixact twin; null when the row does not carry them. */
  readonly freezeMax: number | null;
  readonly multixactFreezeMax: number | null;
}

function ages(r: Row): Ages {
  return { xid: num0(r.xid_age), mxid: num0(r.mxid_age), freezeMax: num(r.freeze_max_age), multixactFreezeMax: num(r.multixact_freeze_max_age) };
}

/**
 * The remaining IDs before the 2^31 limit decide first. Below those
 * thresholds, the age is also judged against autovacuum_freeze_max_age, the
 * age at which autovacuum forces a freeze: past it, that vacuum is due or
 * running (info); past twice that, it has had every chance to finish, so
 * something keeps it from advancing (warning).
 */
function judge(what: string, a: Ages, t: HealthThresholds): { severity: Severity; message: string } | null {
  const age = Math.max(a.xid, a.mxid);
  const left = XID_LIMIT - age;
  const kind = a.mxid > a.xid ? 'multixact IDs' : 'transaction IDs';
  const severity: Severity | null = left < t.wraparoundCriticalRemaining ? 'critical' : left < t.wraparoundWarningRemaining ? 'warning' : null;
  if (severity) {
    return {
      severity,
      message: `${what} is ${formatCount(age)} ${kind} old: ${formatCount(left)} remain before PostgreSQL must stop accepting writes to prevent wraparound.`,
    };
  }
  const xidRatio = a.freezeMax ? a.xid / a.freezeMax : 0;
  const mxidRatio = a.multixactFreezeMax ? a.mxid / a.multixactFreezeMax : 0;
  const ratio = Math.max(xidRatio, mxidRatio);
  if (ratio <= 1) return null;
  const [setting, limit, ids] =
    mxidRatio > xidRatio
      ? ['autovacuum_multixact_freeze_max_age', a.multixactFreezeMax, a.mxid] as const
      : ['autovacuum_freeze_max_age', a.freezeMax, a.xid] as const;
  const stuck = ratio > 2;
  return {
    severity: stuck ? 'warning' : 'info',
    message:
      `${what} is ${formatCount(ids)} ${mxidRatio > xidRatio ? 'multixact IDs' : 'transaction IDs'} old, ${stuck ? 'more than twice' : 'past'} ${setting} (${formatCount(limit ?? 0)}): ` +
      (stuck
        ? 'autovacuum should have frozen it long ago, so something holds the freeze horizon back or keeps the vacuum from finishing.'
        : 'autovacuum forces an anti-wraparound vacuum of it, which may be running now.') +
      ` ${formatCount(XID_LIMIT - ids)} remain before the hard limit.`,
  };
}
