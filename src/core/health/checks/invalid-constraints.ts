/**
 * Constraints added with NOT VALID and never validated. Existing rows were
 * not checked, so they may break the rule, and the planner cannot rely on the
 * constraint. Adding NOT VALID first and validating later is the right way to
 * add a constraint to a large table; this check catches the forgotten second step.
 */
import { plural } from '../format';
import { qualified, quoteIdent } from '../ident';
import { text } from '../rows';
import { userSchema } from '../catalog';
import type { Finding, SingleQueryCheck } from '../types';

const KINDS: Readonly<Record<string, string>> = { c: 'check', f: 'foreign key', n: 'not-null', u: 'unique', p: 'primary key', x: 'exclusion' };

export const invalidConstraints: SingleQueryCheck = {
  id: 'invalid-constraints',
  title: 'Constraints not validated',
  category: 'schema',
  level: 'table',
  minVersion: 90600,
  privileges: 'Any role.',
  thresholds: [],
  sql: `SELECT n.nspname AS schema, t.relname AS table, c.conname AS constraint,
       c.contype AS kind, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE NOT c.convalidated
  AND ${userSchema('n')}
ORDER BY n.nspname, t.relname, c.conname`,
  evaluate(rows) {
    const findings: Finding[] = rows.map((r) => {
      const schema = text(r.schema);
      const table = text(r.table);
      const kind = KINDS[text(r.kind)] ?? 'constraint';
      return {
        severity: 'warning',
        object: `${qualified(schema, table)} ${quoteIdent(text(r.constraint))}`,
        relation: { schema, table },
        message: `The ${kind} constraint ${quoteIdent(text(r.constraint))} on ${qualified(schema, table)} was added NOT VALID and never validated: existing rows may violate ${text(r.definition)}.`,
        remediation: {
          text: 'Validate it. VALIDATE CONSTRAINT scans the table but only takes a SHARE UPDATE EXCLUSIVE lock, so reads and writes continue.',
          sql: `ALTER TABLE ${qualified(schema, table)} VALIDATE CONSTRAINT ${quoteIdent(text(r.constraint))};`,
        },
      };
    });
    return {
      status: findings.length > 0 ? 'warning' : 'ok',
      summary: findings.length === 0 ? 'All constraints are validated.' : `${plural(findings.length, 'constraint is', 'constraints are')} not validated.`,
      findings,
      details: [
        {
          columns: [{ label: 'Table' }, { label: 'Constraint' }, { label: 'Kind' }, { label: 'Definition' }],
          rows: rows.map((r) => [qualified(text(r.schema), text(r.table)), text(r.constraint), KINDS[text(r.kind)] ?? text(r.kind), text(r.definition)]),
        },
      ],
    };
  },
};
