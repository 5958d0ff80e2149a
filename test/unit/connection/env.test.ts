import assert from 'node:assert/strict';
import { profilesFromEnv, type EnvOrigin } from '../../../src/core/connection/env';

const defaults = { user: 'osuser' };
const processEnv: EnvOrigin = { source: 'environment', where: 'the environment' };
const dotenv: EnvOrigin = { source: 'workspace-dotenv', where: 'app/.env' };

describe('profilesFromEnv', () => {
  it('offers nothing for an environment without database variables', () => {
    assert.deepEqual(profilesFromEnv({ PATH: '/bin', PGPASSWORD: 'x' }, processEnv, defaults), { profiles: [], warnings: [] });
  });

  it('reads DATABASE_URL into a profile with a stable id and a readable name', () => {
    const { profiles } = profilesFromEnv({ DATABASE_URL: 'postgres://app:pw@db:5433/shop' }, dotenv, defaults);
    assert.deepEqual(profiles, [{
      id: 'workspace-dotenv:app/.env#DATABASE_URL', name: 'shop@db:5433', source: 'workspace-dotenv', sourceDetail: 'DATABASE_URL in app/.env',
      host: 'db', port: 5433, database: 'shop', user: 'app', sourcePassword: 'pw',
    }]);
  });

  it('ignores DATABASE_URL values for other databases', () => {
    assert.deepEqual(profilesFromEnv({ DATABASE_URL: 'mysql://h/d' }, processEnv, defaults).profiles, []);
  });

  it('reports an invalid DATABASE_URL instead of failing', () => {
    const r = profilesFromEnv({ DATABASE_URL: 'postgres://h:x/d' }, processEnv, defaults);
    assert.deepEqual(r.profiles, []);
    assert.match(r.warnings[0]!, /^DATABASE_URL in the environment: Invalid connection URL: invalid port/);
  });

  it('reads the libpq variables, with libpq defaults for the rest', () => {
    const { profiles } = profilesFromEnv({ PGHOST: 'pg.local', PGSSLMODE: 'require', PGSSLROOTCERT: '/ca.pem', PGPASSWORD: ' spaced ' }, processEnv, defaults);
    assert.equal(profiles.length, 1);
    assert.deepEqual(profiles[0], {
      id: 'environment:PG*', name: 'osuser@pg.local', source: 'environment', sourceDetail: 'PG* variables in the environment',
      host: 'pg.local', port: 5432, database: 'osuser', user: 'osuser', sslmode: 'require', sslrootcert: '/ca.pem', sourcePassword: ' spaced ',
    });
  });

  it('lets the libpq variables fill what DATABASE_URL leaves out, as libpq does', () => {
    const { profiles } = profilesFromEnv({ DATABASE_URL: 'postgresql:///shop', PGHOST: 'h', PGPORT: '6000', PGUSER: 'u', PGPASSWORD: 'envpw' }, processEnv, defaults);
    const url = profiles.find((p) => p.id === 'environment:DATABASE_URL');
    assert.ok(url);
    assert.deepEqual([url.host, url.port, url.user, url.database, url.sourcePassword], ['h', 6000, 'u', 'shop', 'envpw']);
    // The libpq variables alone name a different database, so they are offered too.
    assert.equal(profiles.find((p) => p.id === 'environment:PG*')?.database, 'u');
  });

  it('prefers the URL password over PGPASSWORD', () => {
    const { profiles } = profilesFromEnv({ DATABASE_URL: 'postgresql://u:urlpw@h/d', PGPASSWORD: 'envpw' }, processEnv, defaults);
    assert.equal(profiles[0]?.sourcePassword, 'urlpw');
  });

  it('warns about and ignores invalid PGPORT and PGSSLMODE values', () => {
    const r = profilesFromEnv({ PGHOST: 'h', PGPORT: 'abc', PGSSLMODE: 'sometimes' }, processEnv, defaults);
    assert.equal(r.profiles[0]?.port, 5432);
    assert.equal(r.profiles[0]?.sslmode, undefined);
    assert.equal(r.warnings.length, 2);
  });

  it('uses the first host of a PGHOST list', () => {
    const r = profilesFromEnv({ PGHOST: 'a,b' }, processEnv, defaults);
    assert.equal(r.profiles[0]?.host, 'a');
    assert.match(r.warnings[0]!, /several hosts/);
  });

  it('names a Unix socket connection readably', () => {
    const r = profilesFromEnv({ PGHOST: '/var/run/postgresql', PGDATABASE: 'app' }, processEnv, defaults);
    assert.equal(r.profiles[0]?.name, 'app@local socket');
  });
});
