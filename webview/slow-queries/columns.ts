/**
 * The statement table's columns: header, sort key, width, and how a cell
 * is drawn. Cells are built with DOM APIs and text nodes only. Columns for
 * figures the server does not track (WAL before 13, planning time without
 * track_planning) are left out rather than shown empty.
 */
import type { QueryStat, SortColumn } from '../../src/core/stats';
import type { StatementsView } from '../../src/shared/slowQueriesProtocol';
import { bytes, count, decimal, DASH, ms, percent, perMin, ratio } from './format';
import { sparkline } from './sparkline';
import { highlightInto, oneLine } from './sqlHighlight';

export interface Column {
  readonly id: string;
  readonly label: string;
  /** The header's tooltip: what the figure is, and over which time. */
  readonly title: string;
  readonly sort?: SortColumn;
  /** CSS grid track. */
  readonly width: string;
  readonly numeric: boolean;
  fill(cell: HTMLElement, row: QueryStat, view: StatementsView): void;
}

const text = (f: (r: QueryStat) => string) => (cell: HTMLElement, r: QueryStat) => {
  cell.textContent = f(r);
};

const BLOCK = 8192;

export function columnsFor(view: StatementsView): Column[] {
  const has = (f: (r: QueryStat) => number | null) => view.rows.some((r) => f(r) !== null);
  const cols: (Column | false)[] = [
    {
      id: 'query', label: 'Query', title: 'Normalised statement text (constants shown as $n)', sort: 'query', width: 'minmax(260px, 1fr)', numeric: false,
      fill: (cell, r) => {
        const code = document.createElement('span');
        code.className = 'sql';
        highlightInto(code, oneLine(r.hidden ? '<insufficient privilege>' : r.query));
        cell.appendChild(code);
        cell.title = r.query.length > 2000 ? `${r.query.slice(0, 2000)}…` : r.query;
      },
    },
    view.allDatabases && { id: 'database', label: 'Database', title: 'Database the statement ran in', sort: 'database', width: '110px', numeric: false, fill: text((r) => r.database ?? DASH) },
    { id: 'calls', label: 'Calls', title: 'Calls in the window', sort: 'calls', width: '72px', numeric: true, fill: text((r) => count(r.calls)) },
    { id: 'callsPerMin', label: 'Calls/min', title: 'Calls per minute over the window', sort: 'callsPerMin', width: '84px', numeric: true, fill: text((r) => perMin(r.callsPerMin).replace('/min', '')) },
    { id: 'totalMs', label: 'Total', title: 'Execution time of all calls in the window', sort: 'totalMs', width: '84px', numeric: true, fill: text((r) => ms(r.totalMs)) },
    { id: 'msPerMin', label: 'Time/min', title: 'Execution time per minute of the window', sort: 'msPerMin', width: '84px', numeric: true, fill: text((r) => ms(r.msPerMin)) },
    {
      id: 'meanMs', label: 'Mean', title: 'Mean execution time over the window (the colour bands use it)', sort: 'meanMs', width: '84px', numeric: true,
      fill: (cell, r) => {
        cell.textContent = ms(r.meanMs);
        cell.classList.add('mean');
      },
    },
    {
      id: 'trend', label: 'Trend', title: 'Mean time per refresh interval (one point per snapshot)', width: '78px', numeric: false,
      fill: (cell, r, v) => {
        cell.appendChild(sparkline(v.sparks[r.key]));
      },
    },
    { id: 'minMax', label: 'Min – max', title: 'Fastest and slowest call over the entry\'s life (these cannot be windowed)', sort: 'maxMs', width: '140px', numeric: true, fill: text((r) => (r.minMs === null && r.maxMs === null ? DASH : `${ms(r.minMs)} – ${ms(r.maxMs)}`)) },
    { id: 'stddevMs', label: 'Stddev', title: 'Standard deviation of the execution time over the entry\'s life', sort: 'stddevMs', width: '76px', numeric: true, fill: text((r) => ms(r.stddevMs)) },
    { id: 'rowsPerCall', label: 'Rows/call', title: 'Rows returned or affected per call', sort: 'rowsPerCall', width: '84px', numeric: true, fill: text((r) => decimal(r.rowsPerCall)) },
    {
      id: 'pctOfTotal', label: '% DB time', title: 'Share of the execution time of all statements in the window', sort: 'pctOfTotal', width: '92px', numeric: true,
      fill: (cell, r) => {
        const bar = document.createElement('span');
        bar.className = 'pct-bar';
        bar.style.width = `${Math.min(100, Math.max(0, r.pctOfTotal ?? 0))}%`;
        const label = document.createElement('span');
        label.className = 'pct-label';
        label.textContent = percent(r.pctOfTotal);
        cell.append(bar, label);
      },
    },
    { id: 'hitRatio', label: 'Cache hit', title: 'Shared buffer hit ratio in the window: hits / (hits + reads)', sort: 'hitRatio', width: '78px', numeric: true, fill: text((r) => ratio(r.hitRatio)) },
    { id: 'temp', label: 'Temp', title: 'Temporary blocks written in the window (sorts and hashes that spilled to disk)', sort: 'tempBlksWritten', width: '72px', numeric: true, fill: text((r) => (r.tempBlksWritten === null ? DASH : r.tempBlksWritten === 0 ? '0' : bytes(r.tempBlksWritten * BLOCK))) },
    has((r) => r.walBytes) && { id: 'walBytes', label: 'WAL', title: 'WAL bytes generated in the window', sort: 'walBytes', width: '72px', numeric: true, fill: text((r) => (r.walBytes === 0 ? '0' : bytes(r.walBytes))) },
    has((r) => r.planMeanMs) && { id: 'planMeanMs', label: 'Planning', title: 'Mean planning time (pg_stat_statements.track_planning is on)', sort: 'planMeanMs', width: '80px', numeric: true, fill: text((r) => ms(r.planMeanMs)) },
  ];
  return cols.filter((c): c is Column => c !== false);
}
