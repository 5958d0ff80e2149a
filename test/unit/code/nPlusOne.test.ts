/**
 * The `n-plus-one` rule on small workspaces: what it reports (message,
 * range, related locations, batching hint) and where it stays quiet.
 * The labelled fixture set measures it at scale; these pin the details.
 */
import assert from 'node:assert/strict';
import type { CodeFinding } from '../../../src/core/code/findings';
import { createImportResolver } from '../../../src/core/code/importResolver';
import { checkNPlusOne } from '../../../src/core/code/rules/n-plus-one';
import { buildIndex, findNPlusOne, summarizeFiles, type SourceFile } from '../../../src/core/code/scan';
import { analyzer } from './support';

async function check(files: SourceFile[], options: Parameters<typeof findNPlusOne>[1] = {}): Promise<Map<string, CodeFinding[]>> {
  return findNPlusOne(await summarizeFiles(analyzer, files), options);
}

async function one(path: string, text: string): Promise<CodeFinding[]> {
  return (await check([{ path, text }])).get(path) ?? [];
}

describe('n-plus-one rule', () => {
  it('reports a query in a loop with the loop, the query and a batching hint', async () => {
    const text = "for (const id of ids) {\n  await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n}\n";
    const [f] = await one('a.ts', text);
    assert.ok(f);
    assert.equal(f.ruleId, 'n-plus-one');
    assert.equal(text.slice(f.start, f.end), "pool.query('SELECT * FROM users WHERE id = $1', [id])");
    assert.match(f.message, /`pool\.query\(…\)` runs once per iteration of the `for…of` loop over `ids` \(line 1\)/);
    assert.match(f.message, /= ANY\(\$1\)/);
    assert.deepEqual(f.related.map((r) => [r.message, text.slice(r.start, r.end)]), [
      ['the `for…of` loop over `ids`', 'for (const id of ids) '],
      ['node-postgres query', "pool.query('SELECT * FROM users WHERE id = $1', [id])"],
    ]);
    assert.equal(f.data?.library, 'node-postgres');
  });

  it('follows helpers across files, three calls deep, and points at each', async () => {
    const files: SourceFile[] = [
      { path: 'src/loop.ts', text: "import { a } from './a';\nexport async function run(ids: number[]) {\n  for (const id of ids) await a(id);\n}\n" },
      { path: 'src/a.ts', text: "import { b } from './lib/b';\nexport async function a(id: number) { return b(id); }\n" },
      { path: 'src/lib/b.ts', text: "import * as c from '../c';\nexport const b = async (id: number) => c.c(id);\n" },
      { path: 'src/c.ts', text: "export async function c(id: number) { return db.query('SELECT 1 WHERE $1 > 0', [id]); }\n" },
    ];
    const findings = await check(files);
    const [f] = findings.get('src/loop.ts') ?? [];
    assert.ok(f, 'finding at the call in the loop');
    assert.match(f.message, /`a` \(through `b` → `c`\) runs `db\.query\(…\)` \(src\/c\.ts\) once per iteration/);
    // The loop and the call in it, then each helper at its definition, then the query.
    assert.deepEqual(f.related.map((r) => r.path), ['src/loop.ts', 'src/loop.ts', 'src/a.ts', 'src/lib/b.ts', 'src/c.ts', 'src/c.ts']);
    assert.deepEqual(f.data?.helpers, ['a', 'b', 'c']);
    for (const p of ['src/a.ts', 'src/lib/b.ts', 'src/c.ts']) assert.deepEqual(findings.get(p), [], p);
  });

  it('takes a set of keys already seen for deduplication, not for a cache (each new key still queries)', async () => {
    // The shape of a real xorm loop: `seen[key] = true` before the query stores no result.
    const go = 'package p\nfunc f(s *xorm.Session, ps []*P) {\n\tseen := map[K]bool{}\n\tfor _, p := range ps {\n\t\tif seen[p.K] {\n\t\t\tcontinue\n\t\t}\n\t\tseen[p.K] = true\n\t\tok, _ := s.Where("task_id = ?", p.ID).Exist(&P{})\n\t\t_ = ok\n\t}\n}\n';
    assert.equal((await one('p.go', go)).length, 1);
    const py = 'def f(ids):\n    seen = set()\n    for i in ids:\n        if i in seen:\n            continue\n        seen.add(i)\n        cursor.execute("SELECT * FROM t WHERE id = %s", (i,))\n';
    assert.equal((await one('p.py', py)).length, 1);
    // A real cache: the result is stored under the key after the query; quiet.
    const cache = 'def f(ids):\n    cache = {}\n    for i in ids:\n        if i in cache:\n            continue\n        cursor.execute("SELECT * FROM t WHERE id = %s", (i,))\n        cache[i] = cursor.fetchone()\n';
    assert.deepEqual(await one('c.py', cache), []);
  });

  it('leaves alone loops over batches by step, random-value retries and repeats of the same work', async () => {
    // Shapes of real code: inserts sent per batch of 100 ids, a username drawn again until one is
    // free, an order number drawn until unused, a benchmark's b.N loop, a lockout test repeating a login.
    const go = [
      'package p',
      'func insertBuckets(s *xorm.Session, ids []int64) {',
      '\tfor start := 0; start < len(ids); start += batchSize {',
      '\t\tbatch := ids[start:min(start+batchSize, len(ids))]',
      '\t\ts.Exec(buildInsert(batch)...)',
      '\t}',
      '}',
      'func create(s *xorm.Session, u *User) {',
      '\tfor {',
      '\t\tif u.Username == "" {',
      '\t\t\tu.Username = petname.Generate(3, "-")',
      '\t\t}',
      '\t\tif _, err := s.Insert(u); err == nil {',
      '\t\t\tbreak',
      '\t\t}',
      '\t\tu.Username = ""',
      '\t}',
      '}',
      'func BenchmarkSearch(b *testing.B, s *xorm.Session) {',
      '\tfor i := 0; i < b.N; i++ {',
      '\t\ts.Where("title LIKE ?", "%a%").Find(&tasks)',
      '\t}',
      '}',
      '',
    ].join('\n');
    assert.deepEqual((await one('p.go', go)).map((f) => f.message.slice(0, 40)), []);
    const rb = 'class NumberGenerator\n  def generate\n    loop do\n      random = "R#{(0...9).map { possible.sample }.join}"\n      break random unless Spree::Order.exists?(number: random)\n    end\n  end\nend\n';
    assert.deepEqual(await one('n.rb', rb), []);
    // A bounded batch delete repeated until nothing is left, over an iteration budget it never reads.
    const ts = "for (const _ of batchIterations) {\n  const { rowCount } = await pool.query('DELETE FROM oidc WHERE id IN (SELECT id FROM oidc WHERE model = $1 LIMIT $2)', [model, size]);\n  if (!rowCount) return;\n}\n";
    assert.deepEqual(await one('revoke.ts', ts), []);
    // The counter read by the body is a per-item loop: still reported.
    const perItem = 'package p\nfunc f(s *xorm.Session, ids []int64) {\n\tfor i := 0; i < len(ids); i++ {\n\t\ts.Where("id = ?", ids[i]).Get(&t)\n\t}\n}\n';
    assert.equal((await one('q.go', perItem)).length, 1);
  });

  it('ends the loop at a break after the block holding the query, not at a switch case break', async () => {
    // A loop over scenarios that stops at the first that applies: the read runs at most once.
    const go = [
      'package p',
      'func readingTime(s *xorm.Session, e *Entry) {',
      '\tfor _, sc := range scenarios {',
      '\t\tif sc.applies(e) {',
      '\t\t\tif e.New {',
      '\t\t\t\te.Time = sc.fetch(e.URL)',
      '\t\t\t} else {',
      '\t\t\t\ts.Where("hash = ?", e.Hash).Get(&t)',
      '\t\t\t}',
      '\t\t\tbreak',
      '\t\t}',
      '\t}',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await one('rt.go', go), []);
    // `break` leaves the switch: the next item still queries.
    const ts = "for (const e of events) {\n  switch (e.kind) {\n    case 'user':\n      await pool.query('SELECT * FROM users WHERE id = $1', [e.id]);\n      break;\n  }\n}\n";
    assert.equal((await one('events.ts', ts)).length, 1);
  });

  it('takes a Go slice declared empty and filled through a pointer for data, not a constant list', async () => {
    // Labels copied one INSERT at a time after `s.Find(&labelTasks)` filled the empty slice.
    const go = 'package models\n\nimport "xorm.io/xorm"\n\nfunc dup(s *xorm.Session, id int64) error {\n\tlabelTasks := []*LabelTask{}\n\tif err := s.Where("task_id = ?", id).Find(&labelTasks); err != nil {\n\t\treturn err\n\t}\n\tfor _, lt := range labelTasks {\n\t\tif _, err := s.Insert(lt); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn nil\n}\n';
    const found = await one('pkg/models/task_duplicate.go', go);
    assert.deepEqual(found.map((f) => f.message.slice(0, 30)), ['N+1 query: `s.Insert(…)` runs ']);
  });

  it('follows a helper through a barrel that re-exports what it imported', async () => {
    // `import { presentCollection } from './presenters'`, where the index imports the default export
    // of './collection' and lists it in `export { … }`.
    const files = [
      { path: 'server/routes/collections.ts', text: "import { presentCollection } from '../presenters';\nexport async function list(collections: C[]) {\n  return Promise.all(collections.map((c) => presentCollection(c)));\n}\n" },
      { path: 'server/presenters/index.ts', text: "import presentCollection from './collection';\nimport presentUser from './user';\nexport { presentCollection, presentUser };\n" },
      { path: 'server/presenters/collection.ts', text: "import { pool } from '../db';\nexport default async function presentCollection(c: C) {\n  const { rows } = await pool.query('SELECT * FROM maintainers WHERE collection_id = $1', [c.id]);\n  return { ...c, maintainers: rows };\n}\n" },
      { path: 'server/presenters/user.ts', text: 'export default function presentUser(u: U) {\n  return u;\n}\n' },
      { path: 'server/db.ts', text: "import { Pool } from 'pg';\nexport const pool = new Pool();\n" },
    ];
    const found = (await check(files)).get('server/routes/collections.ts') ?? [];
    assert.deepEqual(found.map((f) => f.data?.helpers), [['presentCollection']]);
  });

  it('does not charge a loop with the queries of a handler its helper only builds and returns', async () => {
    // A router built per listen address: the middleware's query runs per request, later.
    const files = [
      { path: 'server/server.go', text: 'package server\nfunc Serve(store *storage.Storage, targets []T) {\n\tfor _, t := range targets {\n\t\tstart(t, middleware(store))\n\t}\n}\n' },
      { path: 'server/mw.go', text: 'package server\nfunc middleware(store *storage.Storage) func(http.Handler) http.Handler {\n\treturn func(next http.Handler) http.Handler {\n\t\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\t\tstore.db.QueryRow("SELECT id FROM users WHERE token = $1", r.FormValue("k"))\n\t\t})\n\t}\n}\n' },
    ];
    assert.deepEqual([...(await check(files)).values()].flat(), []);
    // A callback run now by the call it is passed to still counts.
    const now = [
      { path: 'a/run.ts', text: "import { load } from './load';\nexport async function all(ids: string[]) {\n  for (const id of ids) await load(id);\n}\n" },
      { path: 'a/load.ts', text: "import { pool } from './db';\nexport function load(id: string) {\n  return withRetry(async () => pool.query('SELECT * FROM t WHERE id = $1', [id]));\n}\n" },
      { path: 'a/db.ts', text: "import { Pool } from 'pg';\nexport const pool = new Pool();\n" },
    ];
    assert.equal((await check(now)).get('a/run.ts')?.length, 1);
  });

  it('does not guess a class from a receiver name that several classes end with', async () => {
    const files = [
      { path: 'link.ts', text: "export class RemoteLink {\n  async create(groups: Map<string, unknown[]>) {\n    for (const [name, links] of groups) {\n      const service = this.modules.get(name)!;\n      await service.create(links);\n    }\n  }\n}\n" },
      { path: 'category.ts', text: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport class ProductCategoryService {\n  async create(rows: unknown[]) {\n    return pool.query('SELECT count(*) FROM category');\n  }\n}\n" },
      { path: 'tag.ts', text: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport class ProductTagService {\n  async create(rows: unknown[]) {\n    return pool.query('SELECT count(*) FROM tag');\n  }\n}\n" },
    ];
    assert.deepEqual((await check(files)).get('link.ts') ?? [], []);
    // One class that the name ends with is still followed.
    const single = files.slice(0, 2);
    assert.equal((await check(single)).get('link.ts')?.length, 1);
  });

  it('reads what a model method reads on its record, once per record of the loop that calls it', async () => {
    // Real shapes: a record serialised to XML per record, reading its tags through a memoised reader;
    // a Django `to_dict` whose helper re-filters a prefetched reverse relation.
    const rails = [
      { path: 'app/models/node.rb', text: "class Node < ApplicationRecord\n  belongs_to :changeset\n  has_many :node_tags\n\n  def tags\n    @tags ||= node_tags.to_h { |t| [t.k, t.v] }\n  end\n\n  def to_xml_node(changeset_cache = {})\n    changeset_cache[changeset_id] ||= changeset.user_id\n    el = XML::Node.new('node')\n    tags.each { |k, v| el << tag(k, v) }\n    el\n  end\nend\n" },
      { path: 'app/controllers/map_controller.rb', text: "class MapController < ApplicationController\n  def index\n    nodes = Node.where(visible: true).limit(50_000)\n    nodes.each { |node| doc.root << node.to_xml_node(cache) }\n    Node.includes(:node_tags).where(id: ids).each { |node| doc.root << node.to_xml_node(cache) }\n  end\nend\n" },
    ];
    const found = (await check(rails)).get('app/controllers/map_controller.rb') ?? [];
    // The second loop eager-loads the tags; the changeset read is behind a cache across records.
    assert.deepEqual(found.map((f) => [f.data?.relation, f.data?.fix, f.data?.method]), [['node_tags', 'includes(:node_tags)', 'to_xml_node.tags']]);
    assert.match(found[0]?.message ?? '', /`node\.to_xml_node` \(through `tags`\) reads `Node\.node_tags`/);
    assert.deepEqual(found[0]?.related?.map((r) => r.path), ['app/controllers/map_controller.rb', 'app/models/node.rb', 'app/models/node.rb']);
    const django = [
      { path: 'hc/api/models.py', text: 'from django.db import models\n\nclass Project(models.Model):\n    name = models.CharField()\n\nclass Check(models.Model):\n    project = models.ForeignKey(Project, models.CASCADE)\n\n    def channels_str(self):\n        return ",".join(self.channel_set.order_by("code").values_list("code", flat=True))\n\n    def to_dict(self):\n        return {"channels": self.channels_str(), "project": self.project.name}\n\nclass Channel(models.Model):\n    checks = models.ManyToManyField(Check)\n' },
      { path: 'hc/api/views.py', text: 'from hc.api.models import Check\n\ndef checks(request):\n    q = Check.objects.filter(project=request.project).select_related("project").prefetch_related("channel_set")\n    return [c.to_dict() for c in q]\n\ndef plain(request):\n    q = Check.objects.filter(project=request.project)\n    return [c.to_dict() for c in q]\n' },
    ];
    const dj = (await check(django)).get('hc/api/views.py') ?? [];
    assert.deepEqual(dj.map((f) => [f.data?.relation, f.data?.method]), [['channel_set', 'to_dict.channels_str'], ['channel_set', 'to_dict.channels_str']]);
    assert.match(dj[0]?.message ?? '', /again .* even though it is prefetched/);
    // A method that reads only its own columns is no query.
    const columns = [
      { path: 'app/models/order.rb', text: "class Order < ApplicationRecord\n  has_many :line_items\n  def label\n    \"#{number} (#{state})\"\n  end\nend\n" },
      { path: 'app/jobs/export.rb', text: "class Export\n  def run\n    Order.where(state: 'complete').each { |order| puts order.label }\n  end\nend\n" },
    ];
    assert.deepEqual((await check(columns)).get('app/jobs/export.rb') ?? [], []);
    // A class method of a gem (`state_machine.states`) gives no records; a declared scope does.
    const scoped = [
      { path: 'app/models/order.rb', text: "class Order < ApplicationRecord\n  belongs_to :bill_address\n  scope :complete, -> { where.not(completed_at: nil) }\n  def name\n    bill_address.full_name\n  end\nend\n" },
      { path: 'app/config.rb', text: "class Config\n  def states\n    Order.state_machine.states.collect { |s| s.name }\n  end\n  def names\n    Order.complete.map { |o| o.name }\n  end\nend\n" },
    ];
    const named = (await check(scoped)).get('app/config.rb') ?? [];
    assert.deepEqual(named.map((f) => [f.data?.relation, f.data?.fix]), [['bill_address', 'includes(:bill_address)']]);
    assert.match(named[0]?.message ?? '', /`o\.name` reads `Order\.bill_address`/);
  });

  it('knows the records of a class method\'s `all`, of one record\'s relation, and of a list() of a queryset', async () => {
    // Real shapes: TaxRate.match selecting over `all` and reading `rate.zone`; a way found by id whose
    // nodes are walked reading their tags; pings copied into a list and serialised one by one.
    const rails = [
      { path: 'app/models/tax_rate.rb', text: "class TaxRate < ApplicationRecord\n  belongs_to :zone\n  def self.match(order)\n    all.select { |rate| rate.zone.include?(order.tax_zone) }\n  end\nend\n" },
      { path: 'app/models/way.rb', text: 'class Way < ApplicationRecord\n  has_many :way_nodes\n  has_many :nodes, :through => :way_nodes, :order => "sequence_id"\nend\n' },
      { path: 'app/models/node.rb', text: 'class Node < ApplicationRecord\n  has_many :node_tags\n  def tags\n    node_tags.to_h { |t| [t.k, t.v] }\n  end\nend\n' },
      { path: 'app/controllers/amf_controller.rb', text: 'class AmfController < ApplicationController\n  def getway(wayid)\n    way = Way.find(wayid)\n    way.nodes.collect { |node| [node.lon, node.tags] }\n  end\n  def getway_loaded(wayid)\n    way = Way.includes(nodes: :node_tags).find(wayid)\n    way.nodes.collect { |node| [node.lon, node.tags] }\n  end\nend\n' },
    ];
    // `@nodes += Node.find(more)` adds records: `@nodes` still holds the area query's nodes.
    rails.push({ path: 'app/controllers/api_controller.rb', text: "class ApiController < ApplicationController\n  def map\n    @nodes = Node.find_by_area(bbox, limit: 50_000)\n    @nodes += Node.find(nodes_to_fetch)\n    @nodes.each { |node| doc.root << node.tags }\n  end\nend\n" });
    const found = await check(rails);
    assert.deepEqual((found.get('app/controllers/api_controller.rb') ?? []).map((f) => f.data?.relation), ['node_tags']);
    assert.deepEqual((found.get('app/models/tax_rate.rb') ?? []).map((f) => f.data?.fix), ['includes(:zone)']);
    const amf = found.get('app/controllers/amf_controller.rb') ?? [];
    assert.deepEqual(amf.map((f) => [f.data?.relation, f.data?.method]), [['node_tags', 'tags']]);
    assert.equal(amf[0]?.start, rails[3]?.text.indexOf('node.tags'));
    const django = [
      { path: 'hc/api/models.py', text: 'from django.db import models\n\nclass Check(models.Model):\n    code = models.UUIDField()\n\nclass Ping(models.Model):\n    owner = models.ForeignKey(Check, models.CASCADE)\n\n    def to_dict(self):\n        return {"n": self.n, "url": f"/checks/{self.owner.code}/pings/{self.n}/body"}\n' },
      { path: 'hc/api/views.py', text: 'from hc.api.models import Ping\n\ndef pings(request, check):\n    pings = list(Ping.objects.filter(owner=check).order_by("-id")[:100])\n    return [p.to_dict() for p in pings]\n\ndef pings_loaded(request, check):\n    pings = list(Ping.objects.filter(owner=check).select_related("owner")[:100])\n    return [p.to_dict() for p in pings]\n' },
    ];
    const dj = (await check(django)).get('hc/api/views.py') ?? [];
    assert.deepEqual(dj.map((f) => f.data?.fix), ['select_related("owner")']);
  });

  it('takes a sort key or sorted/min/max key for a call per item', async () => {
    // Projects sorted by a status that walks each project's checks: one checks query per project.
    const files = [
      { path: 'hc/models.py', text: 'from django.db import models\n\nclass Project(models.Model):\n    name = models.CharField()\n\n    def overall_status(self):\n        return max(c.status for c in self.check_set.all())\n\nclass Check(models.Model):\n    project = models.ForeignKey(Project, models.CASCADE)\n' },
      { path: 'hc/views.py', text: 'from hc.models import Project\n\ndef index(request):\n    projects = list(Project.objects.filter(owner=request.user))\n    projects.sort(key=lambda p: p.overall_status())\n    first = min(projects, key=lambda p: p.name)\n    return sorted(projects, key=lambda p: p.overall_status())\n' },
    ];
    const found = (await check(files)).get('hc/views.py') ?? [];
    assert.deepEqual(found.map((f) => f.data?.loop), ['`sort` key over `projects`', '`sorted` key over `projects`']);
  });

  it('leaves alone a prompt loop and handlers registered on a route', async () => {
    // A management command asking for an email until a free one is typed: one query per answer.
    const prompt = 'from django.contrib.auth.models import User\n\ndef handle(email):\n    while email is None:\n        raw = input("Email address:")\n        if not User.objects.filter(email=raw).exists():\n            email = raw\n    return email\n';
    assert.deepEqual(await one('createsuperuser.py', prompt), []);
    // A test building a router per case: the handler's query runs per request, not when it is registered.
    const files = [
      { path: 'caldav/router_test.go', text: 'package caldav\nfunc TestRoutes(t *testing.T) {\n\tfor _, tc := range cases {\n\t\te := newTaskRouter(tc.unescape)\n\t\tserve(e, tc.req)\n\t}\n}\n' },
      { path: 'caldav/router.go', text: 'package caldav\nfunc newTaskRouter(unescape bool) *echo.Echo {\n\te := echo.New()\n\te.Any("/dav/projects/:project/:task", func(c *echo.Context) error {\n\t\treturn taskHandler(c)\n\t})\n\treturn e\n}\n' },
      { path: 'caldav/handler.go', text: 'package caldav\nimport "database/sql"\nvar db *sql.DB\nfunc taskHandler(c *echo.Context) error {\n\t_, err := db.Query("SELECT * FROM tasks WHERE uid = $1", c.Param("task"))\n\treturn err\n}\n' },
    ];
    assert.deepEqual([...(await check(files)).values()].flat(), []);
    // Calling the handler itself per item is still a query per item.
    const direct = [...files.slice(1), { path: 'caldav/all.go', text: 'package caldav\nfunc all(cs []*echo.Context) {\n\tfor _, c := range cs {\n\t\ttaskHandler(c)\n\t}\n}\n' }];
    assert.equal((await check(direct)).get('caldav/all.go')?.length, 1);
  });

  it('takes a statement handed to a helper with an IN list appended at run time for a batch', async () => {
    // A tree walked level by level, each level's ids sent in batches of 500 through a query helper.
    const go = 'package mysql\nimport "database/sql"\nfunc queryIDs(tx *sql.Tx, query string, args ...any) ([]int32, error) {\n\trows, err := tx.Query(query, args...)\n\t_ = rows\n\treturn nil, err\n}\nfunc walk(tx *sql.Tx, frontier []int32) {\n\tfor len(frontier) > 0 {\n\t\tfor _, batch := range batches(frontier, 500) {\n\t\t\tclause, args := inClause(batch)\n\t\t\tchildren, _ := queryIDs(tx, `SELECT id FROM memo WHERE parent_id IN `+clause, args...)\n\t\t\tfrontier = children\n\t\t}\n\t}\n}\nfunc each(tx *sql.Tx, ids []int32) {\n\tfor _, id := range ids {\n\t\tqueryIDs(tx, `SELECT id FROM memo WHERE parent_id = ?`, id)\n\t}\n}\n';
    const found = await one('store/user_delete.go', go);
    assert.deepEqual(found.map((f) => f.message.slice(0, 40)), ['N+1 query: `queryIDs` runs `tx.Query(…)`']);
    assert.ok((found[0]?.start ?? 0) > go.indexOf('func each'));
  });

  it('reads SQLAlchemy relationships on each row of a query that did not load them', async () => {
    const models = 'from typing import List\nfrom sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n\nclass Base(DeclarativeBase):\n    pass\n\nclass User(Base):\n    __tablename__ = "users"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    posts: Mapped[List["Post"]] = relationship(back_populates="author")\n    profile = relationship("Profile", uselist=False)\n    roles = relationship("Role", lazy="selectin")\n\nclass Post(Base):\n    __tablename__ = "posts"\n    author: Mapped["User"] = relationship(back_populates="posts")\n';
    const views = 'from sqlalchemy import select\nfrom sqlalchemy.orm import selectinload, joinedload\nfrom app.models import User, Post\n\ndef report(session):\n    for user in session.scalars(select(User).where(User.active)):\n        print(len(user.posts), user.profile.bio, user.roles)\n    stmt = select(User).options(selectinload(User.posts), joinedload(User.profile))\n    for user in session.scalars(stmt):\n        print(len(user.posts), user.profile.bio)\n    for post in session.query(Post).filter(Post.id > 3).all():\n        print(post.author.name)\n    first = session.query(Post).first()\n    return [p.author.name for p in Post.query.options(joinedload(Post.author)).all()]\n';
    const found = (await check([{ path: 'app/models.py', text: models }, { path: 'app/views.py', text: views }])).get('app/views.py') ?? [];
    assert.deepEqual(found.map((f) => [f.data?.library, f.data?.relation, f.data?.fix]), [
      ['SQLAlchemy', 'posts', 'options(selectinload(User.posts))'],
      ['SQLAlchemy', 'profile', 'options(joinedload(User.profile))'],
      ['SQLAlchemy', 'author', 'options(joinedload(Post.author))'],
    ]);
  });

  it('takes save, reload and destroy on a record of a model query for a statement per record', async () => {
    const files = [
      { path: 'models/User.ts', text: "import { Model } from 'sequelize';\nexport class User extends Model {\n  declare id: number;\n}\n" },
      { path: 'models/Draft.ts', text: 'export class Draft {\n  static findAll() {\n    return [new Draft()];\n  }\n  save() {\n    return this;\n  }\n}\n' },
      { path: 'job.ts', text: "import { User } from './models/User';\nimport { Draft } from './models/Draft';\nexport async function touchAll() {\n  const users = await User.findAll({ where: { active: true } });\n  for (const user of users) {\n    user.lastSeen = new Date();\n    await user.save();\n  }\n  const { rows } = await User.findAndCountAll();\n  for (const u of rows) await u.reload();\n  for (const d of Draft.findAll()) d.save();\n  const items = [{ save: async () => 1 }, { save: async () => 2 }];\n  for (const item of items) await item.save();\n}\n" },
    ];
    const found = (await check(files)).get('job.ts') ?? [];
    assert.deepEqual(found.map((f) => f.message.slice(0, 30)), ['N+1 query: `user.save()` runs ', 'N+1 query: `u.reload()` runs o']);
    assert.match(found[0]?.message ?? '', /Write all rows in one statement instead: `Model\.update\(values/);
  });

  it('finds a queryset assigned in a loop and evaluated by an inner loop, not one assigned before', async () => {
    // Webhooks looked up for every queued change: the queryset runs when the inner loop walks it.
    const py = 'from extras.models import Webhook\n\ndef flush(queue):\n    for data in queue:\n        webhooks = Webhook.objects.filter(content_types=data["content_type"], enabled=True)\n        for webhook in webhooks:\n            enqueue(webhook, data)\n\ndef once(queue):\n    webhooks = Webhook.objects.filter(enabled=True)\n    for data in queue:\n        for webhook in webhooks:\n            enqueue(webhook, data)\n';
    const found = await one('extras/webhooks.py', py);
    assert.deepEqual(found.map((f) => [f.message.slice(0, 48), py.slice(0, f.start).split('\n').length]), [['N+1 query: `Webhook.objects.filter(…)` runs once', 5]]);
  });

  it('reads the relation a symbol block names on every record (`map(&:customer)`)', async () => {
    const files = [
      { path: 'app/models/order.rb', text: 'class Order < ApplicationRecord\n  belongs_to :customer\n  has_many :line_items\nend\n' },
      { path: 'app/report.rb', text: 'class Report\n  def run\n    Order.where(paid: true).map(&:customer)\n    Order.includes(:customer).where(paid: true).map(&:customer)\n    Order.where(paid: true).flat_map(&:line_items)\n    Order.where(paid: true).map(&:id)\n    Order.where(paid: true).any?(&:customer)\n  end\nend\n' },
    ];
    const found = (await check(files)).get('app/report.rb') ?? [];
    assert.deepEqual(found.map((f) => [f.data?.relation, f.data?.fix]), [['customer', 'includes(:customer)'], ['line_items', 'includes(:line_items)']]);
    assert.match(found[0]?.message ?? '', /`&:customer` lazily loads `Order\.customer`/);
  });

  it('follows a Rails relation built in steps to its model, and reads the relation per record', async () => {
    // The shape of a real API controller: points built from two named relations, then walked.
    const files = [
      { path: 'app/models/tracepoint.rb', text: 'class Tracepoint < ApplicationRecord\n  belongs_to :trace, :foreign_key => "gpx_id"\nend\n' },
      { path: 'app/models/trace.rb', text: 'class Trace < ApplicationRecord\n  has_many :points, :class_name => "Tracepoint"\nend\n' },
      { path: 'app/controllers/tracepoints_controller.rb', text: 'class TracepointsController < ApplicationController\n  def index\n    ordered = Tracepoint.bbox(bbox).joins(:trace).order("gpx_id DESC")\n    points = ordered.offset(offset).limit(5000)\n    points.each do |point|\n      render_point(point) if point.trace.trackable?\n    end\n  end\nend\n' },
    ];
    const found = (await check(files)).get('app/controllers/tracepoints_controller.rb') ?? [];
    assert.deepEqual(found.map((f) => f.data?.fix), ['includes(:trace)']);
  });

  it('reads a model method\'s loop over its own association (Rails bare name, Django self.x_set)', async () => {
    const rails = [
      { path: 'app/models/order.rb', text: 'class Order < ApplicationRecord\n  has_many :line_items\n  def fee_total\n    line_items.sum { |li| li.variant.fee }\n  end\n  def eager_total\n    line_items.includes(:variant).sum { |li| li.variant.fee }\n  end\nend\n' },
      { path: 'app/models/line_item.rb', text: 'class LineItem < ApplicationRecord\n  belongs_to :variant\nend\n' },
    ];
    const found = (await check(rails)).get('app/models/order.rb') ?? [];
    assert.deepEqual(found.map((f) => [f.data?.relation, f.data?.fix]), [['variant', 'includes(:variant)']]);
    const django = [
      { path: 'app/models.py', text: 'from django.db import models\n\nclass Project(models.Model):\n    def owners(self):\n        return [c.owner.email for c in self.check_set.all()]\n\nclass Check(models.Model):\n    project = models.ForeignKey(Project, on_delete=models.CASCADE)\n    owner = models.ForeignKey("User", on_delete=models.CASCADE)\n\nclass User(models.Model):\n    pass\n' },
    ];
    const py = (await check(django)).get('app/models.py') ?? [];
    assert.deepEqual(py.map((f) => f.data?.fix), ['select_related("owner")']);
  });

  it('takes a chain on a class for a query only through ActiveRecord methods or on a workspace model', async () => {
    // `Spree.deprecator.behavior.first` (a module's settings) is no relation; a custom scope on a model is.
    const files = [
      { path: 'app/models/order.rb', text: 'class Order < ApplicationRecord\n  scope :complete, -> { where.not(completed_at: nil) }\nend\n' },
      { path: 'app/jobs/report.rb', text: 'class Report\n  def run(ids)\n    ids.each do |id|\n      Spree.deprecator.behavior.first\n      Order.complete.first\n      Settings.mailer.first\n    end\n  end\nend\n' },
    ];
    const found = (await check(files)).get('app/jobs/report.rb') ?? [];
    assert.deepEqual(found.map((f) => f.data?.api), ['activerecord.relation']);
    assert.match(found[0]?.message ?? '', /`Order\.complete\(\)\.first\(\)`/);
  });

  it('takes Model.find(ids) for a collection of records, Model.find(id) for one', async () => {
    // The shape of a real API controller: ways found by a list of ids, then each way's nodes read.
    const models = [
      { path: 'app/models/way.rb', text: 'class Way < ApplicationRecord\n  has_many :way_nodes\nend\n' },
      { path: 'app/models/way_node.rb', text: 'class WayNode < ApplicationRecord\n  belongs_to :way\nend\n' },
    ];
    const controller = (arg: string) => ({ path: 'app/controllers/api_controller.rb', text: `class ApiController < ApplicationController\n  def map\n    ways = Way.find(${arg})\n    ways.collect { |way| way.way_nodes.collect { |wn| wn.node_id } }\n  end\nend\n` });
    const many = (await check([...models, controller('way_ids')])).get('app/controllers/api_controller.rb') ?? [];
    assert.deepEqual(many.map((f) => f.data?.fix), ['includes(:way_nodes)']);
    assert.deepEqual((await check([...models, controller('params[:id]')])).get('app/controllers/api_controller.rb') ?? [], []);
  });

  it('is quiet when the caller prefetched what a model method reads on each record', async () => {
    // The shape of a real Django view: `to_dict()` reads `self.channel_set.all()`; the view's
    // queryset prefetches `channel_set` in a second assignment.
    const models = { path: 'hc/api/models.py', text: 'from django.db import models\n\nclass Check(models.Model):\n    def to_dict(self):\n        return {"channels": self.channels_str()}\n\n    def channels_str(self):\n        return ",".join(sorted([str(ch.code) for ch in self.channel_set.all()]))\n\nclass Channel(models.Model):\n    checks = models.ManyToManyField(Check)\n' };
    const view = (prefetch: string) => ({ path: 'hc/api/views.py', text: `from hc.api.models import Check\n\ndef get_checks(request):\n    q = Check.objects.filter(user=request.user)\n${prefetch}    checks = []\n    for check in q:\n        checks.append(check.to_dict())\n    return checks\n` });
    assert.equal(((await check([models, view('')])).get('hc/api/views.py') ?? []).length, 1);
    assert.deepEqual((await check([models, view('    q = q.prefetch_related("channel_set")\n')])).get('hc/api/views.py') ?? [], []);
    assert.deepEqual((await check([models, view('    if not request.readonly:\n        q = q.prefetch_related("channel_set")\n')])).get('hc/api/views.py') ?? [], []);
  });

  it('stops following helpers at the configured depth', async () => {
    const text = [
      'async function d(id) { return db.query("SELECT 1 WHERE $1 > 0", [id]); }',
      'async function c(id) { return d(id); }',
      'async function b(id) { return c(id); }',
      'async function a(id) { return b(id); }',
      'export async function run(ids) { for (const id of ids) await a(id); }',
    ].join('\n');
    const summaries = await summarizeFiles(analyzer, [{ path: 'x.js', text }]);
    const deep = checkNPlusOne(summaries[0]!, buildIndex(summaries, { maxDepth: 3 }));
    assert.equal(deep.length, 1);
    const shallow = checkNPlusOne(summaries[0]!, buildIndex(summaries, { maxDepth: 2 }));
    assert.equal(shallow.length, 0);
  });

  it('reports the outer loop when the inner loop is a small constant fan-out', async () => {
    const text = "for (const u of users) {\n  for (const t of ['a', 'b']) {\n    await pool.query('SELECT 1 WHERE $1 = $2', [u, t]);\n  }\n}\n";
    const [f] = await one('a.ts', text);
    assert.match(f?.message ?? '', /`for…of` loop over `users` \(line 1\)/);
  });

  it('is quiet for migrations and seeds, and honours configured globs', async () => {
    const text = "for (const id of ids) await pool.query('SELECT 1 WHERE $1 > 0', [id]);\n";
    const paths = ['db/migrations/001.ts', 'prisma/seed.ts', 'scripts/seeds/users.js', 'src/migrate/x.ts', 'app/db/seeds.rb'];
    const findings = await check(paths.filter((p) => !p.endsWith('.rb')).map((path) => ({ path, text })));
    for (const [p, list] of findings) assert.deepEqual(list, [], p);
    const custom = await check([{ path: 'tools/backfill.ts', text }], { ignoreGlobs: ['tools/**'] });
    assert.deepEqual(custom.get('tools/backfill.ts'), []);
    const other = await check([{ path: 'db/migrations/001.ts', text }], { ignoreGlobs: ['tools/**'] });
    assert.equal(other.get('db/migrations/001.ts')?.length, 1, 'custom globs replace the defaults');
  });

  it('honours suppression on the query line, the line above, or the loop line', async () => {
    const base = "for (const id of ids) {\n  await pool.query('SELECT 1 WHERE $1 > 0', [id]);\n}\n";
    assert.equal((await one('a.ts', base)).length, 1);
    assert.equal((await one('a.ts', base.replace('[id]);', '[id]); // pg-insight-ignore n-plus-one'))).length, 0);
    assert.equal((await one('a.ts', base.replace('  await', '  // pg-insight-ignore n-plus-one\n  await'))).length, 0);
    assert.equal((await one('a.ts', base.replace('{\n', '{ // pg-insight-ignore n-plus-one\n'))).length, 0);
    assert.equal((await one('a.ts', base.replace('[id]);', '[id]); // pg-insight-ignore missing-index'))).length, 1);
  });

  it('names the relation and the eager-loading fix for Django and Rails', async () => {
    const models = 'class Author(models.Model):\n    name = models.CharField()\n\nclass Book(models.Model):\n    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n';
    const view = 'def titles():\n    return [f"{b.title} {b.author.name}" for b in Book.objects.all()]\n';
    const findings = await check([{ path: 'app/models.py', text: models }, { path: 'app/views.py', text: view }]);
    const [f] = findings.get('app/views.py') ?? [];
    assert.ok(f);
    assert.equal(view.slice(f.start, f.end), 'b.author');
    assert.match(f.message, /lazily loads `Book\.author` once per record of the list comprehension/);
    assert.equal(f.data?.fix, 'select_related("author")');

    const rb = 'class Post < ApplicationRecord\n  belongs_to :author\n  has_many :comments\nend\n';
    const ctrl = 'Post.all.each do |post|\n  post.comments.each { |c| c.body }\nend\n';
    const rails = await check([{ path: 'app/models/post.rb', text: rb }, { path: 'app/controllers/posts.rb', text: ctrl }]);
    const [r] = rails.get('app/controllers/posts.rb') ?? [];
    assert.equal(ctrl.slice(r?.start ?? 0, r?.end ?? 0), 'post.comments');
    assert.equal(r?.data?.fix, 'includes(:comments)');
  });

  it('says nothing about relations of models it has not seen', async () => {
    const view = 'def titles():\n    return [b.author.name for b in Book.objects.all()]\n';
    assert.deepEqual(await one('views.py', view), []);
  });

  it('uses an import resolver supplied by the edge', async () => {
    const files: SourceFile[] = [
      { path: 'app/loop.ts', text: "import { load } from '@shared/load';\nfor (const id of ids) await load(id);\n" },
      { path: 'packages/lib/load.ts', text: "export async function load(id: number) { return pool.query('SELECT 1 WHERE $1 > 0', [id]); }\n" },
    ];
    assert.deepEqual((await check(files)).get('app/loop.ts'), [], 'the default resolver does not know @shared (no folder of that name)');
    const fallback = createImportResolver(files.map((f) => f.path));
    const resolver = {
      resolve: (from: string, spec: string, language: Parameters<typeof fallback.resolve>[2]) =>
        spec.startsWith('@shared/') ? [`packages/lib/${spec.slice(8)}.ts`] : fallback.resolve(from, spec, language),
    };
    assert.equal((await check(files, { resolver })).get('app/loop.ts')?.length, 1);
  });
});
