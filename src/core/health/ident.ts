/**
 * Quoting identifiers for the DDL a finding suggests, so a copied statement
 * works for mixed-case and reserved names. The report never runs it.
 */

const PLAIN = /^[a-z_][a-z0-9_$]*$/;

/**
 * Words that must be quoted even when lower case. PostgreSQL's full list is
 * longer; these are the reserved ones that can appear as relation or column
 * names only when quoted, which is all a copied DDL statement needs.
 */
const RESERVED = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with')
    .split(' '),
);

export function quoteIdent(name: string): string {
  if (PLAIN.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.name, each part quoted when needed. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A single-quoted SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
