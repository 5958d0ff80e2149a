import * as assert from 'node:assert/strict';
import { parseExplain } from '../../../src/core/plan/parse';
import { guessMajorVersion, renderText } from '../../../src/core/plan/text';
import { fixtureJson, fixtureMeta, fixtureNames, fixtureText } from './fixtures';

/**
 * The text fixture comes from a second run of the statement, so timings,
 * and sometimes counts, differ: numbers are masked, everything else (layout,
 * labels, which lines appear, their order) must match psql exactly.
 */
const mask = (text: string) => text.replace(/-?\d+(\.\d+)?/g, '#');

describe('plan text rendering', () => {
  for (const name of fixtureNames()) {
    it(`renders ${name} as psql prints it`, () => {
      const rendered = renderText(parseExplain(fixtureJson(name))).split('\n');
      const expected = fixtureText(name).split('\n');
      assert.deepEqual(rendered.map(mask), expected.map(mask));
    });
  }

  it('matches a plan without ANALYZE character for character (no run-to-run differences)', () => {
    assert.equal(renderText(parseExplain(fixtureJson('no-analyze-join'))), fixtureText('no-analyze-join'));
  });

  it('prints rows with two decimals from PostgreSQL 18 and as integers before', () => {
    assert.match(renderText(parseExplain(fixtureJson('seq-scan-filter'))), /rows=1\.00 loops=1\)/);
    assert.match(renderText(parseExplain(fixtureJson('jit-share'))), /rows=3 loops=1\)/);
    assert.equal(fixtureMeta('jit-share').server.startsWith('15'), true);
    assert.equal(guessMajorVersion(parseExplain(fixtureJson('seq-scan-filter'))), 18);
  });

  it('keeps markup in identifiers and literals as the characters they are', () => {
    const text = renderText(parseExplain(fixtureJson('hostile-identifiers')));
    assert.match(text, /Seq Scan on public\."<script>alert\(1\)<\/script>" "x<\/td>"/);
    assert.match(text, /'<script>alert\(3\)<\/script>'::text/);
  });
});
