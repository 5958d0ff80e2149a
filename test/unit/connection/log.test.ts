import assert from 'node:assert/strict';
import { testLog } from './fakes';

describe('Log', () => {
  it('redacts URL passwords and key=value passwords in every line', () => {
    const { log, sink } = testLog();
    log.info('connecting to postgresql://app:s3cret@db/shop');
    log.warn('conninfo host=db password=s3cret');
    log.error('PGPASSWORD=s3cret');
    assert.deepEqual(sink.lines, ['connecting to postgresql://app:***@db/shop', 'conninfo host=db password=***', 'PGPASSWORD=***']);
  });

  it('redacts registered secrets wherever they appear, from then on', () => {
    const { log, sink } = testLog();
    log.addSecret('hunter22');
    log.statement("SELECT 'hunter22'", 1.25, 1);
    assert.deepEqual(sink.lines, ["SELECT '***' (1.3 ms, 1 row)"]);
  });

  it('keeps the recent lines, redacted, with their level', () => {
    const { log } = testLog();
    log.addSecret('topsecret');
    log.info('a topsecret b');
    log.statement('SELECT 1', 0.5, null);
    assert.deepEqual(log.lines(), ['[info] a *** b', '[info] SELECT 1 (0.5 ms)']);
  });

  it('spells out bidirectional controls quoted from the database', () => {
    const { log, sink } = testLog();
    log.error('relation "invoices\u202Etxt.exe" does not exist');
    assert.deepEqual(sink.lines, ['relation "invoices\\u202Etxt.exe" does not exist']);
    assert.deepEqual(log.lines(), ['[error] relation "invoices\\u202Etxt.exe" does not exist']);
  });

  it('keeps a bounded number of recent lines', () => {
    const { log } = testLog();
    for (let i = 0; i < 1200; i++) log.info(`line ${i}`);
    const lines = log.lines();
    assert.equal(lines.length, 1000);
    assert.equal(lines[0], '[info] line 200');
  });
});
