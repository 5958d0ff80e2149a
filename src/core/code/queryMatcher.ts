/**
 * Interprets the query API table (`queryApis.ts`) against one call chain:
 * which entry matches, which link is the database call, where the SQL
 * argument is, and whether the call fetches many keys at once.
 */
import type { Chain, ChainLink, LanguageAdapter, SyntaxNode } from './languages/adapter';
import { field, isType, typeOf } from './languages/common';
import { apisFor, type QueryApi } from './queryApis';
import { looksLikeSql } from './sqlExtraction';

export interface QueryMatch {
  readonly api: QueryApi;
  /** Index of the link that is the database call (the method or the evaluating terminal). */
  readonly link: number;
  /** The expression holding the SQL, when the entry carries SQL. */
  readonly sqlNode: SyntaxNode | null;
  readonly effect: 'query' | 'fetch' | 'lazy';
  readonly label: string;
  /** The class receiving the call, for entries that need it to be a model (`requiresModel`). */
  readonly modelClass?: string;
}

export interface MatchContext {
  readonly adapter: LanguageAdapter;
  /** Module a local name was imported from, to tell postgres.js's `sql` from a fragment builder's. */
  readonly importedFrom: (name: string) => string | undefined;
  /** Declared type of a name in this file (`users: Repository<User>` → `Repository`). */
  readonly typeOf: (name: string) => string | undefined;
  /** The model class of a name that holds one record of a model query (`user` of `for (const user of await User.findAll())`). */
  readonly recordOf?: (name: string, offset: number) => string | undefined;
}

/** The module whose `sql` tag runs a query by itself; a tag imported from any other package only builds a fragment. */
const RUNNING_TAG_MODULES = /^(postgres|@vercel\/postgres|@neondatabase\/serverless|bun)$/;
/** PascalCase, not ALL_CAPS: `User`, `LineItem`, `DB` excluded. */
const CLASS_NAME = /^[A-Z](?=[\w]*[a-z])\w*$/;
const GO_CONTEXT_ARG = /^(ctx|c|context\.\w+\(\)|r\.Context\(\)|\w*[cC]tx|req\.Context\(\))$/;

interface Table {
  readonly apis: readonly QueryApi[];
  /** Indices of the `method` entries naming each method. */
  readonly byMethod: ReadonlyMap<string, readonly number[]>;
}

const cache = new Map<string, Table>();
function tableFor(adapter: LanguageAdapter): Table {
  let table = cache.get(adapter.language);
  if (!table) {
    const apis = apisFor(adapter.language);
    const byMethod = new Map<string, number[]>();
    apis.forEach((api, i) => {
      if (api.pattern.type !== 'method') return;
      for (const m of api.pattern.methods) byMethod.set(m, [...(byMethod.get(m) ?? []), i]);
    });
    table = { apis, byMethod };
    cache.set(adapter.language, table);
  }
  return table;
}

/** The first table entry matching `chain`, or null. `head` is the outermost call of the chain. */
export function matchQuery(chain: Chain, head: SyntaxNode, ctx: MatchContext): QueryMatch | null {
  const { apis, byMethod } = tableFor(ctx.adapter);
  // A `method` entry can only match a chain that calls one of its methods: most chains call none.
  const called = new Uint8Array(apis.length);
  for (const l of chain.links) {
    if (l.args === null) continue;
    for (const i of byMethod.get(l.name) ?? []) called[i] = 1;
  }
  for (let i = 0; i < apis.length; i++) {
    const api = apis[i];
    if (!api || (api.pattern.type === 'method' && !called[i])) continue;
    const m = matchOne(api, chain, head, ctx);
    if (m) return m;
  }
  return null;
}

function matchOne(api: QueryApi, chain: Chain, head: SyntaxNode, ctx: MatchContext): QueryMatch | null {
  const p = api.pattern;
  const { links } = chain;
  if (p.type === 'method') {
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      if (!link?.args || !p.methods.includes(link.name)) continue;
      let r = i - 1;
      if (p.modelHop) {
        if (i < 1 || links[i - 1]?.args !== null) continue;
        r = i - 2;
        if (r < 0 && !chain.base) continue;
      }
      const receiver = r >= 0 ? links[r]?.name ?? '' : chain.base;
      const receiverNode = r >= 0 ? links[r] : undefined;
      let recordModel: string | undefined;
      if (p.record) {
        // `user.save()` directly on the record variable.
        if (i !== 0 || chain.baseKind !== 'identifier') continue;
        recordModel = ctx.recordOf?.(chain.base, head.startIndex);
        if (recordModel === undefined) continue;
      }
      if (p.after && !links.slice(0, i).some((l) => p.after?.includes(l.name) && l.args !== null)) continue;
      if (p.constantReceiver) {
        // A model class is PascalCase; an ALL_CAPS name is a constant (`RULES.find(…)` searches an array).
        const isClass = CLASS_NAME.test(receiver) && (r >= 0 ? receiverNode?.args === null : chain.baseKind === 'constant');
        if (!isClass || p.constantReceiver.except.test(receiver)) continue;
      }
      if (api.unlessFirstArg && link.args[0] && api.unlessFirstArg.test(link.args[0].text)) continue;
      if (api.onlyIfArgs && !onlyIfArgs(api, link)) continue;
      const sqlNode = sqlArgument(api, link, ctx);
      // A raw-SQL API is called with its SQL: `brotliWriterPool.Get()` (a sync.Pool) is no sqlx `Get`.
      if (api.kind === 'raw-sql' && api.sql && !sqlNode) continue;
      if (p.taggedSql && !isSqlFragment(sqlNode, ctx.adapter)) continue;
      // The declared type is only consulted when the name alone does not match.
      if (p.receiver && !p.receiver.test(receiver) && !declaredTypeMatches(p.receiver, receiver, ctx)) {
        const evidence = p.sqlEvidence && sqlNode && literalLooksLikeSql(sqlNode, ctx.adapter);
        if (!evidence) continue;
      }
      if (api.fragmentAsArgument && isArgumentOrFragment(head, ctx.adapter)) return null;
      const m = done(api, chain, i, sqlNode);
      return api.requiresModel ? { ...m, modelClass: recordModel ?? receiver } : m;
    }
    return null;
  }
  if (p.type === 'tag') {
    const first = links[0];
    if (!first?.template || chain.base !== '' || !p.tag.test(first.name)) return null;
    if (isArgumentOrFragment(head, ctx.adapter)) return null;
    // Provenance: a tag imported from a package other than postgres.js (slonik, forks of it, drizzle,
    // kysely, sql-template-tag…) builds a fragment. Imported from a file of the workspace, or made
    // here (`const sql = postgres(url)`), it is taken for the client.
    const from = ctx.importedFrom(first.name);
    if (from && !from.startsWith('.') && !from.startsWith('/') && !from.startsWith('@/') && !from.startsWith('~') && !RUNNING_TAG_MODULES.test(from)) return null;
    return done(api, chain, 0, first.template);
  }
  // A builder chain.
  const firstCall = links.findIndex((l) => l.args !== null);
  if (firstCall < 0) return null;
  let rootName: string;
  if (chain.base === '') {
    rootName = links[0]?.name ?? '';
    if (p.rootCall) {
      const arg = links[0]?.args?.[0];
      if (!arg || !ctx.adapter.literal(arg)) return null;
    }
  } else if (p.rootCall && chain.baseKind === 'self' && firstCall === 0) {
    // `this.knex('users')`: the client held in a field, called directly.
    rootName = links[0]?.name ?? '';
    const arg = links[0]?.args?.[0];
    if (!arg || !ctx.adapter.literal(arg)) return null;
  } else {
    if (p.rootCall) return null;
    rootName = firstCall > 0 ? links[firstCall - 1]?.name ?? '' : chain.base;
  }
  if (!p.root.test(rootName) && !p.root.test(chain.base) && !(p.rootType && (declaredTypeMatches(p.rootType, rootName, ctx) || declaredTypeMatches(p.rootType, chain.base, ctx)))) return null;
  if (p.constantRoot && (chain.baseKind !== 'constant' || !CLASS_NAME.test(chain.base.split('::').pop() ?? '') || p.constantRoot.except.test(chain.base))) return null;
  let start = 0;
  if (p.via) {
    const v = links.findIndex((l) => l.args === null && p.via?.test(l.name));
    if (v < 0) return null;
    start = v + 1;
  }
  if (p.contains && !links.some((l) => l.args !== null && p.contains?.includes(l.name))) return null;
  if (p.onlyLinks) {
    const rest = links.slice(start);
    if (rest.length === 0 && !p.via) return null;
    if (!rest.every((l) => p.onlyLinks?.has(l.name))) return null;
    return done(api, chain, links.length - 1, null);
  }
  let at = links.length - 1;
  if (p.terminals) {
    at = links.findIndex((l, i) => i >= start && l.args !== null && p.terminals?.includes(l.name));
    if (at < 0) return null;
  }
  if (api.requiresModelUnless && !api.requiresModelUnless.has(links[0]?.name ?? '')) {
    return { ...done(api, chain, at, null), modelClass: chain.base.split('::').pop() ?? chain.base };
  }
  const sqlLink = api.id === 'gorm.raw' ? links.find((l) => l.name === 'Raw') : api.id === 'kysely.raw' ? links[0] : undefined;
  const sqlNode = sqlLink ? sqlLink.template ?? sqlLink.args?.[0] ?? null : null;
  return done(api, chain, at, sqlNode);
}

function onlyIfArgs(api: QueryApi, link: ChainLink): boolean {
  return api.onlyIfArgs?.test((link.args ?? []).map((a) => a.text).join(', ')) ?? true;
}

function declaredTypeMatches(pattern: RegExp, receiver: string, ctx: MatchContext): boolean {
  const declared = ctx.typeOf(receiver);
  return declared !== undefined && pattern.test(declared);
}

function done(api: QueryApi, chain: Chain, link: number, sqlNode: SyntaxNode | null): QueryMatch {
  return { api, link, sqlNode, effect: api.effect ?? 'query', label: labelOf(chain, link) };
}

function sqlArgument(api: QueryApi, link: ChainLink, ctx: MatchContext): SyntaxNode | null {
  if (link.template) return link.template;
  if (!api.sql || !link.args) return null;
  let index = api.sql.arg;
  if (api.sql.skipContext && GO_CONTEXT_ARG.test(link.args[0]?.text ?? '') && ctx.adapter.language === 'go') index++;
  return link.args[index] ?? null;
}

/** slonik-style SQL: a tagged template or a call of a `sql…` helper. */
function isSqlFragment(node: SyntaxNode | null, adapter: LanguageAdapter): boolean {
  // A variable named `sql` holding a string is not a fragment: only a call or a tagged template is.
  if (!node || !adapter.callTypes.has(typeOf(node))) return false;
  if (isType(field(node, 'arguments'), 'template_string')) return true;
  return /^sql\b/.test(node.text);
}

function literalLooksLikeSql(node: SyntaxNode, adapter: LanguageAdapter): boolean {
  const target = adapter.literalTarget ? adapter.literalTarget(node) : node;
  const parts = target ? adapter.literal(target) : null;
  if (!parts) return false;
  return looksLikeSql(parts.map((p) => (p.kind === 'text' ? p.text : '$1')).join(''));
}

/** A tagged template passed to another call or nested in another template only builds a fragment. */
function isArgumentOrFragment(head: SyntaxNode, adapter: LanguageAdapter): boolean {
  let n = head;
  for (let p = n.parent; p; p = p.parent) {
    if (isType(p, 'parenthesized_expression') || isType(p, 'await_expression')) {
      n = p;
      continue;
    }
    if (isType(p, 'arguments') || isType(p, 'template_substitution')) return true;
    if (isType(p, 'variable_declarator') && adapter.language !== 'python') {
      // `const fragment = sql\`…\`` without await: built here, run later by something else.
      return !isType(n, 'await_expression');
    }
    return false;
  }
  return false;
}

/** `prisma.post.findMany(…)`, `User.objects.filter(…).first()`: short source form for messages. */
export function labelOf(chain: Chain, upTo: number): string {
  const parts: string[] = [];
  if (chain.base) parts.push(chain.base.length > 24 ? '…' : chain.base);
  for (const l of chain.links.slice(0, upTo + 1)) {
    if (l.template) parts.push(`${l.name}\`…\``);
    else if (l.args === null) parts.push(l.name);
    else parts.push(`${l.name}(${l.args.length > 0 ? '…' : ''})`);
  }
  const label = parts.join('.').replace(/\.\[\]/g, '[…]');
  return label.length > 70 ? `…${label.slice(-69)}` : label;
}

/**
 * Texts the batch markers are tested against: the chain's method names
 * (`whereIn(`), each call's argument list (`'id', 'in', ids`) and each
 * argument on its own (an array literal `[…]` passed first).
 */
export function argumentTexts(chain: Chain): string[] {
  const cap = (t: string) => (t.length > 2000 ? t.slice(0, 2000) : t);
  const out = [chain.links.map((l) => (l.args ? `${l.name}(` : l.name)).join(' ')];
  for (const l of chain.links) {
    if (!l.args || l.args.length === 0) continue;
    // Each `text` read crosses into WebAssembly: read every argument once.
    const texts = l.args.map((a) => a.text);
    out.push(cap(texts.join(', ')));
    for (const t of texts) out.push(cap(t));
  }
  return out;
}

/** Whether a matched call fetches many keys at once. */
export function isBatch(match: QueryMatch, chain: Chain, sqlText: string | undefined): boolean {
  const b = match.api.batch;
  if (!b) return false;
  if (b.always) return true;
  const name = chain.links[match.link]?.name ?? '';
  if (b.methods?.includes(name)) return true;
  const texts = [...(sqlText !== undefined ? [sqlText] : []), ...argumentTexts(chain)];
  return (b.markers ?? []).some((re) => texts.some((t) => re.test(t)));
}
