/**
 * The files `pg-insight scan` reads: the given files, and under the given
 * folders every file the analysis understands, without dependency, build
 * and VCS folders. Paths come back relative to the current folder with `/`.
 *
 * One file or folder that cannot be read (permissions, removed while the
 * scan runs), one too large or one holding NUL bytes (binary) does not stop
 * the scan: it is skipped, and the skip is reported with the findings so a
 * CI log says what was not looked at. Only a path given on the command line
 * that does not exist is an error: that is a typo, and a scan of nothing
 * must not pass for a clean one.
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
  /**
   * The path inside the folder given on the command line that holds it (the
   * repository as its own tests and scripts see it): what a file is for is
   * read from this, not from where the scan was started.
   */
  readonly projectPath: string;
}

export type SkipReason = 'unreadable' | 'too-large' | 'binary' | 'not-a-file';

export interface SkippedPath {
  readonly path: string;
  readonly reason: SkipReason;
  /** A sentence for the report, e.g. "cannot be read (permission denied)". */
  readonly message: string;
}

export interface ScanFiles {
  readonly files: readonly ScannedFile[];
  /** In the order met. */
  readonly skipped: readonly SkippedPath[];
}

/** A path given on the command line that does not exist. */
export class MissingPathError extends Error {}

interface EntryKind {
  isFile(): boolean;
  isDirectory(): boolean;
}

/** The file system calls of the scan; tests pass one that fails where they choose. */
export interface ScanFs {
  stat(path: string): Promise<EntryKind & { readonly size: number }>;
  readdir(path: string): Promise<readonly (EntryKind & { readonly name: string })[]>;
  readFile(path: string): Promise<string>;
}

export const NODE_SCAN_FS: ScanFs = {
  stat: (path) => stat(path),
  readdir: (path) => readdir(path, { withFileTypes: true }),
  readFile: (path) => readFile(path, 'utf8'),
};

/** Why a file system call failed, in a few words. */
function why(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it no longer exists';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EIO':
      return 'input/output error';
    default:
      return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  }
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

class Walk {
  readonly found: string[] = [];
  /** Each found file's folder from the command line (a file given itself: none). */
  readonly rootOf = new Map<string, string>();
  readonly skipped: SkippedPath[] = [];

  constructor(
    private readonly fs: ScanFs,
    private readonly cwd: string,
  ) {}

  display(abs: string): string {
    return relative(this.cwd, abs).split(sep).join('/') || '.';
  }

  skip(abs: string, reason: SkipReason, message: string): void {
    this.skipped.push({ path: this.display(abs), reason, message });
  }

  /** A path from the command line: a file is taken whatever its extension, a folder is walked. */
  async root(abs: string): Promise<void> {
    let info: EntryKind;
    try {
      info = await this.fs.stat(abs);
    } catch (e) {
      if (hasCode(e, 'ENOENT')) throw new MissingPathError(`No such file or folder: ${this.display(abs)}`);
      this.skip(abs, 'unreadable', `cannot be read (${why(e)})`);
      return;
    }
    if (info.isFile()) this.found.push(abs);
    else if (info.isDirectory()) await this.folder(abs, abs);
    else this.skip(abs, 'not-a-file', 'not a regular file or folder');
  }

  private async folder(abs: string, root: string): Promise<void> {
    let entries: (EntryKind & { readonly name: string })[];
    try {
      entries = [...(await this.fs.readdir(abs))];
    } catch (e) {
      this.skip(abs, 'unreadable', `folder cannot be read (${why(e)})`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.isDirectory() && SKIPPED_DIRS.has(e.name)) continue;
      const child = join(abs, e.name);
      if (e.isDirectory()) await this.folder(child, root);
      else if (e.isFile() && (isAnalyzable(e.name) || isPrismaSchema(e.name))) {
        this.found.push(child);
        if (!this.rootOf.has(child)) this.rootOf.set(child, root);
      }
    }
  }
}

export async function readScanFiles(paths: readonly string[], cwd: string, fs: ScanFs = NODE_SCAN_FS): Promise<ScanFiles> {
  const walk = new Walk(fs, cwd);
  for (const p of paths) await walk.root(resolve(cwd, p));
  const files: ScannedFile[] = [];
  for (const abs of [...new Set(walk.found)]) {
    let text: string;
    try {
      if ((await fs.stat(abs)).size > MAX_FILE_BYTES) {
        walk.skip(abs, 'too-large', `larger than ${MAX_FILE_BYTES / 1024} KB`);
        continue;
      }
      text = await fs.readFile(abs);
    } catch (e) {
      walk.skip(abs, 'unreadable', `cannot be read (${why(e)})`);
      continue;
    }
    if (looksBinary(text)) {
      walk.skip(abs, 'binary', 'binary (holds NUL bytes)');
      continue;
    }
    const root = walk.rootOf.get(abs);
    const projectPath = root === undefined ? walk.display(abs) : relative(root, abs).split(sep).join('/');
    files.push({ path: walk.display(abs), text, projectPath });
  }
  return { files, skipped: walk.skipped };
}
