import assert from 'node:assert/strict';
import { statusView } from '../../../src/providers/statusView';
import { DbError } from '../../../src/db/types';
import { profile, SERVER } from './fakes';

const p = profile('workspace-dotenv:app/.env#DATABASE_URL', { name: 'shop@db', source: 'workspace-dotenv', sourceDetail: 'DATABASE_URL in app/.env', production: true });

describe('statusView', () => {
  it('says "not connected" and how many connections are available', () => {
    const v = statusView({ kind: 'disconnected' }, 2);
    assert.equal(v.text, '$(debug-disconnect) PG Insight: not connected');
    assert.match(v.tooltip, /2 connections available/);
    assert.equal(v.warning, false);
    assert.match(statusView({ kind: 'disconnected' }, 0).tooltip, /No connection configured/);
  });

  it('shows a spinner while connecting', () => {
    assert.equal(statusView({ kind: 'connecting', profile: p }, 1).text, '$(sync~spin) PG Insight: connecting to shop@db…');
  });

  it('shows the name and server version when connected, and the details in the tooltip', () => {
    const v = statusView({ kind: 'connected', profile: p, server: SERVER }, 1);
    assert.equal(v.text, '$(database) shop@db · PG 18.4');
    for (const line of ['Host: db', 'Port: 5432', 'Database: shop', 'User: alice', 'Server: PostgreSQL 18.4', 'Source: Workspace .env (DATABASE_URL in app/.env)', 'Marked as production']) {
      assert.ok(v.tooltip.includes(line), `tooltip lacks "${line}":\n${v.tooltip}`);
    }
    assert.equal(v.warning, false);
  });

  it('shows failures on a warning background with the message in the tooltip', () => {
    const error = new DbError('auth', 'Password authentication failed for user "alice" on db:5432/shop.', ['enter-password']);
    const v = statusView({ kind: 'error', profile: p, error }, 1);
    assert.equal(v.text, '$(warning) shop@db: password rejected');
    assert.ok(v.tooltip.startsWith(error.message));
    assert.equal(v.warning, true);
    const lost = statusView({ kind: 'error', profile: p, error: new DbError('connection-lost', 'closed'), server: SERVER }, 1);
    assert.match(lost.tooltip, /next use reconnects/);
    // A full server or pool is busy, not a server that does not answer.
    const busy = statusView({ kind: 'error', profile: p, error: new DbError('busy', 'The server at db:5432 has no free connection slots.') }, 1);
    assert.equal(busy.text, '$(warning) shop@db: no free connection');
  });
});
