import assert from 'node:assert/strict';
import { mergeProfiles } from '../../../src/core/connection/merge';
import type { ConnectionProfile } from '../../../src/core/connection/profile';

function profile(id: string, over: Partial<ConnectionProfile> = {}): ConnectionProfile {
  const source = (id.split(':')[0] ?? 'user-settings') as ConnectionProfile['source'];
  return { id, name: id, source, host: 'h', port: 5432, database: 'd', user: 'u', ...over };
}

describe('mergeProfiles', () => {
  it('folds a discovered profile for the same server into the earlier one', () => {
    const merged = mergeProfiles([
      profile('user-settings:Local'),
      profile('workspace-dotenv:app/.env#DATABASE_URL', { sourcePassword: 'pw', production: true }),
      profile('environment:DATABASE_URL', { host: 'H' }),
    ]);
    assert.equal(merged.length, 1);
    assert.deepEqual(merged[0], {
      ...profile('user-settings:Local'),
      aliases: ['workspace-dotenv:app/.env#DATABASE_URL', 'environment:DATABASE_URL'],
      sourcePassword: 'pw',
      production: true,
    });
  });

  it('keeps every named settings entry, even for the same server', () => {
    const merged = mergeProfiles([profile('user-settings:rw'), profile('user-settings:ro', { readOnly: true })]);
    assert.deepEqual(merged.map((p) => p.id), ['user-settings:rw', 'user-settings:ro']);
  });

  it('keeps profiles that differ in host, port, database or user', () => {
    const merged = mergeProfiles([
      profile('environment:a'),
      profile('environment:b', { port: 5433 }),
      profile('environment:c', { database: 'e' }),
      profile('environment:d', { user: 'v' }),
      profile('environment:e', { host: 'k' }),
    ]);
    assert.equal(merged.length, 5);
  });

  it('keeps the password of the earlier profile when both have one', () => {
    const merged = mergeProfiles([profile('environment:a', { sourcePassword: 'first' }), profile('workspace-dotenv:b', { sourcePassword: 'second' })]);
    assert.equal(merged[0]?.sourcePassword, 'first');
  });

  it('makes repeated ids unique in order', () => {
    const merged = mergeProfiles([profile('user-settings:x'), profile('user-settings:x', { host: 'other' })]);
    assert.deepEqual(merged.map((p) => p.id), ['user-settings:x', 'user-settings:x#2']);
  });
});
