/**
 * The per-statement sparkline: mean time per interval between snapshots,
 * as an inline SVG built with DOM APIs. Gaps (intervals without calls)
 * break the line; the last point is marked, so one point still shows.
 */
const SVG = 'http://www.w3.org/2000/svg';

export function sparkline(points: readonly (number | null)[] | undefined, width = 72, height = 18): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('aria-hidden', 'true');
  const values = (points ?? []).filter((p): p is number => p !== null);
  if (!points || values.length === 0) return svg;
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const step = points.length > 1 ? (width - 4) / (points.length - 1) : 0;
  const x = (i: number) => 2 + i * step;
  const y = (v: number) => height - 2 - ((v - min) / span) * (height - 4);
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) {
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('points', run.join(' '));
      svg.appendChild(line);
    }
    run = [];
  };
  let last: [number, number] | undefined;
  points.forEach((p, i) => {
    if (p === null) return flush();
    last = [x(i), y(p)];
    run.push(`${last[0].toFixed(1)},${last[1].toFixed(1)}`);
  });
  flush();
  if (last) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', last[0].toFixed(1));
    dot.setAttribute('cy', last[1].toFixed(1));
    dot.setAttribute('r', '1.8');
    svg.appendChild(dot);
  }
  return svg;
}
