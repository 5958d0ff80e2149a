/**
 * PG Insight is present in the host, activates, and registers every command
 * its manifest contributes.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, bridgeAvailable, closeAllEditors, extension, openDocument, screenshot, waitFor, workbenchQuery } from './helpers';

interface Manifest {
  readonly name: string;
  readonly publisher: string;
  readonly main?: string;
  readonly contributes?: { readonly commands?: ReadonlyArray<{ readonly command: string }> };
}

describe('activation', () => {
  after(async () => {
    await closeAllEditors();
  });

  it('is installed as pg-insight.pg-insight', () => {
    const ext = extension();
    const manifest = ext.packageJSON as Manifest;
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
    assert.equal(ext.id.toLowerCase(), EXTENSION_ID);
  });

  it('activates without error', async () => {
    // A failed activation still counts as "active" in the API, so first make
    // sure the entry point is there; the command check below proves activate() ran.
    const ext = extension();
    const main = (ext.packageJSON as Manifest).main;
    assert.ok(main, 'the manifest names no entry point');
    assert.ok(existsSync(join(ext.extensionPath, main)), `${main} is missing: run node esbuild.mjs`);
    await activateExtension();
    assert.equal(ext.isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    await activateExtension();
    const contributed = ((extension().packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no command');
    const registered = await waitFor(async () => {
      const all = new Set(await vscode.commands.getCommands(true));
      return contributed.every((c) => all.has(c)) ? all : undefined;
    }, { message: 'all contributed commands to be registered', timeoutMs: 5000 }).catch(async () => new Set(await vscode.commands.getCommands(true)));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed commands that are not registered');
  });

  it('shows the workbench with a SQL file open', async () => {
    const editor = await openDocument('queries.sql');
    assert.equal(editor.document.languageId, 'sql');
    await activateExtension();
    if (!bridgeAvailable()) return;
    // The grammar loads asynchronously: wait until the editor shows coloured tokens
    // (classes mtk2 and up; mtk1 is plain text) so the picture is what a person sees.
    await waitFor(async () => (await workbenchQuery('.monaco-editor .view-line span[class^="mtk"]')).some((e) => e.attributes.class !== 'mtk1'), {
      message: 'SQL syntax colouring in the editor',
    });
    const path = await screenshot('workbench');
    assert.ok(path !== undefined && existsSync(path), `screenshot ${path} was not written`);
  });
});
