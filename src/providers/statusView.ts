/**
 * What the connection status bar item says for a state: text, tooltip and
 * whether it needs attention. Pure (no `vscode`), so the wording is unit-tested.
 */
import { describeTarget, sourceLabel } from '../core/connection/complete';
import type { DbFailureKind } from '../db/types';
import type { ConnectionState } from '../connections/manager';
import type { ConnectionProfile } from '../core/connection/profile';

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
  /** Shown with the warning background. */
  readonly warning: boolean;
}

const SHORT_FAILURE: Record<DbFailureKind, string> = {
  auth: 'password rejected',
  'password-needed': 'password needed',
  unreachable: 'server unreachable',
  'connect-timeout': 'connection timed out',
  busy: 'no free connection',
  'database-missing': 'no such database',
  'tls-required': 'TLS required',
  'tls-refused': 'TLS refused',
  'connection-lost': 'connection lost',
  'statement-timeout': 'statement timed out',
  'lock-timeout': 'lock timed out',
  cancelled: 'cancelled',
  privilege: 'permission denied',
  syntax: 'syntax error',
  refused: 'refused',
  'read-only': 'read-only',
  other: 'error',
};

function details(p: ConnectionProfile): string[] {
  const lines = [
    `Host: ${p.host}`,
    `Port: ${p.port}`,
    `Database: ${p.database}`,
    `User: ${p.user}`,
  ];
  if (p.sslmode) lines.push(`SSL mode: ${p.sslmode}`);
  lines.push(`Source: ${sourceLabel(p.source)}${p.sourceDetail && p.sourceDetail !== sourceLabel(p.source) ? ` (${p.sourceDetail})` : ''}`);
  if (p.production) lines.push('Marked as production: no EXPLAIN ANALYZE of writing statements.');
  else if (p.readOnly) lines.push('Marked read-only.');
  return lines;
}

export function statusView(state: ConnectionState, profileCount: number): StatusView {
  switch (state.kind) {
    case 'disconnected':
      return {
        text: '$(debug-disconnect) PG Insight: not connected',
        tooltip: profileCount > 0 ? `${profileCount} connection${profileCount === 1 ? '' : 's'} available. Click to connect.` : 'No connection configured. Click to add one.',
        warning: false,
      };
    case 'connecting':
      return {
        text: `$(sync~spin) PG Insight: connecting to ${state.profile.name}…`,
        tooltip: [`Connecting to ${describeTarget(state.profile)}`, ...details(state.profile)].join('\n'),
        warning: false,
      };
    case 'connected': {
      const s = state.server;
      return {
        text: `$(database) ${state.profile.name} · PG ${s.version}`,
        tooltip: [
          `PG Insight: connected to ${state.profile.name}`,
          ...details(state.profile),
          `Server: PostgreSQL ${s.version}${s.inRecovery ? ' (replica)' : ''}`,
          '',
          'Click to switch connections.',
        ].join('\n'),
        warning: false,
      };
    }
    case 'error':
      return {
        text: `$(warning) ${state.profile.name}: ${SHORT_FAILURE[state.error.kind]}`,
        tooltip: [
          state.error.message,
          '',
          ...details(state.profile),
          ...(state.server ? [`Server: PostgreSQL ${state.server.version}`] : []),
          '',
          state.error.kind === 'connection-lost' ? 'The next use reconnects. Click to switch connections.' : 'Click to choose a connection.',
        ].join('\n'),
        warning: true,
      };
  }
}
