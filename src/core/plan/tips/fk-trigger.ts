/**
 * fk-trigger: a foreign key's action trigger (ON DELETE / ON UPDATE on the
 * referenced table) took a large share of the statement. For each changed
 * row it looks up the referencing rows; without an index on the referencing
 * columns each lookup reads the whole referencing table.
 */
import { formatCount, formatDuration, formatShare } from '../format';
import { quoteLiteral } from '../sql';
import { band, docsPath, saving, tip } from './helpers';
import type { Tip, TipRule } from './types';

/** Trigger time over execution time: 10% info, 40% warning, 90% critical. */
export const SHARE_BANDS = [0.1, 0.4, 0.9] as const;
export const MIN_TRIGGER_MS = 1;
/** Action triggers of foreign keys (fired on the referenced table); "_c_" check triggers probe a primary key. */
const FK_ACTION = /^RI_ConstraintTrigger_a_/;

export const fkTrigger: TipRule = {
  id: 'fk-trigger',
  title: 'Slow foreign-key trigger',
  docs: docsPath('fk-trigger'),
  evaluate(node, plan, context) {
    if (node.id !== 0) return [];
    const basis = plan.totals.executionMs ?? 0;
    const out: Tip[] = [];
    for (const t of plan.totals.triggers) {
      if (!FK_ACTION.test(t.name) || t.timeMs < MIN_TRIGGER_MS || basis <= 0) continue;
      const share = t.timeMs / basis;
      const severity = band(share, SHARE_BANDS);
      if (!severity) continue;
      const fk = context.foreignKeys?.find((k) => k.constraintName === t.constraint && (t.relation === undefined || k.referencedTable === t.relation));
      // With an index on the referencing columns the time is the cascade's own work (the rows it deletes or
      // updates), which no index removes: the trigger line of the plan view shows it.
      if (fk?.indexed === true) continue;
      const name = t.constraint ?? t.name;
      const perCall = t.calls > 0 ? `, ${formatDuration(t.timeMs / t.calls)} per row` : '';
      const message =
        `The foreign key ${name}${t.relation ? ` on ${t.relation}` : ''} took ${formatDuration(t.timeMs)} over ${formatCount(t.calls)} calls${perCall} ` +
        `(${formatShare(share)} of the execution): the referencing rows are probably found by a full scan.`;
      const action = fk
        ? { text: `Index ${fk.table} (${fk.columns.join(', ')}), the referencing column${fk.columns.length > 1 ? 's' : ''} of ${name}: each change to ${fk.referencedTable} looks its rows up by ${fk.columns.length > 1 ? 'them' : 'it'}.` }
        : {
          text: `Index the referencing columns of ${name}: each change to the referenced table looks its rows up by them. This query shows which they are.`,
          sql: `SELECT conrelid::regclass AS referencing_table, pg_get_constraintdef(oid) AS definition\n  FROM pg_constraint WHERE conname = ${quoteLiteral(name)};`,
        };
      // Saving: 90% of the trigger's time. An index turns each lookup from a scan of the
      // referencing table into an index probe; the deletes or updates it cascades remain.
      out.push(tip(fkTrigger, null, {
        severity,
        message,
        action,
        estimatedSavingMs: saving(plan, t.timeMs * 0.9),
        indexCandidate: fk ? { schema: fk.schema, table: fk.table, columns: fk.columns } : undefined,
      }));
    }
    return out;
  },
};
