import * as vscode from 'vscode';
import { toRemoteGpuError, type RemoteGpuError } from '../../core/errors';
import type { Logger } from '../../core/logger';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * The one wrapper every command goes through (ARCHITECTURE.md principle 4): it logs, classifies the error, stays
 * silent on cancellation and shows one clear message with an action. No stack trace reaches the user.
 */
export function registerCommand(id: string, handler: CommandHandler, logger: Logger): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    logger.debug(`command ${id}`);
    try {
      return await handler(...args);
    } catch (e) {
      const error = toRemoteGpuError(e);
      if (error.reason === 'cancelled') return undefined;
      logger.error(`command ${id} failed`, error);
      void presentError(error);
      return undefined;
    }
  });
}

/** Shows an error with the action that fits its reason. */
export async function presentError(error: RemoteGpuError): Promise<void> {
  const showLogs = vscode.l10n.t('Show Logs');
  const actions = [showLogs];
  const choice = await vscode.window.showErrorMessage(error.message, ...actions);
  if (choice === showLogs) await vscode.commands.executeCommand('remoteGpu.showLogs');
}
