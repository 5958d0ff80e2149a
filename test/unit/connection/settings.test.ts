import assert from 'node:assert/strict';
import { profilesFromSettings, settingForProfile, type SettingsOrigin } from '../../../src/core/connection/settings';

const defaults = { user: 'osuser' };
const user: SettingsOrigin = { source: 'user-settings', where: 'User settings', scopeKey: '' };
const folder: SettingsOrigin = { source: 'workspace-settings', where: 'Folder settings (api)', scopeKey: 'api' };

describe('profilesFromSettings', () => {
  it('reads separate fields and flags', () => {
    const r = profilesFromSettings([{ name: 'Local', host: 'localhost', port: 5433, database: 'app', user: 'dev', sslmode: 'disable', readOnly: true, production: false }], user, defaults);
    assert.deepEqual(r, {
      warnings: [],
      profiles: [{ id: 'user-settings:Local', name: 'Local', source: 'user-settings', sourceDetail: 'User settings', host: 'localhost', port: 5433, database: 'app', user: 'dev', sslmode: 'disable', readOnly: true }],
    });
  });

  it('reads a URL and lets separate fields override it', () => {
    const r = profilesFromSettings([{ name: 'U', url: 'postgresql://a@h:1/d?sslmode=require', port: 2 }], user, defaults);
    const p = r.profiles[0]!;
    assert.deepEqual([p.user, p.host, p.port, p.database, p.sslmode], ['a', 'h', 2, 'd', 'require']);
  });

  it('ignores a password in the URL with a warning pointing at the prompt', () => {
    const r = profilesFromSettings([{ name: 'U', url: 'postgresql://a:hunter2@h/d' }], user, defaults);
    assert.equal(r.profiles[0]?.sourcePassword, undefined);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /password in "url" is ignored/);
    assert.match(r.warnings[0]!, /secret storage/);
    assert.ok(!r.warnings[0]!.includes('hunter2'));
  });

  it('ignores a "password" property with a warning', () => {
    const r = profilesFromSettings([{ name: 'U', host: 'h', password: 'hunter2' }], user, defaults);
    assert.equal(r.profiles.length, 1);
    assert.equal(r.profiles[0]?.sourcePassword, undefined);
    assert.match(r.warnings[0]!, /"password" property is ignored/);
  });

  it('prefixes ids of folder-level entries with the folder', () => {
    const r = profilesFromSettings([{ name: 'db', host: 'h' }], folder, defaults);
    assert.equal(r.profiles[0]?.id, 'workspace-settings:api/db');
  });

  it('skips invalid entries and reports each problem', () => {
    const r = profilesFromSettings([
      'postgres://h/d',
      { host: 'no-name' },
      { name: 'bad url', url: 'postgres://h:x/d' },
      { name: 'bad fields', host: 'h', port: 99999, sslmode: 'sometimes', readOnly: 'yes' },
      { name: 'port as text', host: 'h', port: '6000' },
    ], user, defaults);
    assert.deepEqual(r.profiles.map((p) => [p.name, p.port]), [['bad fields', 5432], ['port as text', 6000]]);
    assert.equal(r.warnings.length, 6);
  });

  it('accepts a missing value and reports a value that is not a list', () => {
    assert.deepEqual(profilesFromSettings(undefined, user, defaults), { profiles: [], warnings: [] });
    assert.equal(profilesFromSettings({ name: 'x' }, user, defaults).warnings.length, 1);
  });
});

describe('settingForProfile', () => {
  it('writes separate fields and never a password', () => {
    const withPassword = { host: 'h', port: 5432, database: 'd', user: 'u', sslmode: 'require' as const, password: 'secret' };
    const entry = settingForProfile('n', withPassword);
    assert.deepEqual(entry, { name: 'n', host: 'h', port: 5432, database: 'd', user: 'u', sslmode: 'require' });
    assert.ok(!JSON.stringify(entry).includes('secret'));
  });
});
