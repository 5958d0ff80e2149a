/**
 * The browser side of the slow queries render benchmark
 * (slow-queries-render.bench.ts bundles this file for a real Chromium): the
 * panel's own table code (selectRows, columnsFor, VirtualTable) on 5,000
 * generated statements, against a plain table of the same rows and cells
 * that puts every row in the DOM. Each operation is timed up to a forced
 * layout, so the DOM work is counted, not only the script.
 */
import { selectRows, type RowQuery } from '../src/core/stats/table';
import type { QueryStat } from '../src/core/stats/deltas';
import { BANDS } from '../src/core/stats/thresholds';
import type { StatementsView } from '../src/shared/slowQueriesProtocol';
import { columnsFor, type Column } from '../webview/slow-queries/columns';
import { VirtualTable } from '../webview/slow-queries/virtualTable';

const TABLES = ['orders', 'customers', 'line_items', 'invoices', 'products', 'sessions', 'events', 'audit_log'];

function statement(i: number): QueryStat {
  const table = TABLES[i % TABLES.length]!;
  const calls = 1 + ((i * 7919) % 20000);
  const meanMs = ((i * 104729) % 150000) / 100;
  return {
    key: `k${i}`, queryid: String(1e12 + i), dbid: 5, userid: 10, toplevel: true, database: 'app', user: 'app',
    query: `SELECT o.id, o.total, c.name FROM ${table} o JOIN customers c ON c.id = o.customer_id WHERE o.status = $1 AND o.created_at > $2 /* q${i} */ ORDER BY o.created_at DESC LIMIT $3`,
    hidden: false, entries: 1, own: false, status: 'steady', calls, totalMs: calls * meanMs, meanMs,
    callsPerMin: calls / 60, msPerMin: (calls * meanMs) / 60, pctOfTotal: (i % 100) / 50, rows: calls * 3, rowsPerCall: 3,
    hitRatio: 0.9 + (i % 10) / 100, tempBlksWritten: i % 7 === 0 ? i : 0, walBytes: i % 3 === 0 ? i * 100 : 0, planMeanMs: 0.05 + (i % 9) / 100,
    band: BANDS[1 + (i % 4)]!, lifetimeCalls: calls * 2, lifetimeMeanMs: meanMs, minMs: meanMs / 3, maxMs: meanMs * 4, stddevMs: meanMs / 5,
  };
}

function viewOf(rows: QueryStat[]): StatementsView {
  const sparks: Record<string, (number | null)[]> = {};
  for (const r of rows) sparks[r.key] = Array.from({ length: 20 }, (_, j) => ((j * 37 + Number(r.key.slice(1))) % 50) / 10);
  return {
    rows, sparks, window: '1h', windowLabel: 'last hour', takenAt: Date.now(), statsReset: null, dealloc: null, snapshotCount: 21,
    allDatabases: false, database: 'app', thresholds: { warningMs: 100, criticalMs: 500, emergencyMs: 1000 },
    canExplain: true, canFindInCode: false, notice: null, refreshSeconds: 60,
  };
}

function timed(fn: () => void, host: HTMLElement): number {
  const t = performance.now();
  fn();
  void host.offsetHeight;
  return performance.now() - t;
}

interface Subject {
  render(): number;
  sort(q: RowQuery): number;
  filter(q: RowQuery): number;
  domRows(): number;
}

function virtualised(host: HTMLElement, view: StatementsView, columns: Column[]): Subject {
  const table = new VirtualTable({ onSort: () => undefined, onSelect: () => undefined });
  const show = (q: RowQuery) => table.setRows(selectRows(view.rows, q), columns, view, { sort: q.sort, descending: q.descending });
  return {
    render: () => timed(() => {
      host.replaceChildren(table.element);
      show({ sort: 'totalMs', descending: true });
    }, host),
    sort: (q) => timed(() => show(q), host),
    filter: (q) => timed(() => show(q), host),
    domRows: () => host.querySelectorAll('.vt-row').length,
  };
}

/** The same rows and cells, every one of them in the DOM: what a table without virtualisation costs. */
function plain(host: HTMLElement, view: StatementsView, columns: Column[]): Subject {
  const table = document.createElement('table');
  const body = document.createElement('tbody');
  const head = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const c of columns) {
    const th = document.createElement('th');
    th.textContent = c.label;
    tr.appendChild(th);
  }
  head.appendChild(tr);
  table.append(head, body);
  const show = (q: RowQuery) => {
    const fragment = document.createDocumentFragment();
    for (const r of selectRows(view.rows, q)) {
      const row = document.createElement('tr');
      row.className = `band-${r.band}`;
      for (const c of columns) {
        const td = document.createElement('td');
        c.fill(td, r, view);
        row.appendChild(td);
      }
      fragment.appendChild(row);
    }
    body.replaceChildren(fragment);
  };
  return {
    render: () => timed(() => {
      host.replaceChildren(table);
      show({ sort: 'totalMs', descending: true });
    }, host),
    sort: (q) => timed(() => show(q), host),
    filter: (q) => timed(() => show(q), host),
    domRows: () => host.querySelectorAll('tr').length - 1,
  };
}

declare global {
  interface Window {
    slowQueriesBench: (kind: 'virtual' | 'plain', rows: number, runs: number) => Record<string, number[] | number>;
  }
}

window.slowQueriesBench = (kind, count, runs) => {
  const host = document.getElementById('root')!;
  const view = viewOf(Array.from({ length: count }, (_, i) => statement(i)));
  const columns = columnsFor(view);
  const out: Record<string, number[] | number> = { render: [], sort: [], filter: [], selectOnly: [] };
  for (let i = 0; i < runs; i++) {
    host.replaceChildren();
    const s = kind === 'virtual' ? virtualised(host, view, columns) : plain(host, view, columns);
    (out.render as number[]).push(s.render());
    (out.sort as number[]).push(s.sort({ sort: i % 2 ? 'meanMs' : 'calls', descending: i % 2 === 0 }));
    (out.filter as number[]).push(s.filter({ sort: 'meanMs', descending: true, text: TABLES[i % TABLES.length]!, minMeanMs: 10 }));
    out.domRows = s.domRows();
    const t = performance.now();
    selectRows(view.rows, { sort: i % 2 ? 'meanMs' : 'calls', descending: i % 2 === 0 });
    (out.selectOnly as number[]).push(performance.now() - t);
  }
  return out;
};
