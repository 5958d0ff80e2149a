import assert from 'node:assert/strict';
import { judgeAvailability, listsLibrary, type AvailabilityFacts } from '../../../src/core/stats/availability';
import { signalMissedMessage, signalRefusedMessage } from '../../../src/core/stats/privileges';

const READY: AvailabilityFacts = {
  versionNum: 150004,
  database: 'shop',
  user: 'app',
  superuser: false,
  availableVersion: '1.10',
  installedVersion: '1.10',
  schema: 'public',
  preloadLibraries: null,
  loaded: true,
  canReadAll: true,
  hiddenEntries: 0,
  totalEntries: 42,
  canReset: false,
};

function facts(over: Partial<AvailabilityFacts>): AvailabilityFacts {
  return { ...READY, ...over };
}

const runs = (a: ReturnType<typeof judgeAvailability>) => a.fix.map((s) => s.run).filter((r): r is string => r !== undefined);

describe('stats/availability', () => {
  it('ready when created, loaded and readable', () => {
    const a = judgeAvailability(READY);
    assert.equal(a.status, 'ready');
    assert.equal(a.usable, true);
    assert.deepEqual(a.fix, []);
  });

  it('the server has no extension files: install contrib, preload, create', () => {
    const a = judgeAvailability(facts({ availableVersion: null, installedVersion: null, schema: null, loaded: null, preloadLibraries: '' }));
    assert.equal(a.status, 'not-available');
    assert.equal(a.usable, false);
    assert.match(a.message, /contrib modules.*PostgreSQL 15/);
    assert.match(a.fix[0]!.say, /postgresql-15/);
    assert.deepEqual(runs(a), ["ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';", 'CREATE EXTENSION pg_stat_statements;']);
    assert.ok(a.fix.some((s) => /Restart the PostgreSQL server/.test(s.say)));
  });

  it('not created in this database, already preloaded: only CREATE EXTENSION', () => {
    const a = judgeAvailability(facts({ installedVersion: null, schema: null, loaded: null, preloadLibraries: 'pg_stat_statements' }));
    assert.equal(a.status, 'not-installed');
    assert.equal(a.message, 'The server has pg_stat_statements 1.10, but CREATE EXTENSION was not run in database "shop".');
    assert.deepEqual(runs(a), ['CREATE EXTENSION pg_stat_statements;']);
    assert.match(a.fix[0]!.say, /connected to database "shop"/);
  });

  it('not created and not preloaded: both, keeping the libraries already listed', () => {
    const a = judgeAvailability(facts({ installedVersion: null, schema: null, loaded: null, preloadLibraries: 'auto_explain, "my lib"' }));
    assert.equal(a.status, 'not-installed');
    assert.match(a.message, /not in shared_preload_libraries either/);
    assert.deepEqual(runs(a), ["ALTER SYSTEM SET shared_preload_libraries = 'auto_explain', 'my lib', 'pg_stat_statements';", 'CREATE EXTENSION pg_stat_statements;']);
  });

  it('not created, and the role cannot see shared_preload_libraries: says it must also be preloaded', () => {
    const a = judgeAvailability(facts({ installedVersion: null, schema: null, loaded: null, preloadLibraries: null }));
    assert.match(a.message, /must also be listed in shared_preload_libraries \(this role cannot see that setting\)/);
    assert.deepEqual(runs(a), ["shared_preload_libraries = 'pg_stat_statements'", 'CREATE EXTENSION pg_stat_statements;']);
  });

  it('created but not loaded at start: shared_preload_libraries and a restart', () => {
    const a = judgeAvailability(facts({ loaded: false, preloadLibraries: '' }));
    assert.equal(a.status, 'not-preloaded');
    assert.equal(a.usable, false);
    assert.match(a.message, /did not load its library at start: it must be listed in shared_preload_libraries, and the server restarted/);
    assert.deepEqual(runs(a), ["ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';"]);
    assert.match(a.fix[1]!.say, /a reload is not enough/);
  });

  it('without pg_read_all_stats: limited, with the count of hidden statements and the GRANT', () => {
    const a = judgeAvailability(facts({ canReadAll: false, hiddenEntries: 7, totalEntries: 9, user: 'Report Reader' }));
    assert.equal(a.status, 'limited');
    assert.equal(a.usable, true);
    assert.equal(a.message, 'Role "Report Reader" sees the text of its own statements only. 7 of 9 statements belong to other roles and show as <insufficient privilege>. Reading all of them needs pg_read_all_stats (or superuser).');
    assert.deepEqual(runs(a), ['GRANT pg_read_all_stats TO "Report Reader";']);
  });

  it('without pg_read_all_stats and nothing hidden yet: still says what will be', () => {
    assert.match(judgeAvailability(facts({ canReadAll: false })).message, /None of them is hidden now, but statements of other roles will be/);
  });

  it('reads shared_preload_libraries as PostgreSQL lists it', () => {
    assert.equal(listsLibrary(null), null);
    assert.equal(listsLibrary(''), false);
    assert.equal(listsLibrary('pg_stat_statements'), true);
    assert.equal(listsLibrary('auto_explain,pg_stat_statements'), true);
    assert.equal(listsLibrary('"$libdir/pg_stat_statements", auto_explain'), true);
    assert.equal(listsLibrary('pg_stat_statements_extra'), false);
  });

  it('explains a refused cancel or terminate with the rule and the GRANT', () => {
    assert.equal(
      signalRefusedMessage('cancel', { pid: 42, user: 'alice', superuser: false }, 'bob'),
      'Role "bob" may not cancel the statement of session 42 of role "alice": that needs the privileges of role "alice" or of pg_signal_backend. A superuser can grant it with: GRANT pg_signal_backend TO bob;',
    );
    assert.equal(
      signalRefusedMessage('terminate', { pid: 7, user: 'postgres', superuser: true }, 'pg_signal_holder'),
      'Role "pg_signal_holder" may not terminate session 7 of role "postgres": it belongs to a superuser, and only superusers may signal superusers\' sessions.',
    );
    assert.equal(signalMissedMessage('terminate', 9), 'Session 9 could not be terminated: it is no longer running.');
  });
});
