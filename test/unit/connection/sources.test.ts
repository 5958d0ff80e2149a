import assert from 'node:assert/strict';
import { collectProfiles, type SourceInputs } from '../../../src/core/connection/sources';
import { filterForTrust, isWorkspaceSource, profileHasId } from '../../../src/core/connection/profile';

const inputs: SourceInputs = {
  trusted: true,
  defaults: { user: 'osuser' },
  userSettings: [{ name: 'Mine', host: 'user-host' }],
  workspaceSettings: [{ name: 'Team', host: 'workspace-host' }],
  folderSettings: [{ folder: 'api', value: [{ name: 'Api', host: 'folder-host' }] }],
  environment: { DATABASE_URL: 'postgres://env-host/d' },
  dotenvFiles: [{ path: 'api/.env', text: 'DATABASE_URL=postgres://u:pw@dotenv-host/d\nbroken line' }],
};

describe('collectProfiles', () => {
  it('lists every source, workspace-specific ones first', () => {
    const r = collectProfiles(inputs);
    assert.deepEqual(r.profiles.map((p) => p.id), [
      'workspace-settings:api/Api',
      'workspace-settings:Team',
      'user-settings:Mine',
      'workspace-dotenv:api/.env#DATABASE_URL',
      'environment:DATABASE_URL',
    ]);
    assert.deepEqual(r.warnings, ['api/.env, line 2: expected KEY=value.']);
  });

  it('warns about a malformed .env URL or line without quoting a piece of its password', () => {
    const text = ['DATABASE_URL=postgres://app:qx/jz@db:5432/shop', 'postgres://app:qx=jz@db/shop'].join('\n');
    const r = collectProfiles({ ...inputs, environment: undefined, dotenvFiles: [{ path: '.env', text }] });
    assert.equal(r.warnings.length, 2, r.warnings.join('\n'));
    assert.match(r.warnings[0] ?? '', /^\.env, line 2: invalid variable name\.$/);
    assert.match(r.warnings[1] ?? '', /^DATABASE_URL in \.env: Invalid connection URL: invalid port; .*percent-encoded/);
    for (const w of r.warnings) assert.ok(!/qx|jz/.test(w), w);
  });

  it('uses neither workspace settings nor workspace .env files in Restricted Mode', () => {
    const r = collectProfiles({ ...inputs, trusted: false });
    assert.deepEqual(r.profiles.map((p) => p.id), ['user-settings:Mine', 'environment:DATABASE_URL']);
    assert.deepEqual(r.warnings, []);
  });

  it('leaves out the process environment when discovery is off', () => {
    const r = collectProfiles({ ...inputs, environment: undefined });
    assert.ok(r.profiles.every((p) => p.source !== 'environment'));
  });

  it('folds a .env profile for a server already in settings into the settings entry', () => {
    const r = collectProfiles({
      ...inputs,
      userSettings: [{ name: 'Mine', host: 'dotenv-host', user: 'u', database: 'd' }],
      workspaceSettings: undefined,
      folderSettings: [],
      environment: undefined,
    });
    assert.equal(r.profiles.length, 1);
    const p = r.profiles[0]!;
    assert.equal(p.id, 'user-settings:Mine');
    assert.equal(p.sourcePassword, 'pw');
    assert.ok(profileHasId(p, 'workspace-dotenv:api/.env#DATABASE_URL'));
  });
});

describe('trust filtering', () => {
  it('knows which sources belong to the workspace', () => {
    assert.deepEqual(
      (['user-settings', 'workspace-settings', 'environment', 'workspace-dotenv'] as const).map(isWorkspaceSource),
      [false, true, false, true],
    );
  });

  it('filters workspace sources only when untrusted', () => {
    const list = [{ source: 'user-settings' as const }, { source: 'workspace-dotenv' as const }];
    assert.equal(filterForTrust(list, true).length, 2);
    assert.deepEqual(filterForTrust(list, false), [{ source: 'user-settings' }]);
  });
});
