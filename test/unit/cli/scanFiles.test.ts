/**
 * What `pg-insight scan` reads from a tree where some parts fail, on a fake
 * file system that fails exactly where the test says (a real one cannot be
 * made unreadable when the tests run as root). The CLI itself is run over a
 * real tree in test/db/cli-scan.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MAX_FILE_BYTES, MissingPathError, readScanFiles, type ScanFs } from '../../../src/cli/scanFiles';

type Node = string | { readonly dir: Readonly<Record<string, Node>> } | { readonly fifo: true } | { readonly fails: string; readonly on: 'stat' | 'readdir' | 'read'; readonly dir?: Readonly<Record<string, Node>> };

const ROOT = '/repo';

function errno(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: failed, ${path}`), { code });
}

/** A file system holding `tree` under /repo. */
function fakeFs(tree: Readonly<Record<string, Node>>): ScanFs {
  const find = (path: string): Node | undefined => {
    if (!path.startsWith(ROOT)) return undefined;
    let node: Node = { dir: tree };
    for (const part of path.slice(ROOT.length).split('/').filter(Boolean)) {
      const children: Readonly<Record<string, Node>> | undefined = typeof node === 'object' && 'dir' in node ? node.dir : undefined;
      const next: Node | undefined = children?.[part];
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  };
  const kind = (node: Node) => ({
    isFile: () => typeof node === 'string' || ('fails' in node && node.dir === undefined),
    isDirectory: () => typeof node === 'object' && 'dir' in node && node.dir !== undefined,
  });
  return {
    async stat(path) {
      await Promise.resolve();
      const node = find(path);
      if (node === undefined) throw errno('ENOENT', path);
      if (typeof node === 'object' && 'fails' in node && node.on === 'stat') throw errno(node.fails, path);
      return { ...kind(node), size: typeof node === 'string' ? node.length : 10 };
    },
    async readdir(path) {
      await Promise.resolve();
      const node = find(path);
      if (node === undefined || typeof node !== 'object' || !('dir' in node) || node.dir === undefined) throw errno('ENOTDIR', path);
      if ('fails' in node && node.on === 'readdir') throw errno(node.fails, path);
      return Object.entries(node.dir).map(([name, child]) => ({ name, ...kind(child) }));
    },
    async readFile(path) {
      await Promise.resolve();
      const node = find(path);
      if (node === undefined) throw errno('ENOENT', path);
      if (typeof node === 'object' && 'fails' in node) throw errno(node.fails, path);
      if (typeof node !== 'string') throw errno('EISDIR', path);
      return node;
    },
  };
}

const TREE: Record<string, Node> = {
  'app.ts': 'const q = "SELECT 1";\n',
  'blob.ts': 'abc\u0000def',
  'big.sql': `-- ${'x'.repeat(MAX_FILE_BYTES)}\n`,
  'secret.sql': { fails: 'EACCES', on: 'read' },
  'locked': { fails: 'EACCES', on: 'readdir', dir: { 'hidden.ts': 'x' } },
  'gone.py': { fails: 'ENOENT', on: 'stat' },
  'pipe.sql': { fifo: true },
  'notes.txt': 'not analysed',
  'src': { dir: { 'orders.py': 'rows = cur.fetchall()\n', 'node_modules': { dir: { 'dep.js': 'x' } } } },
};

describe('scan: reading the files', () => {
  it('skips what cannot be read, what is too large and what is binary, and reads the rest', async () => {
    const r = await readScanFiles(['.'], ROOT, fakeFs(TREE));
    assert.deepEqual(r.files.map((f) => f.path), ['app.ts', 'src/orders.py']);
    assert.deepEqual(r.skipped.map((s) => [s.path, s.reason, s.message]), [
      ['locked', 'unreadable', 'folder cannot be read (permission denied)'],
      ['big.sql', 'too-large', 'larger than 512 KB'],
      ['blob.ts', 'binary', 'binary (holds NUL bytes)'],
      ['gone.py', 'unreadable', 'cannot be read (it no longer exists)'],
      ['secret.sql', 'unreadable', 'cannot be read (permission denied)'],
    ]);
  });

  it('reports a path given on the command line that cannot be read or is not a file, and refuses one that does not exist', async () => {
    const fs = fakeFs(TREE);
    const r = await readScanFiles(['app.ts', 'secret.sql', 'pipe.sql', join(ROOT, 'locked')], ROOT, fs);
    assert.deepEqual(r.files.map((f) => f.path), ['app.ts']);
    assert.deepEqual(r.skipped.map((s) => [s.path, s.reason]), [['pipe.sql', 'not-a-file'], ['locked', 'unreadable'], ['secret.sql', 'unreadable']]);
    await assert.rejects(readScanFiles(['app.ts', 'srcc'], ROOT, fs), (e: unknown) => e instanceof MissingPathError && e.message === 'No such file or folder: srcc');
  });
});
