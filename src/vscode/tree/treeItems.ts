import * as vscode from 'vscode';
import { formatPerHour } from '../../shared/localeFormat';
import { formatGpuMemory } from '../../core/telemetry/gpuInventory';
import type { ErrorReason } from '../../core/errors';
import { instanceDescription, stateLabel } from '../../core/providers/instanceSummary';
import type { InstanceState } from '../../core/providers/instance';
import type { ApiKeyMissingNode, ErrorNode, GpuNode, HostNode, InstanceNode, MessageNode, ProviderErrorNode, ProviderNode, TreeNode } from './nodes';
import { forwardItem } from '../connect/forwardItem';

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
    case 'instance': return instanceItem(node);
    case 'apiKeyMissing': return apiKeyMissingItem(node);
    case 'providerError': return providerErrorItem(node);
    case 'forward': return forwardItem(node);
  }
}

function providerItem(node: ProviderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `provider:${node.providerId}`;
  if (node.providerId === 'ssh') {
    item.iconPath = new vscode.ThemeIcon('remote-explorer');
    item.contextValue = 'provider;ssh';
    return item;
  }
  item.iconPath = new vscode.ThemeIcon('cloud');
  item.contextValue = `provider;cloud;${node.providerId};${node.configured ? 'configured' : 'keyMissing'}`;
  if (!node.configured) item.description = vscode.l10n.t('not set up');
  return item;
}

/** One icon per lifecycle state; transitional states spin so a glance tells "wait" from "done". */
const STATE_ICONS: Record<InstanceState, { icon: string; color?: string }> = {
  provisioning: { icon: 'loading~spin' },
  booting: { icon: 'loading~spin' },
  running: { icon: 'vm-running', color: 'charts.green' },
  stopping: { icon: 'loading~spin' },
  stopped: { icon: 'vm-outline' },
  terminating: { icon: 'loading~spin' },
  terminated: { icon: 'trash' },
  error: { icon: 'error', color: 'list.errorForeground' },
  unknown: { icon: 'question' },
};

/** The contextValue menus key on; the scheme is documented in nodes.ts. */
export function instanceContextValue(node: InstanceNode): string {
  const parts = ['instance', node.providerId, node.instance.state];
  if (node.capabilities.canStop && node.instance.canStop !== false) parts.push('stoppable');
  if (node.capabilities.canRestart) parts.push('restartable');
  if (node.host) parts.push('ssh');
  return parts.join(';');
}

function instanceItem(node: InstanceNode): vscode.TreeItem {
  const { instance, host } = node;
  const item = new vscode.TreeItem(instance.name || instance.id, host ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `instance:${instance.provider}:${instance.id}`;
  item.description = instanceDescription(instance, Date.now());
  const look = STATE_ICONS[instance.state];
  item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
  item.contextValue = instanceContextValue(node);
  // Names, statuses and regions come from the provider's API: escaped, never interpreted as markdown or links.
  const tip = new vscode.MarkdownString(undefined, true);
  // appendText escapes markdown and `$(icon)` syntax too, which escapeMd alone would leave live.
  tip.appendMarkdown('**');
  tip.appendText(instance.name || instance.id);
  tip.appendMarkdown('**  \n');
  // The state in words; the provider's own status word (data, e.g. "active") stays as the provider wrote it.
  tip.appendText(`${stateLabel(instance.state)} (${instance.providerStatus})\n`);
  tip.appendMarkdown('\n');
  tip.appendText(`${item.description}\n`);
  const where = [instance.region, instance.ssh ? `${instance.ssh.user}@${instance.ssh.host}:${instance.ssh.port}` : undefined].filter(Boolean).join(' · ');
  if (where) {
    tip.appendMarkdown('\n');
    tip.appendText(where);
  }
  tip.appendMarkdown('\n\n');
  tip.appendText(instance.id);
  item.tooltip = tip;
  return item;
}

function apiKeyMissingItem(node: ApiKeyMissingNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `apiKeyMissing:${node.providerId}`;
  item.iconPath = new vscode.ThemeIcon('key');
  item.contextValue = `apiKeyMissing;${node.providerId}`;
  item.tooltip = vscode.l10n.t('Click to set the API key. It is kept in VS Code\'s secret storage, never in settings.');
  item.command = { command: 'remoteGpu.setApiKey', title: vscode.l10n.t('Set API Key...'), arguments: [node.providerId] };
  return item;
}

function providerErrorItem({ providerId, error }: ProviderErrorNode): vscode.TreeItem {
  const retryable = RETRYABLE.has(error.reason) || error.reason === 'rateLimited';
  const item = new vscode.TreeItem(error.message, vscode.TreeItemCollapsibleState.None);
  item.id = `error:provider:${providerId}`;
  item.iconPath = new vscode.ThemeIcon(error.reason === 'auth' ? 'key' : 'error', new vscode.ThemeColor('list.errorForeground'));
  item.contextValue = `error;${error.reason}${retryable ? ';retryable' : ''}`;
  item.tooltip = retryable ? `${error.message}\n\n${vscode.l10n.t('Click to retry.')}` : error.message;
  if (error.reason === 'auth') {
    // A refused (revoked, expired) key: retrying with the same key cannot help, a new key can.
    item.tooltip = `${error.message}\n\n${vscode.l10n.t('Click to set a new API key.')}`;
    item.command = { command: 'remoteGpu.setApiKey', title: vscode.l10n.t('Set API Key...'), arguments: [providerId] };
  } else if (retryable) {
    item.command = { command: 'remoteGpu.retry', title: vscode.l10n.t('Retry'), arguments: [`provider:${providerId}`] };
  }
  return item;
}

function hostItem({ host }: HostNode): vscode.TreeItem {
  const item = new vscode.TreeItem(host.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `host:${host.id}`;
  const where = `${host.user}@${host.hostname}${host.port === 22 ? '' : `:${host.port}`}`;
  const price = host.pricePerHourMicros !== undefined ? formatPerHour(host.pricePerHourMicros) : undefined;
  item.description = price ? `${where} · ${price}` : where;
  item.iconPath = new vscode.ThemeIcon('server');
  item.contextValue = `host;ssh;${host.source}`;
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(host.label)}**  \n`);
  tip.appendText(`${host.proxyJump ? vscode.l10n.t('{0} via {1}', where, `${host.proxyJump.user}@${host.proxyJump.hostname}`) : where}\n`);
  tip.appendMarkdown(`\n${host.source === 'sshConfig' ? vscode.l10n.t('From {0}', '~/.ssh/config') : vscode.l10n.t('From settings')}`);
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
