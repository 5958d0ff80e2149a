/**
 * Other sessions' statements, names and error messages reach the report
 * verbatim from the server. Run through the real engine with a runner that
 * answers like one, a connection URL with its password, a conninfo password
 * and a right-to-left override must come out redacted and visible in every
 * rendering: the document (webview and JSON), Markdown and text.
 */
import assert from 'node:assert/strict';
import { checkById } from '../../../src/core/health/registry';
import { reportDocument } from '../../../src/core/health/report';
import { renderJson, renderMarkdown, renderSummary, renderText } from '../../../src/core/health/reportRender';
import { CONTEXT_SQL } from '../../../src/core/health/context';
import { runChecks } from '../../../src/core/health/run';
import { HIDDEN_SESSIONS_SQL } from '../../../src/core/health/activity';
import type { HealthCheck, HealthRunner, Rows } from '../../../src/core/health/types';

const SECRET = 's3cret-Pw';
const LONG_QUERY = `SELECT * FROM dblink('postgres://app:${SECRET}@db.internal/shop', 'SELECT 1') AS t(x int) /* host=db password=${SECRET} */`;

function runner(): HealthRunner {
  return {
    versionNum: 180000,
    async query(sql): Promise<Rows> {
      await Promise.resolve();
      if (sql === CONTEXT_SQL) return [{ version_num: 180000, database: 'shop\u202Etxt.exe', extensions: 'plpgsql=1.0' }];
      if (sql === HIDDEN_SESSIONS_SQL) return [{ hidden: 0 }];
      if (sql.includes('pg_stat_activity')) {
        return [{ pid: 4242, role: 'app', application_name: `etl \u202Eevil`, backend_type: 'client backend', state: 'active', wait_event_type: null, wait_event: null, seconds: 7200, query: LONG_QUERY }];
      }
      throw new Error(`could not connect to "postgresql://admin:${SECRET}@replica/x"\nDETAIL: more`);
    },
  };
}

function check(id: string): HealthCheck {
  const found = checkById(id);
  assert.ok(found, id);
  return found;
}

describe('database text in the health report', () => {
  it('is redacted and shows bidirectional controls in the document, JSON, Markdown and text', async () => {
    const report = await runChecks([check('long-running-queries'), check('cache-hit-ratio')], runner());
    const doc = reportDocument(report, 'local shop');
    const long = doc.results[0];
    assert.equal(long?.status, 'critical', JSON.stringify(long));
    assert.equal(doc.results[1]?.status, 'error');
    const renderings = { document: JSON.stringify(doc), json: renderJson(doc), markdown: renderMarkdown(doc), text: renderText(doc), summary: renderSummary(doc) };
    for (const [name, out] of Object.entries(renderings)) {
      assert.ok(!out.includes(SECRET), `${name} shows the password:\n${out}`);
      assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(out), `${name} carries a bidi control`);
    }
    assert.match(renderings.text, /dblink\('postgres:\/\/app:\*\*\*@db\.internal\/shop'/);
    assert.match(renderings.text, /password=\*\*\*/);
    assert.match(renderings.text, /etl \\u202Eevil/);
    assert.match(renderings.text, /shop\\u202Etxt\.exe on PostgreSQL/);
    assert.match(renderings.text, /postgresql:\/\/admin:\*\*\*@replica\/x/);
    assert.match(renderings.markdown, /etl \\\\u202Eevil/);
    assert.match(renderings.json, /"database": "shop\\\\u202Etxt\.exe"/);
  });
});
