import * as vscode from 'vscode';
import { formatPricePerHour } from '../../core/hosts/settingsHosts';
import { formatGpuMemory } from '../../core/telemetry/gpuInventory';
import type { ErrorReason } from '../../core/errors';
import type { ErrorNode, GpuNode, HostNode, MessageNode, ProviderNode, TreeNode } from './nodes';

/** Reasons where trying again can help; "Retry" is offered only for these. */
const RETRYABLE: ReadonlySet<ErrorReason> = new Set<ErrorReason>([
  'unreachable', 'timeout', 'connectionLost', 'auth', 'commandNotFound', 'remoteFailed', 'invalidResponse', 'hostKeyRejected', 'internal', 'unavailable',
]);

export function toTreeItem(node: TreeNode): vscode.TreeItem {
  switch (node.kind) {
    case 'provider': return providerItem(node);
    case 'host': return hostItem(node);
    case 'gpu': return gpuItem(node);
    case 'error': return errorItem(node);
    case 'message': return messageItem(node);
  }
}

function providerItem(node: ProviderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `provider:${node.providerId}`;
  item.iconPath = new vscode.ThemeIcon('remote-explorer');
  item.contextValue = `provider;${node.providerId}`;
  return item;
}

function hostItem({ host }: HostNode): vscode.TreeItem {
  const item = new vscode.TreeItem(host.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `host:${host.id}`;
  const where = `${host.user}@${host.hostname}${host.port === 22 ? '' : `:${host.port}`}`;
  const price = host.pricePerHourMicros !== undefined ? formatPricePerHour(host.pricePerHourMicros) : undefined;
  item.description = price ? `${where} · ${price}` : where;
  item.iconPath = new vscode.ThemeIcon('server');
  item.contextValue = `host;ssh;${host.source}`;
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(host.label)}**  \n`);
  tip.appendText(`${where}${host.proxyJump ? ` via ${host.proxyJump.user}@${host.proxyJump.hostname}` : ''}\n`);
  tip.appendMarkdown(`\n${vscode.l10n.t('From {0}', host.source === 'sshConfig' ? '~/.ssh/config' : 'settings')}`);
  if (price) tip.appendMarkdown(` · ${price}`);
  item.tooltip = tip;
  return item;
}

function gpuItem({ host, gpu, live }: GpuNode): vscode.TreeItem {
  const item = new vscode.TreeItem(`GPU ${gpu.index}: ${gpu.name}`, vscode.TreeItemCollapsibleState.None);
  item.id = `gpu:${host.id}:${gpu.uuid || gpu.index}`;
  item.description = live ?? formatGpuMemory(gpu.memoryTotalMiB);
  item.iconPath = new vscode.ThemeIcon('circuit-board');
  item.contextValue = 'gpu';
  item.tooltip = `${gpu.name}\n${gpu.memoryTotalMiB ?? '?'} MiB\n${gpu.uuid}${live ? `\n${vscode.l10n.t('Now: {0}', live)}` : ''}`;
  item.command = { command: 'remoteGpu.openDashboard', title: vscode.l10n.t('Open GPU Dashboard'), arguments: [host.id] };
  return item;
}

function errorItem({ host, error }: ErrorNode): vscode.TreeItem {
  const retryable = RETRYABLE.has(error.reason);
  const item = new vscode.TreeItem(error.message, vscode.TreeItemCollapsibleState.None);
  item.id = `error:${host.id}`;
  item.iconPath = new vscode.ThemeIcon(error.reason === 'hostKeyChanged' ? 'shield' : 'error', new vscode.ThemeColor('list.errorForeground'));
  item.contextValue = `error;${error.reason}${retryable ? ';retryable' : ''}`;
  item.tooltip = retryable ? `${error.message}\n\n${vscode.l10n.t('Click to retry.')}` : error.message;
  if (retryable) item.command = { command: 'remoteGpu.retry', title: vscode.l10n.t('Retry'), arguments: [host.id] };
  return item;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `message:${node.id}`;
  item.iconPath = new vscode.ThemeIcon(node.severity === 'warning' ? 'warning' : 'info');
  item.contextValue = `message;${node.severity}`;
  if (node.tooltip) item.tooltip = node.tooltip;
  if (node.severity === 'warning') item.command = { command: 'remoteGpu.showLogs', title: vscode.l10n.t('Show Logs') };
  return item;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
