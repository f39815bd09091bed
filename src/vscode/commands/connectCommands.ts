import * as vscode from 'vscode';
import { remoteSshAuthority, sshCommandLine } from '../../core/hosts/sshCommandLine';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import { createSshTerminal, type OpenShell } from '../terminal/sshPseudoterminal';
import type { InstancesTreeProvider } from '../tree/instancesTree';
import { resolveHost } from './hostArgument';

/** Remote-SSH (Microsoft) and its open-source counterpart in VSCodium/code-server; both take `ssh-remote+` authorities. */
const REMOTE_SSH_IDS = ['ms-vscode-remote.remote-ssh', 'jeanp413.open-remote-ssh'];

export interface ConnectDeps {
  readonly tree: InstancesTreeProvider;
  readonly openShell: OpenShell;
  readonly logger: Logger;
}

export async function openTerminal(deps: ConnectDeps, arg: unknown): Promise<void> {
  const host = await resolveHost(arg, deps.tree, vscode.l10n.t('Open a terminal on which host?'));
  const terminal = createSshTerminal(host, deps.openShell, deps.logger.child('terminal'));
  terminal.show();
}

export async function copySshCommand(deps: ConnectDeps, arg: unknown): Promise<void> {
  await copyLine(await resolveHost(arg, deps.tree, vscode.l10n.t('Copy the SSH command of which host?')));
}

async function copyLine(host: SshHost): Promise<void> {
  const line = sshCommandLine(host);
  await vscode.env.clipboard.writeText(line);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied: {0}', line), 4000);
}

export async function openInRemoteSsh(deps: ConnectDeps, arg: unknown): Promise<void> {
  const host = await resolveHost(arg, deps.tree, vscode.l10n.t('Open which host in a Remote-SSH window?'));
  await openHostInRemoteSsh(deps, host);
}

/** Opens a resolved host (Connect passes one carrying its managed ssh-config alias). */
export async function openHostInRemoteSsh(deps: ConnectDeps, host: SshHost): Promise<void> {
  const installed = REMOTE_SSH_IDS.some((id) => vscode.extensions.getExtension(id) !== undefined);
  if (!installed) {
    const install = vscode.l10n.t('Show Remote-SSH');
    const copy = vscode.l10n.t('Copy SSH Command');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Opening a VS Code window on the host needs the Remote - SSH extension (ms-vscode-remote.remote-ssh), which is not installed.'),
      install,
      copy,
    );
    if (choice === install) await vscode.commands.executeCommand('workbench.extensions.search', '@id:ms-vscode-remote.remote-ssh');
    if (choice === copy) await copyLine(host);
    return;
  }
  deps.logger.info(`opening Remote-SSH window for ${host.label}`);
  await vscode.commands.executeCommand('vscode.newWindow', { remoteAuthority: remoteSshAuthority(host), reuseWindow: false });
}
