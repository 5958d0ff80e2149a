/**
 * What the slow queries page receives: the panel sends every message through
 * `displayValues`, so a statement or a name with a bidirectional control
 * shows it spelled out, while the host's history keeps the text as read
 * (Explain, Find in Code and Copy use that).
 */
import assert from 'node:assert/strict';
import { SnapshotStore } from '../../../src/core/stats/store';
import { classifySessions, sessionRowFrom } from '../../../src/core/stats/activity';
import { DEFAULT_SLOW_THRESHOLDS } from '../../../src/core/stats/thresholds';
import { displayValues } from '../../../src/core/text/databaseText';
import { statementsView } from '../../../src/panels/slowQueriesData';
import type { SlowQueriesHostMessage } from '../../../src/shared/slowQueriesProtocol';
import { MIN, T0, row, snap } from './fixtures';

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const TROJAN = 'SELECT * FROM accounts WHERE owner = $1 /* \u202E } \u2066 if admin \u2069 \u2066 */';

describe('slow queries page view', () => {
  it('shows statements with bidi controls spelled out and keeps them in the history', () => {
    const store = new SnapshotStore();
    store.add(snap(T0, [row({ id: '1', calls: 1, totalMs: 5, query: TROJAN })]));
    store.add(snap(T0 + MIN, [row({ id: '1', calls: 3, totalMs: 15, query: TROJAN })]));
    const view = statementsView(store, {
      window: 'reset',
      settings: { thresholds: DEFAULT_SLOW_THRESHOLDS, refreshSeconds: 60, allDatabases: false, longRunningMs: 5000 },
      allDatabases: false,
      database: 'shop\u202Eevil',
      canExplain: true,
      canFindInCode: true,
      notice: null,
    });
    assert.ok(view);
    const sent = displayValues<SlowQueriesHostMessage>({ type: 'statements', view });
    assert.ok(!BIDI.test(JSON.stringify(sent)), 'no bidi control reaches the page');
    assert.ok(sent.type === 'statements');
    assert.equal(sent.view.rows[0]?.query, 'SELECT * FROM accounts WHERE owner = $1 /* \\u202E } \\u2066 if admin \\u2069 \\u2066 */');
    assert.equal(sent.view.database, 'shop\\u202Eevil');
    assert.equal(view.rows[0]?.query, TROJAN, 'the host keeps the statement as read');
    assert.equal(store.latest?.rows[0]?.query, TROJAN);
  });

  it('shows sessions of the activity tab with bidi controls spelled out and credentials redacted', () => {
    const sessions = classifySessions([sessionRowFrom({ pid: 7, state: 'active', query: `${TROJAN} -- postgres://u:pw-x@h/d`, application: 'app\u202Ex', queryStart: T0 - 60_000, now: T0 })]);
    const sent = displayValues<SlowQueriesHostMessage>({ type: 'activity', view: { sessions, longRunningMs: 5000, takenAt: T0 } });
    const text = JSON.stringify(sent);
    assert.ok(!BIDI.test(text));
    assert.ok(!text.includes('pw-x'));
    assert.ok(sent.type === 'activity');
    assert.equal(sent.view.sessions[0]?.application, 'app\\u202Ex');
  });
});
