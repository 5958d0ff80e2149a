import assert from 'node:assert/strict';
import { redact } from '../../../src/core/connection/redact';

describe('redact', () => {
  it('hides the password of URLs and keeps the rest', () => {
    assert.equal(redact('connecting to postgresql://alice:s3cr%40t@db:5432/shop now'), 'connecting to postgresql://alice:***@db:5432/shop now');
    assert.equal(redact('postgres://:only@h/d'), 'postgres://:***@h/d');
    assert.equal(redact('postgresql://bob:p@ss@h/d'), 'postgresql://bob:***@h/d');
  });

  it('hides passwords that hold an unencoded "/" or "?", and those of any scheme', () => {
    assert.equal(redact('postgres://u:pa/ss@h:5432/db'), 'postgres://u:***@h:5432/db');
    assert.equal(redact('"postgres://u:pa?ss@h/db" then'), '"postgres://u:***@h/db" then');
    assert.equal(redact('mysql://root:pw@h/x, redis://:pw@cache:6379'), 'mysql://root:***@h/x, redis://:***@cache:6379');
    assert.equal(redact("dblink_connect('postgresql://a:b/c@h/d')"), "dblink_connect('postgresql://a:***@h/d')");
  });

  it('leaves statement parameters compared with a password column alone', () => {
    const text = 'SELECT id FROM users WHERE password = $1 OR password = crypt($2, password) OR passwd=$3::text';
    assert.equal(redact(text), text);
  });

  it("hides SQL's PASSWORD '...' (roles, user mappings)", () => {
    assert.equal(redact("ALTER ROLE app WITH PASSWORD 'it''s secret' VALID UNTIL 'infinity'"), "ALTER ROLE app WITH PASSWORD '***' VALID UNTIL 'infinity'");
    assert.equal(redact("CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password 'pw')"), "CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password '***')");
    assert.equal(redact("ALTER ROLE app PASSWORD E'a\\'b'"), "ALTER ROLE app PASSWORD '***'");
    assert.equal(redact('ALTER ROLE app PASSWORD NULL'), 'ALTER ROLE app PASSWORD NULL');
  });

  it('leaves URLs without a password alone', () => {
    assert.equal(redact('postgresql://alice@db/shop and https://example.com/a:b'), 'postgresql://alice@db/shop and https://example.com/a:b');
  });

  it('hides password=value pairs in conninfo strings, .env lines and query strings', () => {
    assert.equal(redact("host=h password=secret user=u"), 'host=h password=*** user=u');
    assert.equal(redact("password='it\\'s' dbname=d"), "password='***' dbname=d");
    assert.equal(redact('PGPASSWORD=hunter2'), 'PGPASSWORD=***');
    assert.equal(redact('?sslmode=require&password=x&user=u'), '?sslmode=require&password=***&user=u');
  });

  it('hides passwords in JSON', () => {
    assert.equal(redact('{"user":"u","password":"p\\"w","port":1}'), '{"user":"u","password":"***","port":1}');
  });

  it('hides known secrets wherever they appear, longest first', () => {
    assert.equal(redact('auth failed for hunter2 (hunter2x)', ['hunter2', 'hunter2x']), 'auth failed for *** (***)');
    assert.equal(redact('a.b*c appears', ['a.b*c']), '*** appears');
  });

  it('does not replace very short known secrets literally', () => {
    assert.equal(redact('ab cd', ['ab']), 'ab cd');
  });

  it('leaves ordinary messages alone', () => {
    const text = 'password authentication failed for user "alice"; password_encryption = scram-sha-256';
    assert.equal(redact(text), text);
  });

  it('does not take a connection name ending in "password" followed by a colon for a password', () => {
    const text = 'wrong-password: Password authentication failed for user "postgres".';
    assert.equal(redact(text), text);
    assert.equal(redact("{'password': 'x'}"), "{'password': '***'}");
  });
});
