import assert from 'node:assert/strict';
import { findPgpassPassword, pgpassModeIsSecure, type PgpassTarget } from '../../../src/core/connection/pgpass';

const target: PgpassTarget = { host: 'db.example.com', port: 5432, database: 'shop', user: 'alice' };

function lookup(text: string, t: Partial<PgpassTarget> = {}): string | undefined {
  return findPgpassPassword(text, { ...target, ...t });
}

describe('findPgpassPassword', () => {
  it('matches all four fields literally', () => {
    assert.equal(lookup('db.example.com:5432:shop:alice:pw1'), 'pw1');
    assert.equal(lookup('db.example.com:5432:shop:bob:pw1'), undefined);
    assert.equal(lookup('db.example.com:5433:shop:alice:pw1'), undefined);
    assert.equal(lookup('other:5432:shop:alice:pw1'), undefined);
    assert.equal(lookup('db.example.com:5432:shop2:alice:pw1'), undefined);
  });

  it('treats a field of exactly "*" as a wildcard', () => {
    assert.equal(lookup('*:*:*:*:any'), 'any');
    assert.equal(lookup('*:5432:*:alice:x'), 'x');
  });

  it('treats "*" inside a longer field, or escaped, as a literal star', () => {
    assert.equal(lookup('db.*:5432:shop:alice:x'), undefined);
    assert.equal(lookup('db.example.com:5432:\\*:alice:x'), undefined);
    assert.equal(lookup('db.example.com:5432:\\*:alice:x', { database: '*' }), 'x');
  });

  it('uses the first matching line, so specific lines must come first', () => {
    const file = ['db.example.com:5432:shop:alice:specific', '*:*:*:*:general'].join('\n');
    assert.equal(lookup(file), 'specific');
    assert.equal(lookup(['*:*:*:*:general', 'db.example.com:5432:shop:alice:specific'].join('\n')), 'general');
  });

  it('unescapes \\: and \\\\ in fields and in the password', () => {
    assert.equal(lookup('db.example.com:5432:a\\:b:alice:p\\:w\\\\d', { database: 'a:b' }), 'p:w\\d');
    assert.equal(lookup('db.example.com:5432:a\\\\b:alice:pw', { database: 'a\\b' }), 'pw');
  });

  it('ends the password at the next unescaped colon', () => {
    assert.equal(lookup('db.example.com:5432:shop:alice:pw:extra'), 'pw');
  });

  it('skips comment lines and strips CR LF', () => {
    assert.equal(lookup('#db.example.com:5432:shop:alice:commented\r\ndb.example.com:5432:shop:alice:real\r\n'), 'real');
  });

  it('requires the colon after the user field', () => {
    assert.equal(lookup('db.example.com:5432:shop:alice'), undefined);
  });

  it('treats an empty password on the first matching line as no password', () => {
    assert.equal(lookup('db.example.com:5432:shop:alice:\n*:*:*:*:later'), undefined);
  });

  it('never matches an empty database or user name', () => {
    assert.equal(lookup('*:*:*:*:pw', { database: '' }), undefined);
    assert.equal(lookup('*:*:*:*:pw', { user: '' }), undefined);
  });

  it('matches "localhost" for an empty host and the default socket directory, not for other sockets', () => {
    const file = 'localhost:5432:shop:alice:local';
    assert.equal(lookup(file, { host: '' }), 'local');
    assert.equal(lookup(file, { host: 'localhost' }), 'local');
    assert.equal(lookup(file, { host: '/var/run/postgresql' }), 'local');
    assert.equal(lookup(file, { host: '/tmp' }), 'local');
    assert.equal(lookup(file, { host: '/home/me/sockets' }), undefined);
    assert.equal(lookup('/home/me/sockets:5432:shop:alice:sock', { host: '/home/me/sockets' }), 'sock');
    // The socket list is the caller's to choose (libpq compiles in one directory).
    assert.equal(findPgpassPassword(file, { ...target, host: '/tmp' }, ['/var/run/postgresql']), undefined);
  });

  it('compares the port as text, defaulting to 5432', () => {
    assert.equal(lookup('db.example.com:6000:shop:alice:p', { port: 6000 }), 'p');
    assert.equal(lookup('db.example.com:5432:shop:alice:p', { port: '' }), 'p');
  });

  it('is case sensitive, as libpq is', () => {
    assert.equal(lookup('DB.example.com:5432:shop:alice:p'), undefined);
  });
});

describe('pgpassModeIsSecure', () => {
  it('accepts 0600 and stricter, refuses any group or other bit', () => {
    assert.equal(pgpassModeIsSecure(0o100600), true);
    assert.equal(pgpassModeIsSecure(0o400), true);
    assert.equal(pgpassModeIsSecure(0o640), false);
    assert.equal(pgpassModeIsSecure(0o604), false);
    assert.equal(pgpassModeIsSecure(0o100644), false);
  });
});
