/**
 * A small glob matcher for path settings (`**\/migrations/**`,
 * `**\/seed*.{ts,js,py}`): `**` spans directories, `*` and `?` stay within
 * one, `{a,b}` is a choice. Paths and patterns use forward slashes.
 */

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${out}$`);
  cache.set(glob, re);
  return re;
}

/** True when `path` matches any of `globs`; relative globs also match below any directory. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  const p = path.replace(/\\/g, '/');
  return globs.some((g) => {
    const re = globToRegExp(g);
    return re.test(p) || re.test(p.replace(/^\/+/, '')) || (!g.startsWith('**/') && !g.startsWith('/') && globToRegExp(`**/${g}`).test(p));
  });
}
