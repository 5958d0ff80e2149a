/**
 * The command table: each command id from package.json maps to a factory
 * that receives the context and returns the handler (one file per command).
 * A test compares this table with the manifest, so neither drifts.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { addConnection } from './addConnection';
import { disconnect } from './disconnect';
import { explainAnalyze, explainPlain } from './explain';
import { comparePlans } from './explainCompare';
import { explainOptions } from './explainOptions';
import { findInCode } from './findInCode';
import { forgetPassword } from './forgetPassword';
import { copyHealthSummary, exportHealthReport, healthReport } from './healthReport';
import { refreshSchema } from './refreshSchema';
import { scanWorkspace } from './scanWorkspace';
import { selectConnection } from './selectConnection';
import { showLog } from './showLog';
import { showSlowQueries } from './showSlowQueries';
import { testConnection } from './testConnection';
import { asDbError } from '../connections/manager';

type Handler = (...args: never[]) => unknown;

export const COMMANDS: Readonly<Record<string, (ctx: Ctx) => Handler>> = {
  'pgInsight.addConnection': addConnection,
  'pgInsight.selectConnection': selectConnection,
  'pgInsight.testConnection': testConnection,
  'pgInsight.disconnect': disconnect,
  'pgInsight.forgetPassword': forgetPassword,
  'pgInsight.showLog': showLog,
  'pgInsight.healthReport': healthReport,
  'pgInsight.exportHealthReport': exportHealthReport,
  'pgInsight.copyHealthSummary': copyHealthSummary,
  'pgInsight.explainAnalyze': explainAnalyze,
  'pgInsight.explain': explainPlain,
  'pgInsight.explainOptions': explainOptions,
  'pgInsight.comparePlans': comparePlans,
  'pgInsight.showSlowQueries': showSlowQueries,
  'pgInsight.findInCode': findInCode,
  'pgInsight.scanWorkspace': scanWorkspace,
  'pgInsight.refreshSchema': refreshSchema,
};

/** Registers every command; an unexpected error is logged and shown as one sentence, never a stack. */
export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => {
    const handler = factory(ctx) as (...args: unknown[]) => unknown;
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        const message = asDbError(e).message;
        ctx.log.error(`${id} failed: ${message}`);
        void ctx.notify.error(message, 'Open Log').then((choice) => {
          if (choice) ctx.log.show();
        });
        return undefined;
      }
    });
  });
}
