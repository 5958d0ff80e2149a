import assert from 'node:assert/strict';
import type { IndexInfo, TableInfo } from '../../../src/core/schema/model';
import { tableHoverMarkdown } from '../../../src/providers/tableHoverView';

function index(over: Partial<IndexInfo> & Pick<IndexInfo, 'name'>): IndexInfo {
  return { method: 'btree', keys: [{ kind: 'column', column: 'id', descending: false }], include: [], unique: false, primary: false, valid: true, predicate: null, predicateConjuncts: [], ...over };
}

function table(over: Partial<TableInfo>): TableInfo {
  return { schema: 'public', name: 'orders', columns: [], indexes: [], constraints: [], rowEstimate: 1200, sizeBytes: null, ...over };
}

describe('table hover Markdown', () => {
  it('shows plain names as before', () => {
    const md = tableHoverMarkdown(table({ indexes: [index({ name: 'orders_pkey', primary: true })] }));
    assert.equal(md, '**public.orders** — ≈1,200 rows (estimate), 0 columns\n\nIndexes:\n\n- `orders_pkey` btree \\(id\\) — primary key');
  });

  it('keeps link, image and HTML syntax from the catalog as text', () => {
    const md = tableHoverMarkdown(
      table({
        name: 'orders](https://evil.example)',
        indexes: [
          index({ name: 'idx`](https://evil.example)', predicate: "note = '![x](https://evil.example/p.png)' <b>" }),
          index({ name: 'by_expr', keys: [{ kind: 'expression', text: "f('[a](command:x)')", canonical: '', columns: [], descending: true }] }),
        ],
      }),
    );
    const lines = md.split('\n');
    assert.equal(lines[0], '**public.orders\\]\\(https://evil.example\\)** — ≈1,200 rows (estimate), 0 columns');
    assert.equal(lines[4], "- ``idx`](https://evil.example)`` btree \\(id\\) — WHERE note = '\\!\\[x\\]\\(https://evil.example/p.png\\)' &lt;b&gt;");
    assert.equal(lines[5], "- `by_expr` btree \\(f\\('\\[a\\]\\(command:x\\)'\\) DESC\\)");
  });

  it('spells out bidirectional controls in names and predicates', () => {
    const md = tableHoverMarkdown(table({ name: 'invoices\u202Etxt', indexes: [index({ name: 'i\u2066x', predicate: 'a\u200Fb' })] }));
    assert.ok(!/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/.test(md), md);
    assert.match(md, /^\*\*public\.invoices\\\\u202Etxt\*\*/);
    assert.match(md, /`i\\u2066x`/);
    assert.match(md, /WHERE a\\\\u200Fb/);
  });
});
