import * as vscode from 'vscode';
import { saveBeforeStop } from '../../core/checkpoints/saveBeforeStop';
import type { LastDownload } from '../../core/checkpoints/terminateRule';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import { formatUptime } from '../../core/providers/instanceSummary';
import { beforeStop, type BeforeStopQuestion } from '../../core/services/checkpoints/beforeStop';
import { lookAtCheckpoints } from '../../remote/checkpoints/checkpointScanner';
import { latestFinishedCheckpoint } from '../../remote/checkpoints/latestCheckpoint';
import { nodeSleep } from '../../remote/http/nodeTimers';
import type { SshConnection } from '../../remote/sshConnection';
import type { Prompts } from '../providers/prompts';
import { checkpointSettingsFor } from './checkpointSettingsReader';
import { lastDownloadKey } from './downloadLatestCheckpoint';

export interface StopGuardDeps {
  connection(host: SshHost): Promise<SshConnection>;
  readonly state: vscode.Memento;
  readonly prompts: Prompts;
  readonly logger: Logger;
  /** Between looks while waiting for the saved checkpoint; 10 s unless a test wants faster. */
  readonly pollMs?: number;
}

function question(q: BeforeStopQuestion, action: 'stop' | 'terminate', name: string): { message: string; detail: string; button: string } {
  const button = action === 'stop' ? vscode.l10n.t('Stop Anyway') : vscode.l10n.t('Terminate Anyway');
  switch (q.kind) {
    case 'saveTimedOut':
      return { message: vscode.l10n.t('No new checkpoint on {0} after {1}.', name, formatUptime(q.waitedMs)), detail: vscode.l10n.t('The job was asked to save but nothing newer finished writing. Work since the last checkpoint may be lost.'), button };
    case 'saveFailed':
      return { message: vscode.l10n.t('Asking {0} to save failed.', name), detail: q.message, button };
    case 'cannotCheck':
      return { message: vscode.l10n.t('Could not look at the checkpoints on {0}.', name), detail: vscode.l10n.t('{0} Terminating deletes the disk with any checkpoint on it.', q.message), button };
    case 'notDownloaded':
      return {
        message: q.why === 'neverDownloaded' ? vscode.l10n.t('{0} has a checkpoint you never downloaded.', name) : vscode.l10n.t('{0} has a checkpoint newer than your last download.', name),
        detail: vscode.l10n.t('Newest: {0}. Terminating deletes the disk with it. Run Download Latest Checkpoint first, or terminate anyway.', q.newest.path),
        button,
      };
  }
}

/**
 * Save before stop, for manual Stop/Terminate of an instance with SSH: when the project folder is known, runs the
 * configured save request and waits (cancellable progress, bounded), and for Terminate applies the download rule.
 * Returns false when the user chose not to go ahead. Hosts without a known project folder pass straight through.
 * `unattended` (auto-stop, maximum runtime, budget): no questions; a stop goes ahead, a terminate with doubts does not.
 */
export async function guardStop(deps: StopGuardDeps, host: SshHost, action: 'stop' | 'terminate', name: string, options: { unattended?: boolean } = {}): Promise<boolean> {
  const settings = checkpointSettingsFor(host, deps.state, deps.logger);
  if (!settings) return true;
  if (settings.saveBeforeStop.mode === 'off' && action === 'stop') return true;
  const title = action === 'stop' ? vscode.l10n.t('Before stopping {0}', name) : vscode.l10n.t('Before terminating {0}', name);
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const signal = abort.signal;
    return beforeStop({
      action,
      saveConfig: settings.saveBeforeStop,
      waitMs: settings.saveWaitMinutes * 60_000,
      lastDownload: deps.state.get<LastDownload>(lastDownloadKey(host)),
      save: async (o) => {
        const conn = await deps.connection(host);
        return saveBeforeStop(
          { exec: conn, look: async (s) => (await lookAtCheckpoints(conn, settings, s ? { signal: s } : {})).checkpoints, clock: { now: () => Date.now(), sleep: nodeSleep } },
          { ...o, signal, ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}) },
        );
      },
      newestFinished: async () => {
        progress.report({ message: vscode.l10n.t('Looking for the newest checkpoint...') });
        return (await latestFinishedCheckpoint(await deps.connection(host), settings, { signal })).latest;
      },
      onProgress: (p) =>
        progress.report({
          message: p.phase === 'requesting' ? vscode.l10n.t('Asking the job to save a checkpoint...') : vscode.l10n.t('Waiting for a new checkpoint ({0} left)...', formatUptime(p.remainingMs)),
        }),
      confirm: async (q) => {
        const words = question(q, action, name);
        deps.logger.info(`${action} ${name}: ${q.kind}`);
        // An automatic stop asks nobody: the person was warned minutes ago and may be away. A stop keeps the disk,
        // so it goes ahead after the save attempt; a terminate would lose the disk, so any doubt cancels it.
        if (options.unattended) {
          if (action === 'terminate') void vscode.window.showWarningMessage(`${words.message} ${vscode.l10n.t('Remote GPU did not terminate it.')}`);
          return action === 'stop';
        }
        return deps.prompts.confirm(words.message, words.detail, words.button);
      },
    });
  });
  deps.logger.info(`${action} ${name}: checkpoints say ${outcome}`);
  return outcome === 'go';
}
