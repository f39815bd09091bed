import * as vscode from 'vscode';
import { RemoteGpuError } from '../../core/errors';
import type { SshHost } from '../../core/hosts/sshHost';
import { isErrorNode, isHostNode, isInstanceNode } from '../tree/nodes';
import type { InstancesTreeProvider } from '../tree/instancesTree';

/**
 * Commands run from a tree node get the node; from the palette they get nothing and ask. A host id string (used by
 * error nodes and tests) is accepted too.
 */
export async function resolveHost(arg: unknown, tree: InstancesTreeProvider, placeHolder: string): Promise<SshHost> {
  if (isHostNode(arg) || isErrorNode(arg)) return arg.host;
  if (isInstanceNode(arg)) {
    if (arg.host) return arg.host;
    throw new RemoteGpuError('unavailable', vscode.l10n.t('{0} is not running with an SSH address yet.', arg.instance.name || arg.instance.id));
  }
  const hosts = await tree.hosts();
  if (typeof arg === 'string') {
    const host = tree.findHost(arg) ?? hosts.find((h) => h.id === arg || h.label === arg);
    if (host) return host;
    throw new RemoteGpuError('notFound', vscode.l10n.t('No host named "{0}" is configured.', arg));
  }
  if (hosts.length === 0) throw new RemoteGpuError('config', vscode.l10n.t('No SSH hosts are configured. Use "Remote GPU: Add SSH Host..." first.'));
  if (hosts.length === 1 && hosts[0]) return hosts[0];
  const picked = await vscode.window.showQuickPick(
    hosts.map((host) => ({ label: host.label, description: `${host.user}@${host.hostname}:${host.port}`, host })),
    { placeHolder, matchOnDescription: true },
  );
  if (!picked) throw new RemoteGpuError('cancelled', vscode.l10n.t('Cancelled.'));
  return picked.host;
}
