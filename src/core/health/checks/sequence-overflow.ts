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
       format_type(a.atttypid, NULL) AS column_type,
       -- Single-column foreign keys that reference the fed column: their
       -- columns must be widened with it, or the child rows run out first.
       (SELECT array_agg(format('ALTER TABLE %I.%I ALTER COLUMN %I TYPE bigint;', rn.nspname, r.relname, ra.attname)
                         ORDER BY rn.nspname, r.relname, ra.attname)
        FROM pg_constraint fk
        JOIN pg_class r ON r.oid = fk.conrelid
        JOIN pg_namespace rn ON rn.oid = r.relnamespace
        JOIN pg_attribute ra ON ra.attrelid = fk.conrelid AND ra.attnum = fk.conkey[1]
        WHERE fk.contype = 'f' AND fk.confrelid = fed.tbl AND fk.confkey = ARRAY[fed.col]::int2[]
          AND format_type(ra.atttypid, NULL) <> 'bigint') AS referencing_alters
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
        const column = `${u.table}.${quoteIdent(u.column)}`;
        // The column, the sequence when it is narrower than bigint (a serial's
        // sequence is integer: widening only the column would still stop at
        // 2,147,483,647), and every foreign key column that references it.
        const statements = [
          `ALTER TABLE ${qualified(u.tableSchema, u.tableName)} ALTER COLUMN ${quoteIdent(u.column)} TYPE bigint;`,
          ...(u.sequenceType !== 'bigint' ? [`ALTER SEQUENCE ${u.sequence} AS bigint;`] : []),
          ...u.referencing,
        ];
        findings.push({
          severity,
          object: column,
          relation: { schema: u.tableSchema, table: u.tableName },
          message: `Column ${column} (${u.columnType}) is fed by sequence ${u.sequence}, which is at ${formatCount(u.last ?? 0)}: ${formatPercent(u.percent)} of the column's range, ${left} values left. Inserts fail once it is reached.`,
          remediation: {
            text:
              `Widen the column${u.sequenceType !== 'bigint' ? ' and its sequence' : ''} to bigint${u.referencing.length > 0 ? `, and the ${plural(u.referencing.length, 'foreign key column', 'foreign key columns')} that reference it` : ''}. ` +
              'Each ALTER TABLE rewrites its table under an ACCESS EXCLUSIVE lock (reads and writes wait); on a large table, add a bigint column, backfill it in batches and swap instead.',
            sql: statements.join('\n'),
          },
        });
      } else {
        findings.push({
          severity,
          object: u.sequence,
          ...(u.tableName ? { relation: { schema: u.tableSchema, table: u.tableName } } : {}),
          message: `Sequence ${u.sequence} (${u.sequenceType}) is at ${formatCount(u.last ?? 0)}: ${formatPercent(u.percent)} of its range, ${left} values left.`,
          remediation:
            u.sequenceType !== 'bigint'
              ? { text: 'Widen the sequence to bigint.', sql: `ALTER SEQUENCE ${u.sequence} AS bigint;` }
              : u.belowTypeMax
                ? u.descending
                  ? { text: 'Lower the sequence minimum to the bigint limit.', sql: `ALTER SEQUENCE ${u.sequence} MINVALUE -9223372036854775808;` }
                  : { text: 'Raise the sequence maximum to the bigint limit.', sql: `ALTER SEQUENCE ${u.sequence} MAXVALUE 9223372036854775807;` }
                : { text: 'The sequence is at the bigint limit: reset it (ALTER SEQUENCE ... RESTART) only if the old values are gone, or move the key to uuid.' },
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
  /** A bigint sequence whose own MAXVALUE (or MINVALUE, counting down) is set short of the type's limit. */
  readonly belowTypeMax: boolean;
  readonly descending: boolean;
  readonly tableSchema: string;
  readonly tableName: string;
  readonly table: string;
  readonly column: string;
  readonly columnType: string;
  /** The ALTER TABLE that widens each foreign key column referencing the fed column, not bigint yet (written by the server's format()). */
  readonly referencing: readonly string[];
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
  if (columnMax !== undefined && increment >= 0 && columnMax <= limit && columnType !== 'bigint') {
    limit = columnMax;
    limitedBy = 'column';
  } else if (columnMax !== undefined && increment < 0 && -columnMax - 1 >= limit && columnType !== 'bigint') {
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
    descending: increment < 0,
    belowTypeMax: increment >= 0 ? num0(r.max_value) < 9223372036854775807 : num0(r.min_value) > -9223372036854775808,
    tableSchema,
    tableName,
    table: tableName ? qualified(tableSchema, tableName) : '',
    column: text(r.column),
    columnType,
    referencing: Array.isArray(r.referencing_alters) ? r.referencing_alters.map(String) : [],
  };
}
