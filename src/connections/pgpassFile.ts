/**
 * Reads the libpq password file for a profile: `PGPASSFILE` if set, else
 * `~/.pgpass` (`%APPDATA%\postgresql\pgpass.conf` on Windows). As libpq does,
 * a file that is not a regular file, or that group or others may access, is
 * ignored with a warning (once per file and reason, not on every connect).
 * The file is read on each lookup: it is small, and edits apply at once.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findPgpassPassword, pgpassModeIsSecure } from '../core/connection/pgpass';
import type { ConnectionProfile } from '../core/connection/profile';
import type { Log } from '../log';
import type { PgpassLookup } from './passwords';

export function pgpassPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  if (platform === 'win32') return join(env.APPDATA ?? homedir(), 'postgresql', 'pgpass.conf');
  return join(homedir(), '.pgpass');
}

export function pgpassLookup(log: Log, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): PgpassLookup {
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    log.warn(message);
  };
  return async (profile: ConnectionProfile) => {
    const path = pgpassPath(env, platform);
    let text: string;
    try {
      const stat = await fs.stat(path);
      if (platform !== 'win32') {
        if (!stat.isFile()) {
          warnOnce(`${path}:type`, `Password file "${path}" is not a plain file: ignored.`);
          return undefined;
        }
        if (!pgpassModeIsSecure(stat.mode)) {
          warnOnce(`${path}:mode`, `Password file "${path}" has group or world access: ignored. Restrict it with chmod 0600 "${path}".`);
          return undefined;
        }
      }
      text = await fs.readFile(path, 'utf8');
    } catch {
      // No file (the usual case) or unreadable: libpq silently goes on without it.
      return undefined;
    }
    const password = findPgpassPassword(text, profile);
    if (password !== undefined) log.addSecret(password);
    return password;
  };
}
