/**
 * Sequences close to their maximum, and sequences feeding a column whose type
 * runs out first (a bigint sequence behind an integer key: PgHero's "column
 * overflow"). When either limit is reached, every insert fails.
 */
import { formatCount, formatPercent, plural } from '../format';
import { qualified, quoteIdent } from '../ident';
import { above, statusOf } from '../outcome';
import { bool, num, num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { Finding, Limitation, Row, SingleQueryCheck } from '../types';

const TYPE_MAX: Readonly<Record<string, number>> = { smallint: 32767, integer: 2147483647, bigint: 9223372036854775807 };

export const sequenceOverflow: SingleQueryCheck = {
  id: 'sequence-overflow',
  title: 'Sequence and key overflow',
  category: 'schema',
  level: 'table',
  minVersion: 100000,
  privileges: 'Sequences the role may not use (SELECT or USAGE) show no last value and are not judged.',
  thresholds: ['sequenceWarningPercent', 'sequenceCriticalPercent'],
  // A sequence feeds a column when it is owned by it (serial, identity, OWNED BY)
  // or named in the column's DEFAULT nextval(...).
  sql: `WITH fed AS (
  SELECT d.objid AS seq, d.refobjid AS tbl, d.refobjsubid AS col
  FROM pg_depend d
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
  UNION
  SELECT d.refobjid, ad.adrelid, ad.adnum
  FROM pg_depend d
  JOIN pg_attrdef ad ON ad.oid = d.objid
  WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
)
SELECT sn.nspname AS schema, s.relname AS sequence,
       format_type(ps.seqtypid, NULL) AS sequence_type,
       ps.seqmin::numeric AS min_value, ps.seqmax::numeric AS max_value,
       ps.seqincrement AS increment, ps.seqcycle AS cycles,
       CASE WHEN has_sequence_privilege(s.oid, 'SELECT,USAGE')
            THEN pg_sequence_last_value(s.oid)::numeric END AS last_value,
       has_sequence_privilege(s.oid, 'SELECT,USAGE') AS readable,
       tn.nspname AS table_schema, t.relname AS table, a.attname AS column,
       format_type(a.atttypid, NULL) AS column_type
FROM pg_sequence ps
JOIN pg_class s ON s.oid = ps.seqrelid
JOIN pg_namespace sn ON sn.oid = s.relnamespace
LEFT JOIN fed ON fed.seq = s.oid
LEFT JOIN pg_class t ON t.oid = fed.tbl
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = fed.tbl AND a.attnum = fed.col
WHERE ${userSchema('sn')}
ORDER BY sn.nspname, s.relname`,
  evaluate(rows, t) {
    const findings: Finding[] = [];
    let unreadable = 0;
    const judged = rows.map((r) => usage(r));
    for (const u of judged) {
      if (!u.readable) unreadable++;
      if (u.percent === null || u.cycles) continue;
      const severity = above(u.percent, t.sequenceWarningPercent, t.sequenceCriticalPercent);
      if (!severity) continue;
      const left = formatCount(u.left);
      if (u.limitedBy === 'column') {
        findings.push({
          severity,
          object: `${u.table}.${quoteIdent(u.column)}`,
          relation: { schema: u.tableSchema, table: u.tableName },
          message: `Column ${u.table}.${quoteIdent(u.column)} (${u.columnType}) is fed by sequence ${u.sequence}, which is at ${formatCount(u.last ?? 0)}: ${formatPercent(u.percent)} of the column's range, ${left} values left.`,
          remediation: {
            text:
              'Widen the column to bigint (and every foreign key column that references it). The ALTER rewrites the table under an exclusive lock; ' +
              'on a large table, add a bigint column, backfill it in batches and swap instead.',
            sql: `ALTER TABLE ${qualified(u.tableSchema, u.tableName)} ALTER COLUMN ${quoteIdent(u.column)} TYPE bigint;`,
          },
        });
      } else {
        findings.push({
          severity,
          object: u.sequence,
          ...(u.tableName ? { relation: { schema: u.tableSchema, table: u.tableName } } : {}),
          message: `Sequence ${u.sequence} (${u.sequenceType}) is at ${formatCount(u.last ?? 0)}: ${formatPercent(u.percent)} of its range, ${left} values left.`,
          remediation: {
            text: u.sequenceType === 'bigint' ? 'Raise the sequence maximum, or reset it if the old values are gone.' : 'Widen the sequence to bigint (and the column it feeds).',
            sql: `ALTER SEQUENCE ${u.sequence} ${u.sequenceType === 'bigint' ? 'MAXVALUE 9223372036854775807' : 'AS bigint'};`,
          },
        });
      }
    }
    const limitations: Limitation[] =
      unreadable > 0
        ? [
            {
              reason: `${plural(unreadable, 'sequence', 'sequences')} cannot be read by this role, so ${unreadable === 1 ? 'its' : 'their'} position is unknown.`,
              fix: 'GRANT SELECT ON ALL SEQUENCES IN SCHEMA <schema> TO <role>;',
              needs: 'SELECT or USAGE on the sequences',
            },
          ]
        : [];
    const highest = judged.reduce((m, u) => Math.max(m, u.percent ?? 0), 0);
    return {
      status: statusOf(findings),
      summary: rows.length === 0 ? 'No sequences.' : `${plural(rows.length, 'sequence', 'sequences')}; the fullest has used ${formatPercent(highest)} of its range.`,
      findings,
      details: [
        {
          columns: [
            { label: 'Sequence' },
            { label: 'Type' },
            { label: 'Last value', kind: 'number' },
            { label: 'Feeds' },
            { label: 'Used', kind: 'percent' },
          ],
          rows: judged
            .slice()
            .sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1))
            .slice(0, 20)
            .map((u) => [u.sequence, u.sequenceType, u.last, u.tableName ? `${u.table}.${u.column} (${u.columnType})` : '', u.percent === null ? null : Number(u.percent.toFixed(2))]),
        },
      ],
      limitations,
    };
  },
};

interface Usage {
  readonly sequence: string;
  readonly sequenceType: string;
  readonly readable: boolean;
  readonly cycles: boolean;
  readonly last: number | null;
  /** Share of the usable range consumed, or null before first use or when unreadable. */
  readonly percent: number | null;
  readonly left: number;
  readonly limitedBy: 'sequence' | 'column';
  readonly tableSchema: string;
  readonly tableName: string;
  readonly table: string;
  readonly column: string;
  readonly columnType: string;
}

/**
 * How much of its range a sequence has used, counting from zero towards the
 * limit in the direction it moves, as PgHero does (last_value / max). The
 * limit is the sequence's own bound or, when tighter, the fed column's type.
 */
function usage(r: Row): Usage {
  const increment = num0(r.increment);
  const last = num(r.last_value);
  const columnType = text(r.column_type);
  const columnMax = TYPE_MAX[columnType];
  let limit = increment >= 0 ? num0(r.max_value) : num0(r.min_value);
  let limitedBy: Usage['limitedBy'] = 'sequence';
  if (columnMax !== undefined && increment >= 0 && columnMax < limit) {
    limit = columnMax;
    limitedBy = 'column';
  } else if (columnMax !== undefined && increment < 0 && -columnMax - 1 > limit) {
    limit = -columnMax - 1;
    limitedBy = 'column';
  }
  const percent = last === null || limit === 0 ? null : Math.max(0, (100 * last) / limit);
  const tableSchema = text(r.table_schema);
  const tableName = text(r.table);
  return {
    sequence: qualified(text(r.schema), text(r.sequence)),
    sequenceType: text(r.sequence_type),
    readable: bool(r.readable),
    cycles: bool(r.cycles),
    last,
    percent,
    left: last === null ? 0 : Math.abs(limit - last),
    limitedBy,
    tableSchema,
    tableName,
    table: tableName ? qualified(tableSchema, tableName) : '',
    column: text(r.column),
    columnType,
  };
}
