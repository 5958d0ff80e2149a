/**
 * The `restricted` run opens its workspace in Restricted Mode and PG Insight
 * still loads there. (No trust prompt can get in the way: the workbench
 * refuses modal dialogs while extension tests run.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../helpers';

describe('Restricted Mode host', () => {
  it('opens the workspace untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('loads PG Insight', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not loaded in Restricted Mode`);
  });
});
