import * as vscode from 'vscode';
import type { PortForwards } from '../../remote/portForwards';
import type { SshHost } from '../../core/hosts/sshHost';
import type { ForwardNode } from '../tree/nodes';

/** "localhost:6006 → 6006"; a click opens it in the browser, or retries while broken. */
export function forwardItem(node: ForwardNode): vscode.TreeItem {
  const item = new vscode.TreeItem(`localhost:${node.localPort} → ${node.remotePort}`, vscode.TreeItemCollapsibleState.None);
  item.id = `forward:${node.forwardId}`;
  const args = [{ forwardId: node.forwardId }];
  if (node.broken) {
    item.description = vscode.l10n.t('broken: click to retry');
    item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('list.errorForeground'));
    item.contextValue = 'forward;broken';
    item.tooltip = `${node.broken}\n\n${vscode.l10n.t('Click to reconnect; the local port is kept.')}`;
    item.command = { command: 'remoteGpu.retryForward', title: vscode.l10n.t('Retry'), arguments: args };
  } else {
    item.description = vscode.l10n.t('forwarded');
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = 'forward;active';
    item.tooltip = vscode.l10n.t('127.0.0.1:{0} on this machine reaches port {1} on {2} through SSH.', node.localPort, node.remotePort, node.host.label);
    item.command = { command: 'remoteGpu.openForwardInBrowser', title: vscode.l10n.t('Open in Browser'), arguments: args };
  }
  return item;
}

/** The tree's view of a host's forwards (InstancesTreeDeps.forwardsOf). */
export function forwardNodesOf(forwards: PortForwards, host: SshHost): ForwardNode[] {
  return forwards.list(host.id).flatMap(({ id, forward }) => {
    const state = forward.state;
    if (state.kind === 'stopped') return [];
    const node: ForwardNode = { kind: 'forward', host, forwardId: id, localPort: forward.localPort, remotePort: forward.remotePort };
    return [state.kind === 'broken' ? { ...node, broken: state.error.message } : node];
  });
}
