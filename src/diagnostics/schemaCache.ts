/**
 * The schema the SQL rules check against. Connected: read once from the
 * live catalog (tables, indexes, row estimates) and kept until a refresh,
 * a reconnect, or a saved migration. Not connected: built from the
 * workspace's migrations, table-creating .sql files and Prisma schemas,
 * without row counts; the log says which.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { SchemaModel } from '../core/schema/model';
import { readSchema } from '../db/catalog';
import { describeWorkspaceSchema, type RootSchema, type WorkspaceSchema } from '../core/schema/workspaceSchema';
import { isSchemaFile, offlineSchema, type WorkspaceText } from './offlineSchema';

export class SchemaCache implements vscode.Disposable {
  private current: Promise<SchemaModel | undefined> | undefined;
  /** The offline schema per package root, when the workspace's files gave one (none when connected). */
  private workspace: WorkspaceSchema | undefined;
  private readonly changed = new vscode.EventEmitter<SchemaModel | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions.push(
      this.changed,
      ctx.connections.onDidChangeState((s) => {
        if (s.kind === 'connected' || s.kind === 'disconnected') void this.refresh();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        const path = vscode.workspace.asRelativePath(d.uri, false);
        if (isSchemaFile(path)) void this.refresh();
      }),
    );
  }

  /** The cached schema, read on first use. */
  get(): Promise<SchemaModel | undefined> {
    this.current ??= this.load();
    return this.current;
  }

  /** Reads the schema again and tells the listeners (the diagnostics re-check open files). */
  async refresh(): Promise<SchemaModel | undefined> {
    this.current = this.load();
    const schema = await this.current;
    this.changed.fire(schema);
    return schema;
  }

  /** Each package root's own schema (offline, in a monorepo): code uses the one nearest to it. */
  roots(): readonly RootSchema[] | undefined {
    return this.workspace?.roots;
  }

  private async load(): Promise<SchemaModel | undefined> {
    this.workspace = undefined;
    if (this.ctx.connections.state.kind === 'connected') {
      try {
        const schema = await this.ctx.connections.use((db) => readSchema(db));
        this.ctx.log.info(`Schema read from the database: ${schema.tables.length} tables.`);
        return schema;
      } catch (e) {
        this.ctx.log.warn(`Could not read the schema from the database, using the workspace's migrations: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const ws = await offlineSchema(await workspaceSchemaFiles());
    if (!ws) {
      this.ctx.log.warn('No schema found: connect to a database, or keep SQL migrations, .sql files that create tables or a schema.prisma in the workspace. missing-index and non-sargable-predicate need one.');
      return undefined;
    }
    for (const line of describeWorkspaceSchema(ws)) this.ctx.log.info(`Schema from ${line}.`);
    this.workspace = ws;
    return ws.merged;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

async function workspaceSchemaFiles(): Promise<WorkspaceText[]> {
  const uris = await vscode.workspace.findFiles('{**/*.sql,**/schema.prisma,**/models.py,**/models/*.py,**/db/schema.rb}', '{**/node_modules/**,**/.venv/**,**/venv/**}', 2000);
  const out: WorkspaceText[] = [];
  for (const uri of uris) {
    const path = vscode.workspace.asRelativePath(uri, false);
    if (!isSchemaFile(path)) continue;
    out.push({ path, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
  }
  return out;
}
