import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import { managedSpecOf } from '../../core/sshConfig/managedHost';
import type { ManagedSshConfig } from '../../remote/managedSshConfig';
import { openHostInRemoteSsh, type ConnectDeps } from '../commands/connectCommands';
import { resolveHost } from '../commands/hostArgument';

export interface ConnectCommandDeps extends ConnectDeps {
  /** Built on first use: the user's config path comes from settings, which may change while VS Code runs. */
  readonly managedConfig: () => ManagedSshConfig;
}

/** What Connect did, returned for the integration suites. */
export interface ConnectResult {
  readonly hostId: string;
  /** The Host alias Remote-SSH opens. */
  readonly alias: string;
  readonly managed: boolean;
}

/**
 * Connect: a host from ~/.ssh/config opens as it is (the user's block already says everything). Any other host
 * (a cloud instance, a settings entry) first gets a managed Host block, so Remote-SSH, a plain `ssh <alias>` in a
 * terminal and scp all reach it with the same user, port, key and jump host as the extension does.
 */
export async function connect(deps: ConnectCommandDeps, arg: unknown): Promise<ConnectResult> {
  const host = await resolveHost(arg, deps.tree, vscode.l10n.t('Connect to which host?'));
  if (host.source === 'sshConfig' && host.sshConfigAlias) {
    await openHostInRemoteSsh(deps, host);
    return { hostId: host.id, alias: host.sshConfigAlias, managed: false };
  }
  const managed = deps.managedConfig();
  const { alias, wrote } = await managed.upsert(managedSpecOf(host, existsSync));
  if (wrote.includes(managed.userConfig)) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Remote GPU added an Include line to {0} (a copy of the original is in {1}).', managed.userConfig, managed.backup),
    );
  }
  await pruneSettingsHosts(deps, managed);
  const withAlias: SshHost = { ...host, sshConfigAlias: alias };
  await openHostInRemoteSsh(deps, withAlias);
  return { hostId: host.id, alias, managed: true };
}

/**
 * Entries written for settings hosts that are no longer configured go away at the next Connect; cloud entries are
 * pruned when their provider's listing no longer has the instance (see extension.ts).
 */
async function pruneSettingsHosts(deps: ConnectCommandDeps, managed: ManagedSshConfig): Promise<void> {
  const live = new Set((await deps.tree.hosts()).filter((h) => h.source !== 'cloud').map((h) => h.id));
  await managed.prune((id) => !id.startsWith('settings:') || live.has(id));
}
