/**
 * A `.env` parser following the common dotenv conventions, so that the
 * values match what the application itself would see:
 *
 * - `KEY=value`, optionally prefixed by `export `; blank lines and `#` comments;
 * - unquoted values are trimmed and end at ` #` (an inline comment);
 * - 'single quotes' and `backticks` are literal;
 * - "double quotes" understand `\n`, `\r`, `\t`, `\"`, `\\`, `\$` and may span lines;
 * - `${VAR}`, `${VAR:-default}` and `$VAR` in unquoted and double-quoted values
 *   expand from the variables defined earlier in the same file (as a shell
 *   sourcing the file would). Unknown variables expand to nothing.
 *
 * Malformed lines are skipped and reported, never thrown: a broken line in a
 * developer's `.env` must not hide the rest of the file.
 */

export interface DotenvResult {
  readonly values: Readonly<Record<string, string>>;
  /** 1-based line numbers and reasons for lines that were skipped. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function expand(value: string, vars: Record<string, string>): string {
  // `\$` was turned into a placeholder by the caller so it survives expansion.
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const found = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    if (found !== undefined && found !== '') return found;
    return fallback ?? '';
  });
}

const DOLLAR = '\u0000';

function unescapeDouble(body: string): string {
  return body.replace(/\\(.)/gs, (_m, ch: string) => {
    switch (ch) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '$': return DOLLAR;
      case '"': return '"';
      case '\\': return '\\';
      default: return `\\${ch}`;
    }
  });
}

/** Finds the closing quote at or after `from`, skipping backslash escapes for double quotes. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote === '"' && ch === '\\') {
      i++;
      continue;
    }
    if (ch === quote) return i;
  }
  return -1;
}

export function parseDotenv(text: string): DotenvResult {
  const values: Record<string, string> = {};
  const problems: { line: number; message: string }[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    // Only leading blanks go: trailing ones may belong to a quoted value that continues below.
    let line = (lines[i] ?? '').trimStart();
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice('export '.length).trimStart();
    const eq = line.indexOf('=');
    if (eq < 0) {
      problems.push({ line: lineNo, message: 'expected KEY=value' });
      continue;
    }
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) {
      // A line such as `postgres://u:pa=ss@h` has a piece of a password before its '=': quote plain words only.
      problems.push({ line: lineNo, message: /^[\w .-]*$/.test(key) ? `invalid variable name "${key}"` : 'invalid variable name' });
      continue;
    }
    let rest = line.slice(eq + 1).trimStart();
    const quote = rest.charAt(0);
    if (quote === '"' || quote === "'" || quote === '`') {
      // A quoted value may continue on the following lines until its closing quote.
      let body = rest.slice(1);
      let close = closingQuote(body, 0, quote);
      let j = i;
      while (close < 0 && j + 1 < lines.length) {
        j++;
        body += `\n${lines[j] ?? ''}`;
        close = closingQuote(body, 0, quote);
      }
      if (close < 0) {
        problems.push({ line: lineNo, message: `missing closing ${quote}` });
        continue;
      }
      i = j;
      const after = body.slice(close + 1).trim();
      if (after !== '' && !after.startsWith('#')) problems.push({ line: lineNo, message: 'text after the closing quote is ignored' });
      body = body.slice(0, close);
      values[key] = quote === '"' ? expand(unescapeDouble(body), values).split(DOLLAR).join('$') : body;
      continue;
    }
    const comment = rest.search(/\s#/);
    if (comment >= 0) rest = rest.slice(0, comment);
    rest = rest.trim().replace(/\\\$/g, DOLLAR);
    values[key] = expand(rest, values).split(DOLLAR).join('$');
  }
  return { values, problems };
}
