import * as vscode from 'vscode';
import type { Checkpoint } from '../../core/checkpoints/checkpoint';
import { CheckpointSettingsSchema } from '../../core/checkpoints/checkpointSettings';
import type { LastDownload } from '../../core/checkpoints/terminateRule';
import { RemoteGpuError } from '../../core/errors';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import { latestFinishedCheckpoint } from '../../remote/checkpoints/latestCheckpoint';
import { downloadFiles, downloadPlan } from '../../remote/checkpoints/sftpDownload';
import { openSftp } from '../../remote/sftpSession';
import type { SshConnection } from '../../remote/sshConnection';
import { formatBytes } from '../../shared/localeFormat';
import { resolveHost } from '../commands/hostArgument';
import type { InstancesTreeProvider } from '../tree/instancesTree';
import { checkpointSettingsFor, projectFolderFor, rememberedRootKey } from './checkpointSettingsReader';

export interface DownloadCheckpointDeps {
  readonly tree: InstancesTreeProvider;
  connection(host: SshHost): Promise<SshConnection>;
  /** Remembers the project folder per host and the last download (the terminate rule reads it later). */
  readonly state: vscode.Memento;
  readonly logger: Logger;
}

/** For scripted use (tests): skip the questions. */
export interface DownloadCheckpointArgs {
  readonly root?: string;
  readonly localDir?: string;
}

export interface DownloadedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly files: readonly string[];
  readonly transferredBytes: number;
}

/** The optional second command argument, read field by field (commands can be run with anything). */
export function scriptedArgs(raw: unknown): DownloadCheckpointArgs {
  if (typeof raw !== 'object' || raw === null) return {};
  const { root, localDir } = raw as Record<string, unknown>;
  return { ...(typeof root === 'string' ? { root } : {}), ...(typeof localDir === 'string' ? { localDir } : {}) };
}

export const lastDownloadKey = (host: SshHost): string => `remoteGpu.checkpoints.lastDownload.${host.id}`;

/** The project folder, asked with the configured one (settings, attached Remote-SSH folder, last answer) filled in. */
async function projectRoot(deps: DownloadCheckpointDeps, host: SshHost, given?: string): Promise<string> {
  if (given) return given;
  const root = await vscode.window.showInputBox({
    title: vscode.l10n.t('Checkpoints on {0}', host.label),
    prompt: vscode.l10n.t('Remote project folder to look for checkpoints in'),
    value: projectFolderFor(host, deps.state) ?? '~',
    ignoreFocusOut: true,
  });
  if (root === undefined || root.trim() === '') throw new RemoteGpuError('cancelled', 'Cancelled.');
  return root.trim();
}

async function localFolder(given?: string): Promise<string> {
  if (given) return given;
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: vscode.l10n.t('Download Here') });
  const dir = picked?.[0];
  if (!dir) throw new RemoteGpuError('cancelled', 'Cancelled.');
  return dir.fsPath;
}

/**
 * Download Latest Checkpoint: the newest checkpoint that is not being written, over SFTP into a folder the user
 * picks, with a cancellable progress bar. Run it again after a break or a cancel and it resumes (.part files).
 */
export async function downloadLatestCheckpoint(deps: DownloadCheckpointDeps, arg: unknown, args: DownloadCheckpointArgs = {}): Promise<DownloadedCheckpoint | undefined> {
  const host = await resolveHost(arg, deps.tree, vscode.l10n.t('Download the latest checkpoint from which host?'));
  const root = await projectRoot(deps, host, args.root);
  await deps.state.update(rememberedRootKey(host), root);
  // The configured patterns and recognisers apply here too; only the folder is the one just chosen.
  const settings = { ...(checkpointSettingsFor(host, deps.state, deps.logger) ?? CheckpointSettingsSchema.parse({})), root };
  const title = vscode.l10n.t('Checkpoints on {0}', host.label);
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    progress.report({ message: vscode.l10n.t('Looking for the newest finished checkpoint...') });
    return latestFinishedCheckpoint(await deps.connection(host), settings, { signal: abortOn(token) });
  });
  const checkpoint = found.latest;
  if (!checkpoint) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No finished checkpoint in {0} on {1}.', root, host.label));
    return undefined;
  }
  const dir = await localFolder(args.localDir);
  const plan = downloadPlan(root, checkpoint, dir);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', checkpoint.path), cancellable: true },
    async (progress, token) => {
      const signal = abortOn(token);
      const conn = await deps.connection(host);
      const sftp = await openSftp(conn, signal);
      let shown = 0;
      try {
        return await downloadFiles(conn, sftp, plan, {
          signal,
          onProgress: (p) => {
            const pct = p.totalBytes === 0 ? 100 : (100 * p.doneBytes) / p.totalBytes;
            if (pct - shown < 0.5 && p.doneBytes !== p.totalBytes) return;
            progress.report({ increment: pct - shown, message: `${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}` });
            shown = pct;
          },
        });
      } finally {
        sftp.end();
      }
    },
  );
  const last: LastDownload = { path: checkpoint.path, mtimeMs: checkpoint.mtimeMs };
  await deps.state.update(lastDownloadKey(host), last);
  deps.logger.info(`downloaded ${checkpoint.path} from ${host.label}: ${result.totalBytes} bytes, ${result.transferredBytes} transferred`);
  const reveal = vscode.l10n.t('Reveal');
  void vscode.window.showInformationMessage(vscode.l10n.t('Downloaded {0} ({1}) to {2}.', checkpoint.path, formatBytes(result.totalBytes), dir), reveal).then((choice) => {
    const first = result.files[0];
    if (choice === reveal && first) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(first));
  });
  return { checkpoint, files: result.files, transferredBytes: result.transferredBytes };
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  else token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}
