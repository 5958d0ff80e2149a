import assert from 'node:assert/strict';
import { formatPostgresUrl, parsePostgresUrl, type UrlParts } from '../../../src/core/connection/url';

function parts(url: string): UrlParts {
  const r = parsePostgresUrl(url);
  if (!r.ok) assert.fail(`expected ${url} to parse, got: ${r.error}`);
  return r.parts;
}

function error(url: string): string {
  const r = parsePostgresUrl(url);
  if (r.ok) assert.fail(`expected ${url} to be rejected, got ${JSON.stringify(r.parts)}`);
  return r.error;
}

describe('parsePostgresUrl', () => {
  it('reads every part of a full URL', () => {
    assert.deepEqual(parts('postgresql://alice:s3cret@db.example.com:6543/shop?sslmode=verify-full&sslrootcert=/etc/ca.pem'), {
      user: 'alice', password: 's3cret', host: 'db.example.com', port: 6543, database: 'shop', sslmode: 'verify-full', sslrootcert: '/etc/ca.pem',
    });
  });

  it('accepts both schemes, in any case', () => {
    assert.equal(parts('postgres://h/d').host, 'h');
    assert.equal(parts('PostgreSQL://h/d').database, 'd');
  });

  it('leaves out what the URL does not say', () => {
    assert.deepEqual(parts('postgresql://'), {});
    assert.deepEqual(parts('postgresql://localhost'), { host: 'localhost' });
    assert.deepEqual(parts('postgresql://u@h'), { user: 'u', host: 'h' });
    assert.deepEqual(parts('postgresql:///mydb'), { database: 'mydb' });
  });

  it('percent-decodes user, password, host and database, but keeps "+"', () => {
    const p = parts('postgresql://us%40er:p%3Ass%2Fw%25rd+x@h/my%20db');
    assert.equal(p.user, 'us@er');
    assert.equal(p.password, 'p:ss/w%rd+x');
    assert.equal(p.database, 'my db');
  });

  it('decodes multi-byte UTF-8 sequences', () => {
    assert.equal(parts('postgresql://h/caf%C3%A9').database, 'café');
    assert.equal(parts('postgresql://h/café').database, 'café');
  });

  it('takes the user info up to the last "@", so an unencoded "@" in a password still works', () => {
    const p = parts('postgresql://bob:p@ss@h:5433/d');
    assert.equal(p.password, 'p@ss');
    assert.equal(p.host, 'h');
    assert.equal(p.port, 5433);
  });

  it('reads an empty password as an empty string', () => {
    assert.equal(parts('postgresql://bob:@h/d').password, '');
  });

  it('reads IPv6 addresses in brackets, with and without a port', () => {
    assert.deepEqual(parts('postgresql://[::1]:5433/d'), { host: '::1', port: 5433, database: 'd' });
    assert.deepEqual(parts('postgresql://[2001:db8::7]/d'), { host: '2001:db8::7', database: 'd' });
  });

  it('reads a Unix socket directory from ?host= or from a percent-encoded host', () => {
    assert.equal(parts('postgresql:///mydb?host=/var/run/postgresql').host, '/var/run/postgresql');
    assert.equal(parts('postgresql://%2Fvar%2Frun%2Fpostgresql/mydb').host, '/var/run/postgresql');
  });

  it('lets query parameters override the earlier parts', () => {
    assert.deepEqual(parts('postgresql://a@h:1/d?user=b&port=2&dbname=e&host=k'), { user: 'b', host: 'k', port: 2, database: 'e' });
  });

  it('reads a password given as a query parameter', () => {
    assert.equal(parts('postgresql://h/d?password=x%26y').password, 'x&y');
  });

  it('maps the JDBC spelling ssl=true to sslmode=require', () => {
    assert.equal(parts('postgresql://h/d?ssl=true').sslmode, 'require');
  });

  it('uses only the first host of a multi-host URL, with a warning', () => {
    const r = parsePostgresUrl('postgresql://h1:1,h2:2/d');
    assert.ok(r.ok);
    assert.equal(r.parts.host, 'h1');
    assert.equal(r.parts.port, 1);
    assert.match(r.warnings.join(), /first host/);
  });

  it('accepts libpq parameters it has no use for and warns about unknown ones', () => {
    const r = parsePostgresUrl('postgresql://h/d?application_name=x&connect_timeout=5&bogus=1');
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, ['Unknown URL parameter "bogus" is ignored.']);
  });

  it('never quotes a piece of a URL that holds user info in its errors and warnings', () => {
    const pieces = ['qx', 'jz', '%zz'];
    const cases = [
      'postgres://u:qx/jz@h:5432/db',
      'postgresql://u:qx?jz@h/db',
      'postgresql://u:qx%zzjz@h/db',
      'postgres://u:1234/jz@h/db',
      'postgresql://u:qx@h/db?sslmode=jz',
    ];
    for (const url of cases) {
      const message = error(url);
      for (const p of pieces) assert.ok(!message.includes(p), `${url}: ${message}`);
      assert.match(message, /must be percent-encoded \("\/" as %2F/);
    }
    assert.match(error('postgres://u:qx/jz@h:5432/db'), /^Invalid connection URL: invalid port; /);
    const warned = parsePostgresUrl('postgresql://u:pw@h/d?pass=x');
    assert.ok(warned.ok);
    assert.deepEqual(warned.warnings, ['An unknown URL parameter is ignored.']);
  });

  it('rejects what libpq rejects', () => {
    assert.match(error('mysql://h/d'), /postgresql:\/\//);
    assert.match(error('postgresql://h:port/d'), /invalid port "port"/);
    assert.match(error('postgresql://h:70000/d'), /out of range/);
    assert.match(error('postgresql://h/d%zz'), /percent-encoded/);
    assert.match(error('postgresql://h/d%00'), /%00/);
    assert.match(error('postgresql://[::1/d'), /"]"/);
    assert.match(error('postgresql://h/d?sslmode=maybe'), /invalid sslmode "maybe"/);
    assert.match(error('postgresql://h/d?novalue'), /missing "="/);
  });
});

describe('formatPostgresUrl', () => {
  it('round-trips through the parser without a password', () => {
    const cases: UrlParts[] = [
      { host: 'db', port: 5432, database: 'my db', user: 'a@b', sslmode: 'require' },
      { host: '::1', port: 5433, database: 'd', user: 'u' },
      { host: '/var/run/postgresql', port: 5432, database: 'd', user: 'u', sslrootcert: '/ca file.pem' },
    ];
    for (const c of cases) assert.deepEqual(parts(formatPostgresUrl(c)), c);
  });
});
