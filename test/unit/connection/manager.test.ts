import assert from 'node:assert/strict';
import { ConnectionManager, type ConnectionState, type PasswordUi } from '../../../src/connections/manager';
import { Passwords } from '../../../src/connections/passwords';
import { DbError, type DbLimits } from '../../../src/db/types';
import type { ConnectionProfile } from '../../../src/core/connection/profile';
import { eventually, FakeFactory, MemorySecrets, MemoryState, profile, SERVER, testLog } from './fakes';

const LIMITS: DbLimits = { statementTimeoutMs: 30000, lockTimeoutMs: 5000, connectTimeoutMs: 10000, poolMax: 3 };
const ACTIVE_KEY = 'pgInsight.activeConnection';

class ScriptedUi implements PasswordUi {
  asked: string[] = [];
  offers = 0;
  constructor(public answer: string | undefined = undefined, public save = false) {}
  ask(p: ConnectionProfile, reason: 'needed' | 'rejected'): Promise<string | undefined> {
    this.asked.push(`${p.id}:${reason}`);
    return Promise.resolve(this.answer);
  }
  offerSave(): Promise<boolean> {
    this.offers++;
    return Promise.resolve(this.save);
  }
}

function setup(options: { pgpass?: string; ui?: ScriptedUi; limits?: () => DbLimits } = {}) {
  const factory = new FakeFactory();
  const { log, sink } = testLog();
  const secrets = new MemorySecrets();
  const globalState = new MemoryState();
  const workspaceState = new MemoryState();
  const passwords = new Passwords(secrets, globalState, () => Promise.resolve(options.pgpass), log);
  const ui = options.ui ?? new ScriptedUi();
  const manager = new ConnectionManager({ factory: factory.create, limits: options.limits ?? (() => LIMITS), log, passwords, workspaceState, ui });
  const states: ConnectionState['kind'][] = [];
  manager.onDidChangeState((s) => states.push(s.kind));
  return { factory, log, sink, secrets, globalState, workspaceState, passwords, ui, manager, states };
}

const needPassword = () => new DbError('password-needed', 'The server asks for a password for user "alice" and none is known.', ['enter-password']);

describe('ConnectionManager', () => {
  it('connects, proves it with the server info, and remembers the choice for the workspace', async () => {
    const t = setup();
    t.manager.setProfiles([profile('user-settings:a')]);
    const state = await t.manager.connect('user-settings:a');
    assert.equal(state.kind, 'connected');
    assert.deepEqual(state.kind === 'connected' && state.server, SERVER);
    assert.deepEqual(t.states, ['connecting', 'connected']);
    assert.equal(t.workspaceState.get(ACTIVE_KEY), 'user-settings:a');
    assert.equal(t.manager.activeProfile()?.id, 'user-settings:a');
    assert.deepEqual(t.factory.last.limits, LIMITS);
  });

  describe('password resolution', () => {
    async function passwordUsed(t: ReturnType<typeof setup>, p: ConnectionProfile): Promise<string | undefined> {
      t.manager.setProfiles([p]);
      await t.manager.connect(p.id);
      return t.factory.last.target.password;
    }

    it('takes SecretStorage before the source password and the password file', async () => {
      const t = setup({ pgpass: 'from-pgpass' });
      await t.secrets.store('pgInsight.password:user-settings:a', 'from-secrets');
      assert.equal(await passwordUsed(t, profile('user-settings:a', { sourcePassword: 'from-source' })), 'from-secrets');
    });

    it('takes the source password before the password file', async () => {
      const t = setup({ pgpass: 'from-pgpass' });
      assert.equal(await passwordUsed(t, profile('environment:DATABASE_URL', { sourcePassword: 'from-source' })), 'from-source');
    });

    it('falls back to the password file, then to none', async () => {
      assert.equal(await passwordUsed(setup({ pgpass: 'from-pgpass' }), profile('user-settings:a')), 'from-pgpass');
      assert.equal(await passwordUsed(setup(), profile('user-settings:a')), undefined);
    });

    it('finds a password saved under a merged alias id', async () => {
      const t = setup();
      await t.secrets.store('pgInsight.password:workspace-dotenv:app/.env#DATABASE_URL', 'aliased');
      assert.equal(await passwordUsed(t, profile('user-settings:a', { aliases: ['workspace-dotenv:app/.env#DATABASE_URL'] })), 'aliased');
    });

    it('prefers a password typed this session over a stale saved one', async () => {
      const t = setup();
      await t.secrets.store('pgInsight.password:user-settings:a', 'stale');
      t.passwords.rememberForSession('user-settings:a', 'fresh');
      assert.equal(await passwordUsed(t, profile('user-settings:a')), 'fresh');
    });
  });

  it('asks for a password only when the server wants one, then offers to save it', async () => {
    const ui = new ScriptedUi('typed-pw', true);
    const t = setup({ ui });
    t.factory.answer = (target) => (target.password === 'typed-pw' ? SERVER : needPassword());
    t.manager.setProfiles([profile('user-settings:a')]);
    const state = await t.manager.connect('user-settings:a', { interactive: true });
    assert.equal(state.kind, 'connected');
    assert.deepEqual(ui.asked, ['user-settings:a:needed']);
    await eventually(() => t.secrets.values.get('pgInsight.password:user-settings:a') === 'typed-pw', 'the password to be saved');
    assert.deepEqual(t.passwords.savedIds(), ['user-settings:a']);
    // The first attempt's pool (without password) was closed.
    assert.equal(t.factory.created[0]?.closed, true);
    assert.ok(t.sink.lines.every((l) => !l.includes('typed-pw')), t.sink.lines.join('\n'));
  });

  it('keeps a typed password for the session when the user declines saving', async () => {
    const ui = new ScriptedUi('typed-pw', false);
    const t = setup({ ui });
    t.factory.answer = (target) => (target.password === 'typed-pw' ? SERVER : needPassword());
    t.manager.setProfiles([profile('user-settings:a')]);
    await t.manager.connect('user-settings:a', { interactive: true });
    await eventually(() => ui.offers === 1, 'the save offer');
    assert.equal(t.secrets.values.size, 0);
    await t.manager.connect('user-settings:a', { interactive: true });
    assert.equal(t.factory.last.target.password, 'typed-pw');
    assert.equal(ui.asked.length, 1, 'asked only once');
    assert.equal(ui.offers, 1, 'a remembered password is not offered again');
  });

  it('never prompts in a background connect', async () => {
    const t = setup();
    t.factory.answer = () => needPassword();
    t.manager.setProfiles([profile('user-settings:a')]);
    const state = await t.manager.connect('user-settings:a', { interactive: false });
    assert.equal(state.kind, 'error');
    assert.deepEqual(t.ui.asked, []);
  });

  it('records a failure with its message and next steps, without the password', async () => {
    const t = setup();
    t.factory.answer = () => new DbError('auth', 'Password authentication failed for user "alice" (tried wrong-pw).', ['enter-password', 'edit-connection'], '28P01');
    t.manager.setProfiles([profile('user-settings:a', { sourcePassword: 'wrong-pw' })]);
    const state = await t.manager.connect('user-settings:a', { interactive: true });
    assert.equal(state.kind, 'error');
    assert.equal(state.kind === 'error' && state.error.kind, 'auth');
    assert.deepEqual(state.kind === 'error' && state.error.nextSteps, ['enter-password', 'edit-connection']);
    assert.equal(t.manager.lastErrorMessage, 'Password authentication failed for user "alice" (tried ***).');
    assert.deepEqual(t.ui.asked, [], 'a rejected password is not asked again automatically');
    assert.ok(t.sink.lines.some((l) => l.includes('Could not connect')));
    assert.ok(t.sink.lines.every((l) => !l.includes('wrong-pw')));
  });

  it('turns unexpected errors into one sentence', async () => {
    const t = setup();
    t.factory.answer = () => {
      throw new TypeError('boom');
    };
    t.manager.setProfiles([profile('user-settings:a')]);
    const state = await t.manager.connect('user-settings:a');
    assert.equal(state.kind === 'error' && state.error.message, 'Unexpected error: boom');
  });

  it('lets the latest connect win and closes the pool of the superseded one', async () => {
    const t = setup();
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => { release = r; });
    t.factory.answer = async (target) => {
      if (target.profile.id === 'user-settings:slow') await slow;
      return SERVER;
    };
    t.manager.setProfiles([profile('user-settings:slow'), profile('user-settings:fast', { host: 'other' })]);
    const first = t.manager.connect('user-settings:slow');
    await eventually(() => t.factory.created.length === 1, 'the first attempt to start');
    await t.manager.connect('user-settings:fast');
    release();
    await first;
    assert.equal(t.manager.activeProfile()?.id, 'user-settings:fast');
    assert.equal(t.manager.state.kind, 'connected');
    assert.equal(t.factory.created[0]?.closed, true);
    assert.equal(t.factory.created[1]?.closed, false);
  });

  it('recreates the Database after a lost connection, and the next use works again', async () => {
    const t = setup();
    t.manager.setProfiles([profile('user-settings:a', { sourcePassword: 'pw' })]);
    await t.manager.connect('user-settings:a');
    const first = t.factory.last;
    const lost = new DbError('connection-lost', 'The connection to db:5432 was closed (the server may have restarted). Try again.', ['retry']);
    await assert.rejects(t.manager.use(() => Promise.reject(lost)), (e: unknown) => e === lost);
    assert.equal(t.manager.state.kind, 'error');
    assert.equal(first.closed, true);
    const second = t.factory.last;
    assert.notEqual(second, first);
    assert.equal(second.target.password, 'pw');
    const info = await t.manager.use((db) => db.serverInfo());
    assert.equal(info.version, '18.4');
    assert.equal(t.manager.state.kind, 'connected');
  });

  it('refuses use() without a connection, pointing at Select Connection', async () => {
    const t = setup();
    await assert.rejects(t.manager.use(() => Promise.resolve(1)), (e: unknown) => e instanceof DbError && e.nextSteps.includes('select-connection'));
  });

  it('waits for a connect in progress before using the Database', async () => {
    const t = setup();
    t.manager.setProfiles([profile('user-settings:a')]);
    void t.manager.connect('user-settings:a');
    const version = await t.manager.use(async (db) => (await db.serverInfo()).version);
    assert.equal(version, '18.4');
  });

  it('disconnects: closes the pool and forgets the workspace choice', async () => {
    const t = setup();
    t.manager.setProfiles([profile('user-settings:a')]);
    await t.manager.connect('user-settings:a');
    await t.manager.disconnect();
    assert.equal(t.manager.state.kind, 'disconnected');
    assert.equal(t.factory.last.closed, true);
    assert.equal(t.workspaceState.get(ACTIVE_KEY), undefined);
  });

  it('restores the remembered connection in the background, once the list has it', async () => {
    const t = setup();
    await t.workspaceState.update(ACTIVE_KEY, 'workspace-dotenv:app/.env#DATABASE_URL');
    t.manager.restore();
    assert.equal(t.factory.created.length, 0, 'nothing to restore before the profile is known');
    t.manager.setProfiles([profile('user-settings:a', { aliases: ['workspace-dotenv:app/.env#DATABASE_URL'] })]);
    t.manager.restore();
    await eventually(() => t.manager.state.kind === 'connected', 'the restored connection');
    assert.equal(t.manager.activeProfile()?.id, 'user-settings:a');
  });

  it("connects once, by itself, to the only connection the workspace names, and a Disconnect holds", async () => {
    const t = setup();
    const dotenv = profile('workspace-dotenv:app/.env#DATABASE_URL', { source: 'workspace-dotenv' });
    t.manager.setProfiles([profile('user-settings:a'), dotenv]);
    t.manager.restore();
    await eventually(() => t.manager.state.kind === 'connected', 'the automatic connection');
    assert.equal(t.manager.activeProfile()?.id, dotenv.id);
    await t.manager.disconnect();
    t.manager.restore();
    assert.equal(t.manager.state.kind, 'disconnected', 'a Disconnect is not undone by the next start');
    assert.equal(t.factory.created.length, 1);
  });

  it('does not choose by itself between two connections of the workspace', () => {
    const t = setup();
    t.manager.setProfiles([
      profile('workspace-dotenv:app/.env#DATABASE_URL', { source: 'workspace-dotenv' }),
      profile('workspace-settings:reporting', { source: 'workspace-settings' }),
    ]);
    t.manager.restore();
    assert.equal(t.manager.state.kind, 'disconnected');
    assert.equal(t.factory.created.length, 0);
  });

  describe('following profile changes', () => {
    it('reconnects when the active profile now points elsewhere', async () => {
      const t = setup();
      t.manager.setProfiles([profile('user-settings:a')]);
      await t.manager.connect('user-settings:a');
      t.manager.setProfiles([profile('user-settings:a', { port: 6000 })]);
      await eventually(() => t.factory.created.length === 2 && t.manager.state.kind === 'connected', 'the reconnect');
      assert.equal(t.factory.last.target.profile.port, 6000);
      assert.equal(t.factory.created[0]?.closed, true);
    });

    it('keeps the connection when only the name changes', async () => {
      const t = setup();
      t.manager.setProfiles([profile('user-settings:a')]);
      await t.manager.connect('user-settings:a');
      t.manager.setProfiles([profile('user-settings:a', { name: 'renamed' })]);
      assert.equal(t.factory.created.length, 1);
      assert.equal(t.manager.activeProfile()?.name, 'renamed');
      assert.equal(t.manager.state.kind, 'connected');
    });

    it('disconnects when the active profile disappears, but remembers it', async () => {
      const t = setup();
      t.manager.setProfiles([profile('user-settings:a')]);
      await t.manager.connect('user-settings:a');
      t.manager.setProfiles([]);
      await eventually(() => t.factory.last.closed, 'the pool to close');
      assert.equal(t.manager.state.kind, 'disconnected');
      assert.equal(t.workspaceState.get(ACTIVE_KEY), 'user-settings:a');
    });
  });

  it('uses a fresh pool with the new limits after a settings change', async () => {
    let limits = LIMITS;
    const t = setup({ limits: () => limits });
    t.manager.setProfiles([profile('user-settings:a')]);
    await t.manager.connect('user-settings:a');
    limits = { ...LIMITS, statementTimeoutMs: 1000 };
    t.manager.limitsChanged();
    assert.equal(t.factory.created.length, 2);
    assert.equal(t.factory.created[0]?.closed, true);
    await t.manager.use((db) => db.serverInfo());
    assert.equal(t.factory.last.limits.statementTimeoutMs, 1000);
  });

  it('closes the pool on dispose', async () => {
    const t = setup();
    t.manager.setProfiles([profile('user-settings:a')]);
    await t.manager.connect('user-settings:a');
    await t.manager.dispose();
    assert.equal(t.factory.last.closed, true);
  });
});
