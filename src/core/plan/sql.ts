/**
 * Identifier quoting as PostgreSQL's quote_identifier() does it, so that the
 * text plan matches psql and the SQL in tip actions can be pasted as is
 * (a table called `<script>` or `Order` must come out quoted).
 */

/**
 * Keywords that quote_identifier() quotes: every keyword category except
 * UNRESERVED_KEYWORD (reserved, type/function-name and column-name keywords
 * of PostgreSQL 18's kwlist.h).
 */
const QUOTED_KEYWORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic ' +
    'when where window with ' +
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left ' +
    'like natural notnull outer overlaps right similar tablesample verbose ' +
    'between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int ' +
    'integer interval json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar ' +
    'json_serialize json_table json_value least merge_action national nchar none normalize nullif numeric out overlay ' +
    'position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes ' +
    'xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !QUOTED_KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name`, each part quoted when needed; the schema is left out when unknown. */
export function qualifiedName(name: string, schema?: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** A SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A work_mem value large enough for `neededKb`: twice the need (in-memory
 * structures are larger than their on-disk form), rounded up to a power of
 * two in MB, at least 8 MB, and always above the current value when known.
 */
export function suggestWorkMem(neededKb: number, currentKb?: number): string {
  const targetKb = Math.max(neededKb * 2, 8 * 1024, (currentKb ?? 0) * 2);
  let mb = 8;
  while (mb * 1024 < targetKb) mb *= 2;
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024}GB` : `${mb}MB`;
}

/** Parses a memory setting as PostgreSQL prints it ("4MB", "64kB", "1GB", "512") to kB. */
export function settingToKb(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(kB|MB|GB|TB|B)?\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'B': return n / 1024;
    case 'MB': return n * 1024;
    case 'GB': return n * 1024 * 1024;
    case 'TB': return n * 1024 * 1024 * 1024;
    default: return n; // kB, and bare numbers (work_mem's unit is kB)
  }
}
