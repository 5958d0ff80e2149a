// The file-listing part of ripgrep, for the offline VS Code server.
//
// VS Code's extension host lists workspace files with ripgrep (`rg --files`):
// `vscode.workspace.findFiles`, `workspaceContains:` activation events and
// Quick Open all depend on it. The npm package @vscode/ripgrep downloads its
// binary at install time, which these machines cannot do, so when no real `rg`
// is installed (Debian's `ripgrep`), scripts/lib/codeServer.mjs puts this
// script in its place. It implements what `rg --files` does for VS Code:
// walk the current folder, keep files matching the `-g` include globs, drop
// files and folders matching `-g '!…'` excludes, print relative paths one per
// line. It does not read .gitignore files (VS Code applies its own excludes
// afterwards) and refuses text search, which our tests and demo do not need.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A gitignore-style glob (as ripgrep's -g takes) to a regular expression over '/'-separated relative paths. */
export function globToRegExp(glob) {
  let g = glob;
  // A leading '/' anchors at the root; a glob without any '/' matches at any depth.
  const anchored = g.startsWith('/');
  if (anchored) g = g.slice(1);
  else if (!g.includes('/')) g = `**/${g}`;
  if (g.endsWith('/')) g = g.slice(0, -1);
  let re = '';
  let inClass = false;
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const ch = g[i];
    if (inClass) {
      re += ch === '\\' ? '\\\\' : ch;
      if (ch === ']') inClass = false;
    } else if (ch === '*' && g[i + 1] === '*') {
      const atStart = i === 0 || g[i - 1] === '/';
      const slashAfter = g[i + 2] === '/';
      if (atStart && slashAfter) { re += '(?:.*/)?'; i += 2; } else { re += '.*'; i += 1; }
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') { inClass = true; re += '['; if (g[i + 1] === '!') { re += '^'; i += 1; } }
    else if (ch === '{') { braces += 1; re += '(?:'; }
    else if (ch === '}' && braces > 0) { braces -= 1; re += ')'; }
    else if (ch === ',' && braces > 0) re += '|';
    else if (ch === '\\' && i + 1 < g.length) { i += 1; re += g[i].replace(/[.+^${}()|[\]\\*?]/g, '\\$&'); }
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function parseArgs(argv) {
  const o = { files: false, quiet: false, follow: false, includes: [], excludes: [], paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--files') o.files = true;
    else if (a === '--quiet' || a === '-q') o.quiet = true;
    else if (a === '--follow' || a === '-L') o.follow = true;
    else if (a === '-g' || a === '--glob' || a === '--iglob') {
      const glob = argv[++i] ?? '';
      if (glob.startsWith('!')) o.excludes.push(globToRegExp(glob.slice(1)));
      else o.includes.push(globToRegExp(glob));
    } else if (a.startsWith('--glob=')) {
      const glob = a.slice('--glob='.length);
      if (glob.startsWith('!')) o.excludes.push(globToRegExp(glob.slice(1)));
      else o.includes.push(globToRegExp(glob));
    } else if (a === '--threads' || a === '--max-filesize' || a === '--encoding' || a === '-E') i += 1;
    else if (a === '--') o.paths.push(...argv.slice(i + 1)), (i = argv.length);
    else if (!a.startsWith('-')) o.paths.push(a);
    // Every other flag VS Code passes (--hidden, --no-ignore, --no-config, ...) changes nothing here.
  }
  return o;
}

/** The files under `root` that `rg --files` with these options prints, relative, '/'-separated. */
export function listFiles(root, o) {
  const out = [];
  const seen = new Set();
  const walk = (dir, rel) => {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      const full = join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        if (!o.follow) continue;
        try {
          const s = statSync(full);
          // A followed link to a folder already walked would loop.
          const key = `${s.dev}:${s.ino}`;
          if (s.isDirectory() && seen.has(key)) continue;
          if (s.isDirectory()) seen.add(key);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch { continue; }
      }
      if (o.excludes.some((r) => r.test(path))) continue;
      if (isDir) walk(full, path);
      else if (isFile && (o.includes.length === 0 || o.includes.some((r) => r.test(path)))) out.push(path);
    }
  };
  walk(root, '');
  return out;
}

function main(argv) {
  const o = parseArgs(argv);
  if (argv.includes('--version')) {
    process.stdout.write('ripgrep 13.0.0 (file listing only, scripts/lib/rgFiles.mjs)\n');
    return 0;
  }
  if (!o.files) {
    process.stderr.write('This VS Code test host lists files only: text search needs ripgrep (apt-get install ripgrep).\n');
    return 2;
  }
  const roots = o.paths.length > 0 ? o.paths : ['.'];
  let count = 0;
  for (const root of roots) {
    for (const file of listFiles(root, o)) {
      count += 1;
      if (o.quiet) return 0;
      process.stdout.write(`${root === '.' ? '' : `${root.replace(/\/$/, '')}/`}${file}\n`);
    }
  }
  // Like ripgrep: exit 1 when nothing was found.
  return count > 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  process.exitCode = main(process.argv.slice(2));
}
