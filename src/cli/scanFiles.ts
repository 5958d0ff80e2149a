/**
 * The files `pg-insight scan` reads: the given files, and under the given
 * folders every file the analysis understands, without dependency, build
 * and VCS folders. Paths come back relative to the current folder with `/`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { isAnalyzable, looksBinary } from '../diagnostics/engine';
import { isPrismaSchema } from '../diagnostics/offlineSchema';

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', 'vendor', '.vscode-test']);
export const MAX_FILE_BYTES = 512 * 1024;

export interface ScannedFile {
  readonly path: string;
  readonly text: string;
}

async function collect(abs: string, out: string[]): Promise<void> {
  const info = await stat(abs);
  if (info.isFile()) {
    out.push(abs);
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(abs, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.isDirectory() && SKIPPED_DIRS.has(e.name)) continue;
    const child = join(abs, e.name);
    if (e.isDirectory()) await collect(child, out);
    else if (e.isFile() && (isAnalyzable(e.name) || isPrismaSchema(e.name))) out.push(child);
  }
}

export async function readScanFiles(paths: readonly string[], cwd: string): Promise<{ files: ScannedFile[]; skipped: string[] }> {
  const found: string[] = [];
  for (const p of paths) await collect(resolve(cwd, p), found);
  const files: ScannedFile[] = [];
  const skipped: string[] = [];
  for (const abs of [...new Set(found)]) {
    const path = relative(cwd, abs).split(sep).join('/');
    if ((await stat(abs)).size > MAX_FILE_BYTES) {
      skipped.push(path);
      continue;
    }
    const text = await readFile(abs, 'utf8');
    if (looksBinary(text)) continue;
    files.push({ path, text });
  }
  return { files, skipped };
}
