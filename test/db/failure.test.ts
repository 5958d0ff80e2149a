/**
 * The failure classifier on the errors pg and Node produce, including those
 * the test server cannot produce (TLS required, self-signed certificates,
 * administrator shutdown).
 */
import assert from 'node:assert/strict';
import { classifyFailure, type FailureContext } from '../../src/db/failure';
import { redact } from '../../src/db/redact';

const ctx: FailureContext = {
  where: 'db.example.com:5432/app',
  host: 'db.example.com',
  user: 'alice',
  database: 'app',
  password: 's3cret-pw',
  cancelRequested: false,
  statementTimeoutMs: 30000,
  lockTimeoutMs: 5000,
  connectTimeoutMs: 10000,
};

function pgError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL', ...extra });
}
function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const cases: ReadonlyArray<readonly [string, unknown, string, RegExp, Partial<FailureContext>?]> = [
  ['wrong password', pgError('28P01', 'password authentication failed for user "alice"'), 'auth', /Password authentication failed for user "alice" on db\.example\.com:5432\/app/],
  ['no password known', pgError('28P01', 'password authentication failed for user "alice"'), 'password-needed', /asks for a password/, { password: undefined }],
  ['SASL without a password', new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), 'password-needed', /none is known/],
  ['no such role', pgError('28000', 'role "alice" does not exist'), 'auth', /rejected user "alice": role "alice" does not exist/],
  ['pg_hba wants SSL', pgError('28000', 'no pg_hba.conf entry for host "10.0.0.1", user "alice", database "app", no encryption'), 'tls-required', /only encrypted \(SSL\)/],
  ['database missing', pgError('3D000', 'database "app" does not exist'), 'database-missing', /Database "app" does not exist on db\.example\.com:5432\./],
  ['refused', nodeError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'), 'unreachable', /connection refused/],
  ['host not found', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example.com'), 'unreachable', /"db\.example\.com" was not found/],
  ['host unreachable', nodeError('EHOSTUNREACH', 'connect EHOSTUNREACH'), 'unreachable', /cannot be reached/],
  ['connect timeout', new Error('Connection terminated due to connection timeout'), 'connect-timeout', /No answer from db\.example\.com:5432 within 10 s/],
  ['pool checkout timeout: the pool is full, the server was never asked', new Error('timeout exceeded when trying to connect'), 'busy', /^All connections of PG Insight's pool to db\.example\.com:5432 are in use by statements still running, and no connection came free within 10 s\./],
  ['pool checkout timeout, pool size known', new Error('timeout exceeded when trying to connect'), 'busy', /^All 3 connections of PG Insight's pool to db\.example\.com:5432 are in use/, { poolMax: 3 }],
  ['pool of one', new Error('timeout exceeded when trying to connect'), 'busy', /^The 1 connection of PG Insight's pool to db\.example\.com:5432 is in use/, { poolMax: 1 }],
  ['server at max_connections', pgError('53300', 'sorry, too many clients already'), 'busy', /^The server at db\.example\.com:5432 has no free connection slots \(sorry, too many clients already\)\./],
  ['slots reserved for superusers', pgError('53300', 'remaining connection slots are reserved for roles with the SUPERUSER attribute'), 'busy', /no free connection slots \(remaining connection slots are reserved/],
  ['a pooler out of client slots', pgError('08P01', 'no more connections allowed (max_client_conn)'), 'busy', /no free connection slots/],
  ['TCP timeout', nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), 'connect-timeout', /No answer/],
  ['server without SSL', new Error('The server does not support SSL connections'), 'tls-refused', /does not support SSL/],
  ['self-signed certificate', nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'tls-refused', /not trusted \(self-signed certificate\)/],
  ['certificate chain', nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'tls-refused', /sslrootcert/],
  ['host name mismatch', nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'tls-refused', /not trusted/],
  ['terminated', new Error('Connection terminated unexpectedly'), 'connection-lost', /was closed/],
  ['admin shutdown', pgError('57P01', 'terminating connection due to administrator command'), 'connection-lost', /closed the connection or is restarting/],
  ['starting up', pgError('57P03', 'the database system is starting up'), 'connection-lost', /restarting/],
  ['reset', nodeError('ECONNRESET', 'read ECONNRESET'), 'connection-lost', /was closed/],
  ['statement timeout', pgError('57014', 'canceling statement due to statement timeout'), 'statement-timeout', /statement timeout \(30000 ms\)/],
  ['our cancel', pgError('57014', 'canceling statement due to user request'), 'cancelled', /cancelled/, { cancelRequested: true }],
  ['lock timeout', pgError('55P03', 'canceling statement due to lock timeout'), 'lock-timeout', /lock timeout \(5000 ms\)/],
  ['privilege', pgError('42501', 'permission denied for table payroll'), 'privilege', /^Permission denied for table payroll \(user "alice"\)\.$/],
  ['read-only', pgError('25006', 'cannot execute INSERT in a read-only transaction'), 'read-only', /read-only transaction/],
  ['syntax', pgError('42601', 'syntax error at or near "FORM"', { position: '10' }), 'syntax', /Syntax error/],
  ['protocol violation is not a lost connection', pgError('08P01', 'bind message supplies 0 parameters, but prepared statement "" requires 1'), 'other', /requires 1 \(08P01\)/],
  ['anything else keeps the server message and code', pgError('42P01', 'relation "nope" does not exist'), 'other', /^relation "nope" does not exist \(42P01\)$/],
];

describe('db/failure: classification of pg and Node errors', () => {
  for (const [name, error, kind, message, override] of cases) {
    it(name, () => {
      const e = classifyFailure(error, { ...ctx, ...override });
      assert.equal(e.kind, kind);
      assert.match(e.message, message);
      assert.ok(e.nextSteps.length > 0 || kind === 'cancelled');
      assert.ok(!e.message.includes('s3cret-pw'));
    });
  }

  it('gives the syntax error position 0-based, mapped when a map is given', () => {
    const err = pgError('42601', 'syntax error', { position: '10' });
    assert.equal(classifyFailure(err, ctx).position, 9);
    assert.equal(classifyFailure(err, { ...ctx, mapPosition: (p) => p + 100 }).position, 110);
  });

  it('never repeats a password or URL credentials from a message', () => {
    const e = classifyFailure(new Error('could not connect with postgresql://alice:s3cret-pw@db/app and password=s3cret-pw'), ctx);
    assert.ok(!e.message.includes('s3cret-pw'), e.message);
    assert.equal(redact('postgres://u:p%40ss@h/d', undefined), 'postgres://u:***@h/d');
  });
});
