/**
 * Replication health from whichever side we are connected to. On a replica:
 * how far replay is behind (PgHero's replication_lag: zero when everything
 * received has been replayed). On a primary: standbys' replay lag, and
 * replication slots. An inactive slot keeps every WAL segment its consumer has
 * not confirmed, so an abandoned one fills the disk and holds back VACUUM.
 */
import { READ_ALL_STATS } from '../activity';
import { formatBytes, formatDuration, plural } from '../format';
import { quoteLiteral } from '../ident';
import { above, statusOf } from '../outcome';
import { bool, first, num, num0, text } from '../rows';
import type { CheckContext, Finding, Limitation, MultiQueryCheck, Rows } from '../types';

type ReplicationRows = { lag?: Rows; standbys?: Rows; slots: Rows };

const currentLsn = (ctx: CheckContext) => (ctx.inRecovery ? 'pg_last_wal_receive_lsn()' : 'pg_current_wal_lsn()');

export const replication: MultiQueryCheck<ReplicationRows> = {
  id: 'replication',
  title: 'Replication',
  category: 'replication',
  level: 'server',
  minVersion: 100000,
  privileges: "Any role sees slots; standby details in pg_stat_replication need pg_read_all_stats (or pg_monitor).",
  thresholds: ['replicationLagWarningSeconds', 'replicationLagCriticalSeconds', 'slotRetainedCriticalBytes'],
  sql: {
    lag: (ctx) =>
      ctx.inRecovery
        ? `SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS lag_seconds,
       pg_last_xact_replay_timestamp()::text AS last_replayed,
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) AS pending_bytes`
        : null,
    standbys: (ctx) =>
      ctx.inRecovery
        ? null
        : // host() drops the netmask that inet's text form carries ("10.0.0.2/32").
          // Without pg_read_all_stats every column but the pid and application is NULL, the state included.
          `SELECT application_name, host(client_addr) AS client, state, sync_state,
       state IS NULL AS hidden,
       extract(epoch FROM replay_lag)::float8 AS replay_lag_seconds,
       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS replay_lag_bytes
FROM pg_stat_replication
ORDER BY application_name`,
    slots: (ctx) => `SELECT slot_name, slot_type, database, active, temporary,
       pg_wal_lsn_diff(${currentLsn(ctx)}, restart_lsn) AS retained_bytes,
       ${ctx.versionNum >= 130000 ? 'wal_status, safe_wal_size' : 'NULL::text AS wal_status, NULL::bigint AS safe_wal_size'}
FROM pg_replication_slots
ORDER BY slot_name`,
  },
  evaluate(rows, t, ctx) {
    const findings: Finding[] = [];
    const parts: string[] = [];
    if (ctx.inRecovery) {
      const lag = first(rows.lag);
      const seconds = num(lag.lag_seconds);
      if (seconds === null) {
        parts.push('replica: nothing replayed yet');
      } else {
        parts.push(`replica ${formatDuration(seconds)} behind`);
        const severity = above(seconds, t.replicationLagWarningSeconds, t.replicationLagCriticalSeconds);
        if (severity) {
          findings.push({
            severity,
            object: 'replay lag',
            message: `This replica is ${formatDuration(seconds)} behind its primary (last replayed transaction at ${text(lag.last_replayed)}; ${formatBytes(num0(lag.pending_bytes))} received but not replayed).`,
            remediation: {
              text:
                'Check for long queries on the replica that conflict with replay (max_standby_streaming_delay), I/O saturation on the replica, or network limits between the two servers.',
            },
          });
        }
      }
    }
    for (const s of rows.standbys ?? []) {
      const seconds = num(s.replay_lag_seconds);
      const severity = seconds === null ? null : above(seconds, t.replicationLagWarningSeconds, t.replicationLagCriticalSeconds);
      if (severity && seconds !== null) {
        findings.push({
          severity,
          object: `standby ${text(s.application_name)}`,
          message: `Standby ${text(s.application_name)} (${text(s.client, 'local')}, ${text(s.sync_state)}) replays ${formatDuration(seconds)} behind (${formatBytes(num0(s.replay_lag_bytes))}).`,
          remediation: { text: 'Look at the standby: I/O, queries conflicting with replay, or the network.' },
        });
      }
    }
    if (rows.standbys) parts.push(rows.standbys.length === 0 ? 'no standby connected' : `${plural(rows.standbys.length, 'standby', 'standbys')} connected`);
    const hiddenStandbys = (rows.standbys ?? []).filter((s) => bool(s.hidden)).length;
    if (hiddenStandbys > 0) {
      const all = hiddenStandbys === rows.standbys?.length;
      parts.push(all ? `${hiddenStandbys === 1 ? 'its' : 'their'} lag is hidden from this role` : `the lag of ${hiddenStandbys} of them is hidden from this role`);
    }
    const limitations: Limitation[] =
      hiddenStandbys > 0
        ? [
            {
              reason: `${plural(hiddenStandbys, 'standby is', 'standbys are')} connected, but ${hiddenStandbys === 1 ? 'its' : 'their'} state and replay lag are hidden from this role, so a standby falling behind cannot be seen.`,
              fix: `GRANT ${READ_ALL_STATS} TO <role>;  -- or pg_monitor`,
              needs: READ_ALL_STATS,
            },
          ]
        : [];
    let inactive = 0;
    for (const s of rows.slots) {
      const name = text(s.slot_name);
      const retained = num0(s.retained_bytes);
      const status = text(s.wal_status);
      if (status === 'lost' || status === 'unreserved') {
        findings.push({
          severity: 'critical',
          object: `slot ${name}`,
          message:
            status === 'lost'
              ? `Replication slot ${name} has lost WAL its consumer still needed: that consumer cannot resume and must be re-synchronised.`
              : `Replication slot ${name} retains more WAL than max_slot_wal_keep_size allows; the WAL will be removed at the next checkpoint.`,
          remediation: { text: 'Drop the slot and rebuild the consumer from a fresh copy.', sql: `SELECT pg_drop_replication_slot(${quoteLiteral(name)});` },
        });
        continue;
      }
      if (bool(s.active)) continue;
      inactive++;
      findings.push({
        severity: retained >= t.slotRetainedCriticalBytes ? 'critical' : 'warning',
        object: `slot ${name}`,
        message: `Replication slot ${name} (${text(s.slot_type)}${s.database ? `, database ${text(s.database)}` : ''}) is inactive and retains ${formatBytes(retained)} of WAL.`,
        remediation: {
          text:
            'If its consumer (a replica, a logical subscriber, a CDC tool) is gone for good, drop the slot. Otherwise bring the consumer back. ' +
            'max_slot_wal_keep_size (PostgreSQL 13+) caps how much WAL a slot may hold.',
          sql: `SELECT pg_drop_replication_slot(${quoteLiteral(name)});`,
        },
      });
    }
    parts.push(rows.slots.length === 0 ? 'no replication slots' : `${plural(rows.slots.length, 'slot', 'slots')}, ${inactive} inactive`);
    return {
      status: statusOf(findings),
      summary: `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
      findings,
      details: [
        {
          title: 'Replication slots',
          columns: [{ label: 'Slot' }, { label: 'Type' }, { label: 'Database' }, { label: 'Active' }, { label: 'WAL retained', kind: 'bytes' }, { label: 'WAL status' }],
          rows: rows.slots.map((s) => [text(s.slot_name), text(s.slot_type), text(s.database), bool(s.active), num0(s.retained_bytes), text(s.wal_status)]),
        },
        ...(rows.standbys
          ? [
              {
                title: 'Standbys',
                columns: [{ label: 'Application' }, { label: 'Client' }, { label: 'State' }, { label: 'Sync' }, { label: 'Replay lag', kind: 'seconds' as const }, { label: 'Replay lag', kind: 'bytes' as const }],
                rows: rows.standbys.map((s) => [text(s.application_name), text(s.client), text(s.state), text(s.sync_state), num(s.replay_lag_seconds), num0(s.replay_lag_bytes)]),
              },
            ]
          : []),
      ],
      limitations,
    };
  },
};
