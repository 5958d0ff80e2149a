import assert from 'node:assert/strict';
import { windowStats, type QueryStat } from '../../../src/core/stats/deltas';
import { csvField, EXPORT_COLUMNS, toCsv, toJson } from '../../../src/core/stats/export';
import { T0, row, snap } from './fixtures';

/** A minimal RFC 4180 reader, to prove the output reads back to the same text. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  return records;
}

const HOSTILE = [
  `SELECT '<img src=x onerror=alert(1)>' AS "</script><script>alert(2)</script>"`,
  'SELECT "a,b", \'say "hi"\'\nFROM t\r\nWHERE x = $1',
  '  SELECT 1  ',
  'SELECT \'\u2028\u0000\' -- odd characters',
];

function statsFor(queries: readonly string[]) {
  return windowStats([snap(T0, queries.map((q, i) => row({ id: String(i + 1), query: q, calls: 4, totalMs: 10 })))], 'reset')!;
}

describe('stats/export', () => {
  it('writes texts from the database as data: quotes, commas, line breaks and markup survive exactly', () => {
    const stats = statsFor(HOSTILE);
    const csv = toCsv(stats.rows);
    const records = parseCsv(csv);
    assert.deepEqual(records[0], EXPORT_COLUMNS.map((c) => c.header));
    assert.deepEqual(records.slice(1).map((r) => r[0]), HOSTILE);
    assert.ok(csv.includes(`"SELECT '<img src=x onerror=alert(1)>' AS ""</script><script>alert(2)</script>"""`));
    assert.ok(csv.endsWith('\r\n'));
  });

  it('writes numbers as numbers and missing values as empty fields', () => {
    const [first] = statsFor(['SELECT 1']).rows as QueryStat[];
    const record = parseCsv(toCsv([first!]))[1]!;
    const at = (h: string) => record[EXPORT_COLUMNS.findIndex((c) => c.header === h)];
    assert.equal(at('calls'), '4');
    assert.equal(at('mean_ms'), '2.5');
    assert.equal(at('calls_per_min'), '0.06666666666666667');
    assert.equal(at('min_ms'), '');
    assert.equal(at('toplevel'), 'true');
  });

  it('keeps spreadsheets from running a text cell as a formula, unless told to write it untouched', () => {
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('-2+3'), "'-2+3");
    assert.equal(csvField('=1+1', false), '=1+1');
    assert.equal(csvField(-5), '-5', 'numbers are not text cells');
    assert.equal(csvField('SELECT 1'), 'SELECT 1');
  });

  it('exports JSON with the window and every column, texts unchanged', () => {
    const stats = statsFor(HOSTILE);
    const parsed = JSON.parse(toJson(stats, stats.rows)) as { window: string; statsReset: string; rows: Record<string, unknown>[] };
    assert.equal(parsed.window, 'reset');
    assert.equal(parsed.statsReset, new Date(stats.statsReset!).toISOString());
    assert.deepEqual(parsed.rows.map((r) => r.query), HOSTILE);
    assert.deepEqual(Object.keys(parsed.rows[0]!), EXPORT_COLUMNS.map((c) => c.header));
    assert.equal(parsed.rows[0]!.calls, 4);
  });
});
