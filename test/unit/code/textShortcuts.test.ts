/**
 * Shortcuts that read the source text instead of the syntax tree: callee
 * chains spelled as dotted names, arguments that are plainly no comment and
 * no function, and whole-file word tests. Each must answer as the tree does.
 */
import assert from 'node:assert/strict';
import type { Tree } from '@vscode/tree-sitter-wasm';
import { CodeParser } from '../../../src/core/code/grammar';
import type { Chain, SyntaxNode } from '../../../src/core/code/languages/adapter';
import { argumentNodes, isPlainArgument, registerSource, sourceMentions, typeOf } from '../../../src/core/code/languages/common';
import { dottedChain, treeChain } from '../../../src/core/code/languages/ecmascript';
import { nodeGrammarSource, summarizeSnippet, textAt } from './support';

const parser = new CodeParser(nodeGrammarSource);

async function parseTs(text: string): Promise<Tree> {
  const tree = await parser.parse('typescript', text);
  registerSource(tree, text);
  return tree;
}

function calls(tree: Tree): SyntaxNode[] {
  return tree.rootNode.descendantsOfType('call_expression').filter((n): n is SyntaxNode => n !== null);
}

/** A chain as plain data: names, node ids and argument ids, comparable with deepEqual. */
function shape(c: Chain | null): unknown {
  if (!c) return null;
  return {
    base: c.base,
    baseKind: c.baseKind,
    links: c.links.map((l) => ({ name: l.name, node: l.node.id, args: l.args?.map((a) => a.id) ?? null, template: l.template?.id })),
  };
}

describe('text shortcuts for the syntax tree', () => {
  it('reads dotted callees from the text, giving the chain the tree gives', async () => {
    const text = [
      'load(id);',
      'pool.query("SELECT 1", [id]);',
      'this.repo.findOneBy({ id });',
      'prisma.user.findUnique({ where: { id } });',
      'a . b\n  .c(1, 2);',
      'Model.objects.filter(x => x.id).all();',
      'knex("accounts").where({ id }).first();',
      'Promise.all(ids.map((i) => get(i)));',
      'a.b.c.d.e.f.g.h(1);',
    ].join('\n');
    const tree = await parseTs(text);
    let read = 0;
    for (const call of calls(tree)) {
      const dotted = dottedChain(call);
      if (dotted) read++;
      else continue;
      assert.deepEqual(shape(dotted), shape(treeChain(call)), call.text);
    }
    assert.ok(read >= 10, `only ${read} callees read from the text`);
    tree.delete();
  });

  it('leaves callees that are not a plain dotted name to the tree', async () => {
    const text = [
      'a.b(x)(y);', 'super.save();', 'import("m");', 'a?.b(1);', 'a /* c */ .b(1);', 'a.b<T>(1);', 'sql`SELECT 1`;', '(a.b)(1);',
      'a.b\\u0063(1);', 'undefined.x(1);', 'a!.b(1);',
    ].join('\n');
    const tree = await parseTs(text);
    const outer = calls(tree).filter((c) => c.parent?.type === 'expression_statement');
    assert.equal(outer.length, 11);
    for (const call of outer) assert.equal(dottedChain(call), null, call.text);
    tree.delete();
  });

  it('resolves the property accesses of a dotted chain only when asked, to the same nodes', async () => {
    const tree = await parseTs('this.repo.store.find(1);');
    const call = calls(tree)[0]!;
    const links = dottedChain(call)?.links ?? [];
    assert.deepEqual(links.map((l) => [l.name, l.node.text]), [['repo', 'this.repo'], ['store', 'this.repo.store'], ['find', 'this.repo.store.find(1)']]);
    tree.delete();
  });

  it('tells plain arguments from comments and functions by their first characters', async () => {
    const text = 'f(a, "s", 1, [x], {k: 1}, `t`, /* c */ b, (x) => x, y => y, function () {}, async () => 1, g(h), c.d, (e));';
    const tree = await parseTs(text);
    const call = calls(tree).find((c) => c.text.startsWith('f('))!;
    const list = call.childForFieldName('arguments');
    const plain = (list?.namedChildren ?? []).filter((n): n is SyntaxNode => n !== null && isPlainArgument(n)).map((n) => n.text);
    assert.deepEqual(plain, ['a', '"s"', '1', '[x]', '{k: 1}', '`t`', 'b']);
    assert.deepEqual(argumentNodes(list).map((n) => typeOf(n)), [
      'identifier', 'string', 'number', 'array', 'object', 'template_string', 'identifier', 'arrow_function', 'arrow_function', 'function_expression',
      'arrow_function', 'call_expression', 'member_expression', 'parenthesized_expression',
    ]);
    tree.delete();
  });

  it('reads declared function names and their export from the text, and asks the tree when a comment intervenes', async () => {
    const code = [
      'export function a() {}',
      'function b() {}',
      'export default async function c() {}',
      'export /* note */ function d() {}',
      'export // }',
      'function e() {}',
      'async function* f<T>() {}',
      'x.export',
      'function g() {}',
    ].join('\n');
    const s = await summarizeSnippet('typescript', code);
    // `e` gets the tree's answer: the grammar does not make it the declaration of an export statement.
    assert.deepEqual(s.functions.map((f) => [f.name, f.exported, textAt(code, f.nameSpan)]), [
      ['a', true, 'a'], ['b', false, 'b'], ['c', true, 'c'], ['d', true, 'd'], ['e', false, 'e'], ['f', false, 'f'], ['g', false, 'g'],
    ]);
  });

  it('reads the name of an exported declaration from the text', async () => {
    const code = [
      'export class C<T> {}', 'export abstract class D {}', 'export interface I {}', 'export type T = 1;', 'export enum E { A }',
      'export const x = 1, y = 2;', 'export { z as w };', 'export async function* gen() {}',
    ].join('\n');
    const s = await summarizeSnippet('typescript', code);
    assert.deepEqual(s.exports, [['C', 'C'], ['D', 'D'], ['I', 'I'], ['T', 'T'], ['E', 'E'], ['x', 'x'], ['y', 'y'], ['w', 'z'], ['gen', 'gen']]);
  });

  it('tests a word against the whole file once', async () => {
    const tree = await parseTs('const x = require("m");');
    assert.equal(sourceMentions(tree.rootNode, 'require'), true);
    assert.equal(sourceMentions(tree.rootNode, 'import'), false);
    tree.delete();
  });
});
