import * as vscode from 'vscode';
import { reportTerminalActivity } from '../autoStop/personActivity';
import { downloadLatestCheckpoint, scriptedArgs } from '../checkpoints/downloadLatestCheckpoint';
import { addSshHost } from '../commands/addSshHost';
import { copySshCommand, openInRemoteSsh, openTerminal, type ConnectDeps } from '../commands/connectCommands';
import { resolveHost } from '../commands/hostArgument';
import { openSshConfig } from '../commands/sshConfigFile';
import { isProviderId } from '../providers/providerSettings';
import type { TerminalChannel } from '../terminal/sshPseudoterminal';
import type { CommandTable } from './cloudCommands';
import type { Runtime } from './runtime';
import type { Views } from './views';

/** Commands on a machine reachable by SSH (SSH hosts and running instances alike): terminal, Remote-SSH, dashboard, checkpoints. */
export function hostCommands(rt: Runtime, views: Views): CommandTable {
  const { tree, person, dashboards } = views;
  const connect: ConnectDeps = {
    tree,
    logger: rt.logger,
    openShell: async (host, size): Promise<TerminalChannel> =>
      reportTerminalActivity(await (await rt.ssh.pool.get(host)).openShell({ ...size, term: 'xterm-256color' }), (source) => person.report(host.id, source)),
  };
  const retry = (arg: unknown): void => {
    // A provider's error child passes "provider:<id>" (or is the node itself): ask that provider again.
    const providerId = typeof arg === 'string' && arg.startsWith('provider:') ? arg.slice('provider:'.length) : (arg as { kind?: unknown; providerId?: unknown } | undefined)?.kind === 'providerError' ? (arg as { providerId: unknown }).providerId : undefined;
    if (isProviderId(providerId)) return tree.refreshProvider(providerId);
    const hostId = typeof arg === 'string' ? arg : (arg as { host?: { id?: unknown } } | undefined)?.host?.id;
    if (typeof hostId !== 'string') return tree.refreshAll();
    rt.ssh.pool.drop(hostId);
    tree.refreshHost(hostId);
  };
  return {
    'remoteGpu.refresh': () => tree.refreshAll(),
    'remoteGpu.retry': retry,
    'remoteGpu.addSshHost': () => addSshHost(() => tree.refreshAll()),
    'remoteGpu.openTerminal': (arg) => openTerminal(connect, arg),
    'remoteGpu.openInRemoteSsh': (arg) => openInRemoteSsh(connect, arg),
    'remoteGpu.copySshCommand': (arg) => copySshCommand(connect, arg),
    'remoteGpu.openDashboard': async (arg) => dashboards.open(await resolveHost(arg, tree, vscode.l10n.t('Open the GPU dashboard of which host?'))),
    'remoteGpu.downloadLatestCheckpoint': (arg, args) =>
      downloadLatestCheckpoint(
        { tree, connection: (host) => rt.ssh.pool.get(host), state: rt.context.globalState, logger: rt.logger.child('checkpoints') },
        arg,
        scriptedArgs(args),
      ),
    'remoteGpu.showLogs': () => rt.channel.show(true),
    'remoteGpu.openSshConfig': () => openSshConfig(),
    ...rt.connect.commands(tree, connect),
  };
}
