/**
 * Which workspace files an import refers to. The edge may supply a smarter
 * resolver (tsconfig `paths`, Python source roots, Go module path); the one
 * here is pure and works from the list of known file paths alone:
 * relative ECMAScript specifiers with the usual extensions and index files,
 * `@/`/`~/` aliases by unique suffix, Python dotted and relative modules, and
 * Go packages by the longest matching directory suffix.
 */
import type { CodeLanguage } from './types';

export interface ImportResolver {
  /** Files `specifier` (as written in `fromPath`) refers to; a Go package may be several files. */
  resolve(fromPath: string, specifier: string, language: CodeLanguage): readonly string[];
}

const ES_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

export function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..' && parts[parts.length - 1] !== '') parts.pop();
      else parts.push(part);
    } else if (part !== '.' && !(part === '' && parts.length > 0)) parts.push(part);
  }
  return parts.join('/');
}

export function dirname(path: string): string {
  const p = path.replace(/\\/g, '/');
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function join(dir: string, rel: string): string {
  return normalisePath(dir ? `${dir}/${rel}` : rel);
}

export function createImportResolver(paths: Iterable<string>): ImportResolver {
  const known = new Set<string>();
  const byDir = new Map<string, string[]>();
  for (const raw of paths) {
    const p = normalisePath(raw);
    known.add(p);
    const d = dirname(p);
    const list = byDir.get(d) ?? [];
    list.push(p);
    byDir.set(d, list);
  }
  const sorted = [...known].sort((a, b) => a.length - b.length);

  const firstKnown = (candidates: string[]) => candidates.find((c) => known.has(c));

  const es = (from: string, spec: string): string[] => {
    let base: string;
    if (spec.startsWith('.')) base = join(dirname(from), spec);
    else if (/^(@|~|#)\//.test(spec)) {
      // Path aliases: the file whose path ends with the rest of the specifier, when only one does.
      const rest = spec.slice(2).replace(/\.(m|c)?js$/, '');
      const hits = sorted.filter((p) => ES_EXTENSIONS.some((e) => p.endsWith(`/${rest}${e}`) || p === `${rest}${e}` || p.endsWith(`/${rest}/index${e}`)));
      return hits.length === 1 ? hits : [];
    } else if (/^[@~][\w-]+\//.test(spec)) {
      // `@server/presenters` with tsconfig `"@server/*": ["./server/*"]`: the alias names a folder of
      // the project. Only a unique file under a folder of that name answers (a scoped npm package has none).
      const rest = spec.slice(1).replace(/\.(m|c)?js$/, '');
      const hits = sorted.filter((p) => ES_EXTENSIONS.some((e) => p === `${rest}${e}` || p.endsWith(`/${rest}${e}`) || p === `${rest}/index${e}` || p.endsWith(`/${rest}/index${e}`)));
      return hits.length === 1 ? hits : [];
    } else return [];
    const stem = base.replace(/\.(m|c)?js$/, '');
    const hit = firstKnown([base, ...ES_EXTENSIONS.map((e) => stem + e), ...ES_EXTENSIONS.map((e) => `${base}/index${e}`)]);
    return hit ? [hit] : [];
  };

  const python = (from: string, spec: string): string[] => {
    const dots = /^\.*/.exec(spec)?.[0].length ?? 0;
    const rest = spec.slice(dots).split('.').filter(Boolean).join('/');
    if (dots > 0) {
      let dir = dirname(from);
      for (let i = 1; i < dots; i++) dir = dirname(dir);
      const base = rest ? join(dir, rest) : dir;
      const hit = firstKnown([`${base}.py`, `${base}/__init__.py`]);
      return hit ? [hit] : [];
    }
    // Absolute: the shortest known path ending with the module's path (source roots vary).
    const hit = sorted.find((p) => p === `${rest}.py` || p.endsWith(`/${rest}.py`)) ?? sorted.find((p) => p === `${rest}/__init__.py` || p.endsWith(`/${rest}/__init__.py`));
    return hit ? [hit] : [];
  };

  const go = (spec: string): string[] => {
    const segments = spec.split('/');
    for (let n = segments.length; n >= 1; n--) {
      const suffix = segments.slice(-n).join('/');
      for (const [dir, files] of byDir) {
        if (dir === suffix || dir.endsWith(`/${suffix}`)) {
          const goFiles = files.filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
          if (goFiles.length > 0) return goFiles;
        }
      }
    }
    return [];
  };

  return {
    resolve(fromPath, specifier, language) {
      const from = normalisePath(fromPath);
      if (language === 'python') return python(from, specifier);
      if (language === 'go') return go(specifier);
      if (language === 'ruby') return [];
      return es(from, specifier);
    },
  };
}
