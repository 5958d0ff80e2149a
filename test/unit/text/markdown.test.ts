import assert from 'node:assert/strict';
import { escapeMarkdown, markdownCode, markdownCodeBlock } from '../../../src/core/text/markdown';

describe('text/markdown', () => {
  it('escapes link and image syntax so it stays text', () => {
    assert.equal(escapeMarkdown('[click](https://evil.example)'), '\\[click\\]\\(https://evil.example\\)');
    assert.equal(escapeMarkdown('![x](https://evil.example/p.png)'), '\\!\\[x\\]\\(https://evil.example/p.png\\)');
    assert.equal(escapeMarkdown('<https://evil.example>'), '&lt;https://evil.example&gt;');
  });

  it('escapes emphasis, code, tables, HTML and character references', () => {
    assert.equal(escapeMarkdown('a_b *c* `d` e|f ~~g~~'), 'a\\_b \\*c\\* \\`d\\` e\\|f \\~\\~g\\~\\~');
    assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert\\(1\\)&gt;');
    assert.equal(escapeMarkdown('&#x202E; &amp;'), '&amp;\\#x202E; &amp;amp;');
    assert.equal(escapeMarkdown('back\\slash'), 'back\\\\slash');
  });

  it('keeps everything on one line and escapes markers that only count at its start', () => {
    assert.equal(escapeMarkdown('a\n# b\r\nc'), 'a \\# b c');
    assert.equal(escapeMarkdown('- item'), '\\- item');
    assert.equal(escapeMarkdown('12. item'), '12\\. item');
    assert.equal(escapeMarkdown('3) item'), '3\\) item');
    assert.equal(escapeMarkdown('=== '), '\\=== ');
    assert.equal(escapeMarkdown('a - b 1. c'), 'a - b 1. c');
    assert.equal(escapeMarkdown('-5 and 1.5 kB and ==x'), '-5 and 1.5 kB and ==x');
  });

  it('writes code spans that no backtick inside can close', () => {
    assert.equal(markdownCode('users_pkey'), '`users_pkey`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('``x'), '``` ``x ```');
    assert.equal(markdownCode('x`'), '`` x` ``');
    assert.equal(markdownCode('two\nlines'), '`two lines`');
  });

  it('writes code blocks that no run of backticks inside can close', () => {
    assert.equal(markdownCodeBlock('SELECT 1;\n'), '```sql\nSELECT 1;\n```');
    assert.equal(markdownCodeBlock('SELECT 1 -- ```\n```\n[x](https://evil.example)'), '````sql\nSELECT 1 -- ```\n```\n[x](https://evil.example)\n````');
  });
});
