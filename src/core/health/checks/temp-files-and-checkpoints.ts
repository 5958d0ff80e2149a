/**
 * Two signs of memory and WAL settings too small for the workload. Temporary
 * files are sorts and hashes that did not fit in work_mem and spilled to
 * disk. Requested checkpoints (as opposed to timed ones) happen when WAL
 * reaches max_wal_size before checkpoint_timeout: frequent ones mean heavy
 * I/O bursts and more full-page writes. PostgreSQL 17 moved the checkpoint
 * counters from pg_stat_bgwriter to pg_stat_checkpointer.
 */
import { formatBytes, formatCount, formatDuration, formatPercent } from '../format';
import { statusOf } from '../outcome';
import { quoteIdent } from '../ident';
import { first, num0, text } from '../rows';
import type { CheckContext, Finding, MultiQueryCheck, Rows } from '../types';

type TempRows = { temp: Rows; checkpoints: Rows };

function checkpointsSql(ctx: CheckContext): string {
  const source =
    ctx.versionNum >= 170000
      ? `SELECT num_timed AS timed, num_requested AS requested, write_time, sync_time, buffers_written, stats_reset
  FROM pg_stat_checkpointer`
      : `SELECT checkpoints_timed AS timed, checkpoints_req AS requested,
         checkpoint_write_time AS write_time, checkpoint_sync_time AS sync_time,
         buffers_checkpoint AS buffers_written, stats_reset
  FROM pg_stat_bgwriter`;
  return `SELECT c.timed, c.requested, c.write_time, c.sync_time, c.buffers_written,
       c.stats_reset::text AS since,
       extract(epoch FROM now() - c.stats_reset)::float8 AS seconds,
       current_setting('max_wal_size') AS max_wal_size,
       current_setting('checkpoint_timeout') AS checkpoint_timeout
FROM (${source}) c`;
}

/**
 * work_mem that holds twice the average spill in memory (an in-memory sort
 * needs more room than the file it would write), as a power of two in MB,
 * from 16 MB (4 MB is the default) to 1 GB.
 */
export function workMemFor(averageFileBytes: number): string {
  const mb = Math.max(16, Math.min(1024, 2 ** Math.ceil(Math.log2(Math.max(1, (2 * averageFileBytes) / (1024 * 1024))))));
  return mb >= 1024 ? '1GB' : `${mb}MB`;
}

export const tempFilesAndCheckpoints: MultiQueryCheck<TempRows> = {
  id: 'temp-files-and-checkpoints',
  title: 'Temporary files and checkpoints',
  category: 'performance',
  level: 'server',
  minVersion: 90600,
  privileges: 'Any role.',
  thresholds: ['tempBytesWarningPerDay', 'checkpointRequestedWarningPercent', 'checkpointMinCount'],
  sql: {
    temp: `SELECT temp_files, temp_bytes, current_database() AS database,
       coalesce(stats_reset, pg_postmaster_start_time())::text AS since,
       extract(epoch FROM now() - coalesce(stats_reset, pg_postmaster_start_time()))::float8 AS seconds,
       current_setting('work_mem') AS work_mem
FROM pg_stat_database
WHERE datname = current_database()`,
    checkpoints: checkpointsSql,
  },
  evaluate(rows, t) {
    const findings: Finding[] = [];
    const temp = first(rows.temp);
    const tempBytes = num0(temp.temp_bytes);
    const tempSeconds = num0(temp.seconds);
    // Within the first day the total is the rate: extrapolating minutes of data would exaggerate.
    const perDay = tempBytes / Math.max(1, tempSeconds / 86400);
    const averageFile = tempBytes / Math.max(1, num0(temp.temp_files));
    const suggested = workMemFor(averageFile);
    if (perDay > t.tempBytesWarningPerDay) {
      findings.push({
        severity: 'warning',
        object: 'work_mem',
        message: `Queries in this database wrote ${formatBytes(tempBytes)} of temporary files (${formatCount(num0(temp.temp_files))} files) in ${formatDuration(tempSeconds)}, about ${formatBytes(perDay)} a day; work_mem is ${text(temp.work_mem)}.`,
        remediation: {
          text:
            `Raise work_mem for this database to ${suggested}, twice the average temporary file (${formatBytes(averageFile)}), so that such sorts and hashes fit in memory; new sessions get it. ` +
            'Each sort or hash node of each connection may use that much: with many connections, raise it for the roles or statements that spill instead ' +
            '(ALTER ROLE … SET work_mem; log_temp_files = 0 logs every temporary file with its statement).',
          sql: `ALTER DATABASE ${quoteIdent(text(temp.database))} SET work_mem = '${suggested}';`,
        },
      });
    }
    const cp = first(rows.checkpoints);
    const timed = num0(cp.timed);
    const requested = num0(cp.requested);
    const totalCheckpoints = timed + requested;
    const requestedPercent = totalCheckpoints > 0 ? (100 * requested) / totalCheckpoints : 0;
    if (totalCheckpoints >= t.checkpointMinCount && requestedPercent > t.checkpointRequestedWarningPercent) {
      findings.push({
        severity: 'warning',
        object: 'max_wal_size',
        message: `${formatPercent(requestedPercent)} of checkpoints (${formatCount(requested)} of ${formatCount(totalCheckpoints)}) were requested rather than timed: WAL fills max_wal_size (${text(cp.max_wal_size)}) before checkpoint_timeout (${text(cp.checkpoint_timeout)}).`,
        remediation: {
          text: 'Raise max_wal_size so checkpoints happen on the timer; manual CHECKPOINT commands and base backups also count as requested.',
          sql: "ALTER SYSTEM SET max_wal_size = '4GB';  -- then SELECT pg_reload_conf();",
        },
      });
    }
    const checkpointText =
      totalCheckpoints < t.checkpointMinCount
        ? `${formatCount(totalCheckpoints)} checkpoints so far, too few to judge`
        : `${formatPercent(requestedPercent)} of ${formatCount(totalCheckpoints)} checkpoints requested`;
    return {
      status: statusOf(findings),
      summary: `Temporary files: ${formatBytes(tempBytes)} in ${formatDuration(tempSeconds)}; ${checkpointText}.`,
      findings,
      details: [
        {
          columns: [{ label: 'Measure' }, { label: 'Value' }, { label: 'Since', kind: 'timestamp' }],
          rows: [
            ['Temporary files', num0(temp.temp_files), text(temp.since)],
            ['Temporary bytes', tempBytes, text(temp.since)],
            ['Timed checkpoints', timed, text(cp.since)],
            ['Requested checkpoints', requested, text(cp.since)],
            ['Checkpoint write time (ms)', num0(cp.write_time), text(cp.since)],
            ['Checkpoint sync time (ms)', num0(cp.sync_time), text(cp.since)],
          ],
        },
      ],
    };
  },
};
