import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgpassLookup, pgpassPath } from '../../../src/connections/pgpassFile';
import { profile, testLog } from './fakes';

describe('pgpassLookup (the password file at the edge)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-insight-pgpass-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function file(text: string, mode: number): string {
    const path = join(dir, 'pgpass');
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  }

  it('reads PGPASSFILE when set, else ~/.pgpass', () => {
    assert.equal(pgpassPath({ PGPASSFILE: '/x/y' }, 'linux'), '/x/y');
    assert.match(pgpassPath({}, 'linux'), /\.pgpass$/);
    assert.match(pgpassPath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32'), /postgresql.pgpass\.conf$/);
  });

  it('finds the password of a 0600 file and registers it for redaction', async () => {
    const { log, sink } = testLog();
    const lookup = pgpassLookup(log, { PGPASSFILE: file('db:5432:shop:alice:from-file\n', 0o600) }, 'linux');
    assert.equal(await lookup(profile('user-settings:a')), 'from-file');
    log.info('echo from-file');
    assert.deepEqual(sink.lines, ['echo ***']);
  });

  it('returns nothing when the file does not exist', async () => {
    const { log, sink } = testLog();
    assert.equal(await pgpassLookup(log, { PGPASSFILE: join(dir, 'missing') })(profile('user-settings:a')), undefined);
    assert.deepEqual(sink.lines, []);
  });

  it('ignores a file readable by group or others, warning once, as libpq does', async () => {
    const { log, sink } = testLog();
    const lookup = pgpassLookup(log, { PGPASSFILE: file('*:*:*:*:pw\n', 0o644) }, 'linux');
    assert.equal(await lookup(profile('user-settings:a')), undefined);
    assert.equal(await lookup(profile('user-settings:a')), undefined);
    assert.equal(sink.lines.length, 1);
    assert.match(sink.lines[0]!, /group or world access: ignored.*chmod 0600/);
  });

  it('ignores a path that is not a plain file', async () => {
    const { log, sink } = testLog();
    assert.equal(await pgpassLookup(log, { PGPASSFILE: dir }, 'linux')(profile('user-settings:a')), undefined);
    assert.match(sink.lines[0] ?? '', /not a plain file/);
  });

  it('makes no permission check on Windows, where the profile folder is private', async () => {
    const { log } = testLog();
    assert.equal(await pgpassLookup(log, { PGPASSFILE: file('*:*:*:*:pw\n', 0o644) }, 'win32')(profile('user-settings:a')), 'pw');
  });
});
