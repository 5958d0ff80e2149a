/**
 * The report's small charts, drawn with SVG elements created one by one
 * (names become text nodes, never markup): a gauge per cache hit ratio, a
 * bar of connections in use, and a horizontal bar chart of the largest
 * tables.
 */
import { formatBytes, formatPercent } from '../../src/core/health/format';
import type { ReportCharts } from '../../src/core/health/reportCharts';
import { el } from '../common/dom';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function tone(percent: number, warning: number, critical: number, higherIsBetter: boolean): string {
  if (higherIsBetter) return percent < critical ? 'critical' : percent < warning ? 'warning' : 'good';
  return percent > critical ? 'critical' : percent > warning ? 'warning' : 'good';
}

/** A half-circle gauge from 0 to 100 %. */
function gauge(label: string, percent: number, kind: string): HTMLElement {
  const r = 40;
  const length = Math.PI * r;
  const shown = Math.max(0, Math.min(100, percent));
  const root = svg('svg', { viewBox: '0 0 100 58', class: 'gauge', role: 'img', 'aria-label': `${label}: ${formatPercent(percent)}` });
  root.append(
    svg('path', { d: 'M10 50 A40 40 0 0 1 90 50', class: 'gauge-track' }),
    svg('path', { d: 'M10 50 A40 40 0 0 1 90 50', class: `gauge-value tone-${kind}`, 'stroke-dasharray': `${(length * shown) / 100} ${length}` }),
    svg('text', { x: 50, y: 48, 'text-anchor': 'middle', class: 'gauge-text' }, formatPercent(percent)),
  );
  return el('div', { class: 'chart-item' }, [root, el('div', { class: 'chart-caption', text: label })]);
}

export function renderCharts(charts: ReportCharts): HTMLElement | null {
  const cards: HTMLElement[] = [];
  if (charts.cacheHit.length > 0) {
    cards.push(el('div', { class: 'chart-card', attrs: { 'data-chart': 'cache-hit' } }, [
      el('h3', { text: 'Cache hit ratio' }),
      el('div', { class: 'gauges' }, charts.cacheHit.map((c) => gauge(c.kind, c.percent, tone(c.percent, 99, 40, true)))),
    ]));
  }
  if (charts.connections && charts.connections.max > 0) {
    const { used, max } = charts.connections;
    const percent = (100 * used) / max;
    const bar = el('div', { class: 'meter', attrs: { role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(max), 'aria-valuenow': String(used) } }, [
      el('div', { class: `meter-fill tone-${tone(percent, 80, 95, false)}` }),
    ]);
    (bar.firstChild as HTMLElement).style.width = `${Math.max(1, Math.min(100, percent))}%`;
    cards.push(el('div', { class: 'chart-card', attrs: { 'data-chart': 'connections' } }, [
      el('h3', { text: 'Connections in use' }),
      el('div', { class: 'big-figure' }, [el('span', { class: 'figure', text: String(used) }), el('span', { class: 'muted', text: ` of ${max} (${formatPercent(percent)})` })]),
      bar,
      el('div', { class: 'meter-scale muted' }, [el('span', { text: '0' }), el('span', { text: '80 %' }), el('span', { text: String(max) })]),
    ]));
  }
  if (charts.sizes.length > 0) {
    const largest = charts.sizes[0]?.bytes ?? 1;
    cards.push(el('div', { class: 'chart-card wide', attrs: { 'data-chart': 'sizes' } }, [
      el('h3', { text: 'Largest tables' }),
      el('div', { class: 'bars' }, charts.sizes.flatMap((s) => {
        const fill = el('div', { class: 'bar-fill' });
        fill.style.width = `${Math.max(1, (100 * s.bytes) / largest)}%`;
        return [el('div', { class: 'bar-label mono', text: s.name, title: s.name }), el('div', { class: 'bar-track' }, [fill]), el('div', { class: 'bar-value', text: formatBytes(s.bytes) })];
      })),
    ]));
  }
  return cards.length > 0 ? el('div', { class: 'charts' }, cards) : null;
}
