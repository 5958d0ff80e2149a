/**
 * Merges the profiles of every source into the list the user picks from.
 *
 * The input is in priority order. Named connections from settings are all
 * kept: two entries for the same server are a deliberate choice (say, one
 * read-only). A discovered profile (environment, `.env`) that points at a
 * server already in the list is folded into the earlier profile instead of
 * being offered twice; its id becomes an alias, its password (if any) fills a
 * gap, and a `readOnly` or `production` mark on either side is kept, since
 * the safer reading wins.
 */
import type { ConnectionProfile } from './profile';

/** Same server, database and role: what makes two profiles the same target. */
export function targetKey(p: Pick<ConnectionProfile, 'host' | 'port' | 'database' | 'user'>): string {
  return JSON.stringify([p.host.toLowerCase(), p.port, p.database, p.user]);
}

function isDiscovered(p: ConnectionProfile): boolean {
  return p.source === 'environment' || p.source === 'workspace-dotenv';
}

function fold(kept: ConnectionProfile, extra: ConnectionProfile): ConnectionProfile {
  const aliases = [...(kept.aliases ?? []), extra.id, ...(extra.aliases ?? [])];
  const readOnly = kept.readOnly || extra.readOnly;
  const production = kept.production || extra.production;
  const sourcePassword = kept.sourcePassword ?? extra.sourcePassword;
  return {
    ...kept,
    aliases,
    ...(readOnly ? { readOnly: true } : {}),
    ...(production ? { production: true } : {}),
    ...(sourcePassword !== undefined ? { sourcePassword } : {}),
  };
}

/** Makes ids unique: a repeated id gets `#2`, `#3`, ... in order of appearance. */
function uniqueIds(profiles: readonly ConnectionProfile[]): ConnectionProfile[] {
  const seen = new Map<string, number>();
  return profiles.map((p) => {
    const n = (seen.get(p.id) ?? 0) + 1;
    seen.set(p.id, n);
    return n === 1 ? p : { ...p, id: `${p.id}#${n}` };
  });
}

export function mergeProfiles(inPriorityOrder: readonly ConnectionProfile[]): ConnectionProfile[] {
  const out: ConnectionProfile[] = [];
  const byTarget = new Map<string, number>();
  for (const p of uniqueIds(inPriorityOrder)) {
    const key = targetKey(p);
    const existing = byTarget.get(key);
    if (isDiscovered(p) && existing !== undefined) {
      out[existing] = fold(out[existing] as ConnectionProfile, p);
      continue;
    }
    if (existing === undefined) byTarget.set(key, out.length);
    out.push(p);
  }
  return out;
}
