import assert from 'node:assert/strict';
import { CodeParser, WASM_NAMES, wasmFileName, type WasmName } from '../../../src/core/code/grammar';
import { nodeGrammarSource } from './support';

describe('code grammar loading', () => {
  it('names the wasm files as @vscode/tree-sitter-wasm ships them', () => {
    assert.equal(wasmFileName('tree-sitter'), 'tree-sitter.wasm');
    assert.equal(wasmFileName('tsx'), 'tree-sitter-tsx.wasm');
    assert.deepEqual([...WASM_NAMES].sort(), ['go', 'javascript', 'python', 'ruby', 'tree-sitter', 'tsx', 'typescript']);
  });

  it('loads each grammar once, lazily, and only the ones asked for', async () => {
    const asked: WasmName[] = [];
    const parser = new CodeParser(async (name) => {
      asked.push(name);
      return nodeGrammarSource(name);
    });
    assert.equal(asked.length, 0);
    const [a, b] = await Promise.all([parser.language('python'), parser.language('python')]);
    assert.equal(a, b);
    await parser.language('python');
    assert.equal(asked.filter((n) => n === 'python').length, 1);
    assert.ok(!asked.includes('ruby'));
    const tree = await parser.parse('python', 'for x in xs:\n    pass\n');
    assert.equal(tree.rootNode.type, 'module');
    tree.delete();
  });

  it('retries a grammar whose bytes could not be read', async () => {
    let fail = true;
    const parser = new CodeParser(async (name) => {
      if (name === 'go' && fail) throw new Error('not found');
      return nodeGrammarSource(name);
    });
    await assert.rejects(parser.language('go'), /not found/);
    fail = false;
    const tree = await parser.parse('go', 'package main\n');
    assert.equal(tree.rootNode.type, 'source_file');
    tree.delete();
  });

  it('parses every supported language', async () => {
    const parser = new CodeParser(nodeGrammarSource);
    const samples: [Parameters<CodeParser['parse']>[0], string, string][] = [
      ['typescript', 'const x: number = 1;', 'program'],
      ['tsx', 'const a = <div>{x}</div>;', 'program'],
      ['javascript', 'const a = <b />;', 'program'],
      ['python', 'x = 1\n', 'module'],
      ['go', 'package p\n', 'source_file'],
      ['ruby', 'x = 1\n', 'program'],
    ];
    for (const [language, text, root] of samples) {
      const tree = await parser.parse(language, text);
      assert.equal(tree.rootNode.type, root, language);
      assert.equal(tree.rootNode.hasError, false, `${language} parses ${text}`);
      tree.delete();
    }
  });
});
