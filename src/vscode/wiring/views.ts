import * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Instance } from '../../core/providers/instance';
import type { ProviderId } from '../../core/providers/providerId';
import type { WebviewToHostMessage } from '../../shared/dashboardMessages';
import { joinExtras, PersonActivity } from '../autoStop/personActivity';
import { DashboardPanels } from '../dashboard/dashboardPanels';
import { GPU_MONITOR_VIEW_ID, GpuMonitorView } from '../dashboard/gpuMonitorView';
import type { SnapshotSection } from '../dashboard/telemetryBinding';
import { loadHostCatalog } from '../hosts/hostCatalog';
import { readProviderSettings } from '../providers/providerSettings';
import { readAutoStopSettings, readBudgetSettings } from '../autoStop/readSettings';
import { GpuStatusBar } from '../statusBar/gpuStatusBar';
import { InstancePoller } from '../tree/instancePoller';
import { InstancesTreeProvider } from '../tree/instancesTree';
import { LiveGpuUpdates } from '../tree/liveGpuUpdates';
import type { TreeNode } from '../tree/nodes';
import type { Runtime } from './runtime';

/**
 * Cost, auto-stop and watchdog lines for the tree and the dashboard. Those features need the tree, so the views are
 * built first and read these through this holder once wireMachines has filled it.
 */
export interface MachineLines {
  treeText?: (hostId: string) => { description: string; tooltip: string } | undefined;
  sections?: (host: SshHost) => SnapshotSection[];
  /** A provider's instance list arrived: the cost counters run a round soon for a new instance or a changed state. */
  onListed?: (id: ProviderId, instances: readonly Instance[]) => void;
}

export interface Views {
  readonly tree: InstancesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly dashboards: DashboardPanels;
  /** A person's activity on a host (terminal, dashboard focus, a Remote-SSH window on it): auto-stop's person signal. */
  readonly person: PersonActivity;
  readonly machineLines: MachineLines;
}

/** The Instances tree, the GPU Monitor view, the dashboards and the GPU status bar item. */
export function wireViews(rt: Runtime): Views {
  const { context, logger, hub, inventory, connect, checkpoints } = rt;
  const machineLines: MachineLines = {};
  // The tree asks LiveGpuUpdates for readings, and LiveGpuUpdates needs the tree view: a late-bound reference.
  const live: { current?: LiveGpuUpdates } = {};
  const tree = new InstancesTreeProvider({
    logger: logger.child('tree'),
    loadHosts: async () => {
      const snapshot = await loadHostCatalog(logger.child('hosts'));
      connect.onSshHostsListed(snapshot.hosts);
      return snapshot;
    },
    forwardsOf: connect.forwardsOf,
    inventory,
    setContext: (key, value) => void vscode.commands.executeCommand('setContext', key, value),
    liveReading: (host, gpu) => live.current?.reading(host, gpu),
    hostExtra: (hostId) => joinExtras(checkpoints.treeText(hostId), machineLines.treeText?.(hostId)),
    cloud: {
      source: rt.providers,
      visible: () => readProviderSettings().visible,
      hostOf: (instance) => rt.instanceHosts.hostOf(instance),
      forgetHost: rt.forgetHost,
      hostChanged: (host) => rt.hub.hostChanged(host),
      hostGone: rt.hostGone,
      onListed: (id, instances) => {
        connect.onInstancesListed(id, instances);
        machineLines.onListed?.(id, instances);
      },
    },
  });
  rt.tree.current = tree;
  const treeView = vscode.window.createTreeView<TreeNode>('remoteGpu.instances', { treeDataProvider: tree, showCollapseAll: true });
  live.current = new LiveGpuUpdates(treeView, tree, hub, inventory);
  context.subscriptions.push(tree, treeView, live.current);
  checkpoints.watchTree(treeView);
  if (tree.cloud) context.subscriptions.push(new InstancePoller(treeView, tree.cloud, { background: cloudListNeeded }));

  const onRequest = (host: SshHost, message: WebviewToHostMessage): void => {
    if (message.type === 'openTerminal') void vscode.commands.executeCommand('remoteGpu.openTerminal', host.id);
    else if (message.type === 'showLogs') rt.channel.show(true);
    else if (message.type === 'openDashboard') dashboards.open(host);
    else if (message.type === 'downloadLatestCheckpoint') void vscode.commands.executeCommand('remoteGpu.downloadLatestCheckpoint', host.id);
  };
  const statusBar = new GpuStatusBar(hub);
  const person = new PersonActivity();
  const dashboards = new DashboardPanels({
    extensionUri: context.extensionUri,
    hub,
    logger: logger.child('dashboard'),
    onRequest,
    onFocusHost: (h) => {
      statusBar.focus(h);
      if (h) person.report(h.id, 'dashboardFocus');
    },
    checkpoints: checkpoints.monitors,
    sections: (host) => machineLines.sections?.(host) ?? [],
  });
  const monitor = new GpuMonitorView({ extensionUri: context.extensionUri, hub, logger: logger.child('monitor'), onRequest });
  context.subscriptions.push(
    person,
    statusBar,
    dashboards,
    monitor,
    vscode.window.registerWebviewViewProvider(GPU_MONITOR_VIEW_ID, monitor),
    treeView.onDidChangeSelection((e) => {
      const node = e.selection[0];
      if (node && (node.kind === 'host' || node.kind === 'gpu' || node.kind === 'error' || node.kind === 'instance') && node.host) monitor.show(node.host);
    }),
  );
  return { tree, treeView, dashboards, person, machineLines };
}

/**
 * Whether auto-stop or a budget's stop acts on cloud instances, so the provider lists are needed while the view is
 * hidden (auto-stop watches what the tree lists).
 */
function cloudListNeeded(): boolean {
  const s = readAutoStopSettings();
  const budgets = readBudgetSettings();
  return s.enabled || Object.values(s.enabledFor).some((on) => on) || (budgets.action !== 'notify' && budgets.budgets.length > 0);
}
