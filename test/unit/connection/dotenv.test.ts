import assert from 'node:assert/strict';
import { parseDotenv } from '../../../src/core/connection/dotenv';

function values(text: string): Readonly<Record<string, string>> {
  return parseDotenv(text).values;
}

describe('parseDotenv', () => {
  it('reads KEY=value lines, trimming unquoted values', () => {
    assert.deepEqual(values('A=1\nB = two words  \n  C=3'), { A: '1', B: 'two words', C: '3' });
  });

  it('skips blank lines and comments, and cuts inline comments after unquoted values', () => {
    assert.deepEqual(values('# a comment\n\nA=1 # note\nB=x#not-a-comment\n'), { A: '1', B: 'x#not-a-comment' });
  });

  it('accepts an "export " prefix', () => {
    assert.deepEqual(values('export DATABASE_URL=postgres://h/d'), { DATABASE_URL: 'postgres://h/d' });
  });

  it('keeps single-quoted and backtick values literally', () => {
    assert.deepEqual(values("A='x # y \\n ${B}'\nB=`q'\"`"), { A: 'x # y \\n ${B}', B: `q'"` });
  });

  it('understands escapes in double quotes, including escaped newlines', () => {
    assert.deepEqual(values('A="line1\\nline2\\t\\"q\\" \\\\ \\$HOME" # c'), { A: 'line1\nline2\t"q" \\ $HOME' });
  });

  it('reads double-quoted values that span several lines', () => {
    assert.deepEqual(values('KEY="-----BEGIN\nabc\n-----END"\nNEXT=1'), { KEY: '-----BEGIN\nabc\n-----END', NEXT: '1' });
  });

  it('expands ${VAR}, $VAR and ${VAR:-default} from earlier lines of the file', () => {
    const text = [
      'PGUSER=app',
      'HOST=db.local',
      'DATABASE_URL=postgres://${PGUSER}@${HOST}:${PORT:-5432}/$PGUSER',
      'QUOTED="${HOST}/x"',
      "LITERAL='${HOST}'",
      'LATER=${DEFINED_BELOW}',
      'DEFINED_BELOW=1',
    ].join('\n');
    assert.deepEqual(values(text), {
      PGUSER: 'app',
      HOST: 'db.local',
      DATABASE_URL: 'postgres://app@db.local:5432/app',
      QUOTED: 'db.local/x',
      LITERAL: '${HOST}',
      LATER: '',
      DEFINED_BELOW: '1',
    });
  });

  it('keeps an escaped dollar in unquoted values', () => {
    assert.deepEqual(values('A=1\nB=\\$A'), { A: '1', B: '$A' });
  });

  it('lets a later line override an earlier one', () => {
    assert.deepEqual(values('A=1\nA=2'), { A: '2' });
  });

  it('accepts Windows line endings', () => {
    assert.deepEqual(values('A=1\r\nB="x"\r\n'), { A: '1', B: 'x' });
  });

  it('reports malformed lines with their numbers and keeps the rest', () => {
    const r = parseDotenv('A=1\nnot a pair\n1BAD=x\nC="open\nD=2');
    assert.equal(r.values.A, '1');
    assert.deepEqual(r.problems.map((p) => p.line), [2, 3, 4]);
    assert.match(r.problems[2]!.message, /closing "/);
    // The unterminated quote does not swallow the following lines.
    assert.equal(r.values.D, '2');
  });
});
