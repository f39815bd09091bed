import * as vscode from 'vscode';
import { GpuInventoryService } from '../core/services/gpuInventoryService';
import { TelemetryHub } from '../core/services/telemetry/telemetryHub';
import { nodeTimers, poolTelemetryConnect } from '../remote/telemetry/nodeTelemetryPorts';
import type { WebviewToHostMessage } from '../shared/dashboardMessages';
import type { SshHost } from '../core/hosts/sshHost';
import { createOutputLogger } from './adapters/outputLogger';
import { readSshSettings, readTelemetrySettings, SECTION } from './adapters/settings';
import { SshRuntime } from './adapters/sshRuntime';
import { addSshHost } from './commands/addSshHost';
import { downloadLatestCheckpoint, scriptedArgs } from './checkpoints/downloadLatestCheckpoint';
import { CheckpointFeature } from './checkpoints/checkpointFeature';
import { guardStop } from './checkpoints/stopGuard';
import type { CheckpointMonitors } from '../core/services/checkpoints/checkpointMonitor';
import { registerCommand } from './commands/commandRunner';
import { copySshCommand, openInRemoteSsh, openTerminal, type ConnectDeps } from './commands/connectCommands';
import { ConnectFeature } from './connect/connectFeature';
import { exportCostReport } from './cost/exportCostReport';
import { CostFeature } from './cost/costFeature';
import { machineViews } from './cost/machineViews';
import type { SnapshotSection } from './dashboard/telemetryBinding';
import { AutoStopFeature } from './autoStop/autoStopFeature';
import { joinExtras, PersonActivity, reportTerminalActivity } from './autoStop/personActivity';
import { readAutoStopSettings, readBudgetSettings } from './autoStop/readSettings';
import { WatchdogFeature } from './autoStop/watchdogFeature';
import { resolveHost } from './commands/hostArgument';
import { openSshConfig, watchSshConfig } from './commands/sshConfigFile';
import { DashboardPanels } from './dashboard/dashboardPanels';
import { GPU_MONITOR_VIEW_ID, GpuMonitorView } from './dashboard/gpuMonitorView';
import { loadHostCatalog } from './hosts/hostCatalog';
import { GpuStatusBar } from './statusBar/gpuStatusBar';
import { instanceIdentityFiles, isProviderId, readProviderSettings } from './providers/providerSettings';
import { ProviderRegistry } from './providers/providerRegistry';
import { removeApiKey, setApiKey } from './providers/apiKeyCommands';
import { runLifecycle } from './providers/lifecycleCommands';
import { Prompts } from './providers/prompts';
import { provisionCommand, type ProvisionCommandDeps } from './provisioning/provisionCommand';
import { recommendGpu } from './advisor/recommendGpuCommand';
import type { Candidate } from '../core/provisioning/offerFilter';
import { poolSshProbe } from '../remote/sshReadyProbe';
import { nodeSleep, systemClock } from '../remote/http/nodeTimers';
import { InstancePoller } from './tree/instancePoller';
import { InstancesTreeProvider } from './tree/instancesTree';
import { LiveGpuUpdates } from './tree/liveGpuUpdates';
import type { InstanceNode, TreeNode } from './tree/nodes';
import type { TerminalChannel } from './terminal/sshPseudoterminal';
import { setTranslator } from '../shared/l10n';
import { setDisplayLocale } from '../shared/localeFormat';

/** What activate() returns: used by the in-host integration suites, not a public API. */
export interface RemoteGpuTestApi {
  readonly instancesTree: InstancesTreeProvider;
  readonly providers: ProviderRegistry;
  /** Answers for modals and input boxes of the provider commands (the suites cannot click a modal). */
  readonly prompts: Prompts;
  readonly instancesView: vscode.TreeView<TreeNode>;
  readonly dashboards: DashboardPanels;
  readonly telemetry: TelemetryHub;
  readonly connect: ConnectFeature;
  /** Cost counters, budgets (issue 5). */
  readonly cost: CostFeature;
  /** Auto-stop: its warnings are answered through `autoStop.warnings.answer` (a notification cannot be clicked). */
  readonly autoStop: AutoStopFeature;
  /** Per-host checkpoint monitors (dashboard section, tree age, auto-stop's progress signal). */
  readonly checkpoints: CheckpointMonitors;
  readonly activatedInMs: number;
}

/** The composition root: everything is built and wired here, and owned by the context's subscriptions. */
export function activate(context: vscode.ExtensionContext): RemoteGpuTestApi {
  const started = Date.now();
  // First, before anything can build a message: core, remote and providers translate through src/shared/l10n's `t`,
  // which cannot import vscode; point it at the display language's bundle (ARCHITECTURE.md, "Languages").
  setTranslator((message, args) => vscode.l10n.t(message, ...args));
  setDisplayLocale(vscode.env.language);
  const channel = vscode.window.createOutputChannel('Remote GPU', { log: true });
  const logger = createOutputLogger(channel);
  const ssh = new SshRuntime(createOutputLogger(channel, 'ssh'));
  const inventory = new GpuInventoryService((host) => ssh.pool.get(host), () => readSshSettings().commandTimeoutMs);
  const hub = new TelemetryHub(
    { connect: poolTelemetryConnect({ get: (host) => ssh.pool.get(host) }), clock: Date, timers: nodeTimers, random: Math.random, logger: logger.child('telemetry') },
    () => readTelemetrySettings(),
  );
  context.subscriptions.push(channel, ssh, { dispose: () => hub.dispose() });

  // Cloud provider clients; nothing is built or called until the tree or a command asks (EC2's SDK loads lazily).
  const providers = new ProviderRegistry({ secrets: context.secrets, logger: logger.child('providers') });
  context.subscriptions.push(providers);

  // Connect (managed ssh config) and Forward Port; owns every local forward, closed on dispose.
  const connectFeature = new ConnectFeature({ logger: logger.child('connect'), connection: (host) => ssh.pool.get(host) });
  context.subscriptions.push(connectFeature);

  // A cloud instance's address changed or went away: its pooled connection, GPU list and port forwards are stale.
  const forgetHost = (hostId: string): void => {
    ssh.pool.drop(hostId);
    inventory.invalidate(hostId);
    void connectFeature.forwards.stopHost(hostId);
  };

  // Checkpoints: looked at only while a dashboard, an expanded tree node or auto-stop holds the host's monitor.
  const checkpoints = new CheckpointFeature({
    connection: (host) => ssh.pool.get(host),
    hub,
    state: context.globalState,
    logger: logger.child('checkpoints'),
    redrawHost: (id) => tree.redrawHost(id),
  });
  context.subscriptions.push(checkpoints);

  // Cost, auto-stop and watchdog text for the tree's machine lines; set once those features exist (they need the tree).
  const costText: { current?: (hostId: string) => { description: string; tooltip: string } | undefined } = {};
  // The tree asks LiveGpuUpdates for readings, and LiveGpuUpdates needs the tree view: a late-bound reference.
  const live: { current?: LiveGpuUpdates } = {};
  const tree = new InstancesTreeProvider({
    logger: logger.child('tree'),
    loadHosts: async () => {
      const snapshot = await loadHostCatalog(logger.child('hosts'));
      connectFeature.onSshHostsListed(snapshot.hosts);
      return snapshot;
    },
    forwardsOf: connectFeature.forwardsOf,
    inventory,
    setContext: (key, value) => void vscode.commands.executeCommand('setContext', key, value),
    liveReading: (host, gpu) => live.current?.reading(host, gpu),
    hostExtra: (hostId) => joinExtras(checkpoints.treeText(hostId), costText.current?.(hostId)),
    cloud: {
      source: providers,
      visible: () => readProviderSettings().visible,
      identityFiles: instanceIdentityFiles,
      forgetHost,
      onListed: connectFeature.onInstancesListed,
    },
  });
  const treeView = vscode.window.createTreeView<TreeNode>('remoteGpu.instances', { treeDataProvider: tree, showCollapseAll: true });
  live.current = new LiveGpuUpdates(treeView, tree, hub, inventory);
  context.subscriptions.push(tree, treeView, live.current);
  checkpoints.watchTree(treeView);
  if (tree.cloud) context.subscriptions.push(new InstancePoller(treeView, tree.cloud));

  const onRequest = (host: SshHost, message: WebviewToHostMessage): void => {
    if (message.type === 'openTerminal') void vscode.commands.executeCommand('remoteGpu.openTerminal', host.id);
    else if (message.type === 'showLogs') channel.show(true);
    else if (message.type === 'openDashboard') dashboards.open(host);
    else if (message.type === 'downloadLatestCheckpoint') void vscode.commands.executeCommand('remoteGpu.downloadLatestCheckpoint', host.id);
  };
  const statusBar = new GpuStatusBar(hub);
  // A person's activity on a host (terminal, dashboard focus, a Remote-SSH window on it) for auto-stop's person signal.
  const person = new PersonActivity();
  context.subscriptions.push(person);
  const onFocusHost = (h: SshHost | undefined): void => {
    statusBar.focus(h);
    if (h) person.report(h.id, 'dashboardFocus');
  };
  // The cost and auto-stop section of a dashboard; late-bound like costText (those features need the tree).
  const costSections: { current?: (host: SshHost) => SnapshotSection[] } = {};
  const dashboards = new DashboardPanels({
    extensionUri: context.extensionUri,
    hub,
    logger: logger.child('dashboard'),
    onRequest,
    onFocusHost,
    checkpoints: checkpoints.monitors,
    sections: (host) => costSections.current?.(host) ?? [],
  });
  const monitor = new GpuMonitorView({ extensionUri: context.extensionUri, hub, logger: logger.child('monitor'), onRequest });
  context.subscriptions.push(
    statusBar,
    dashboards,
    monitor,
    vscode.window.registerWebviewViewProvider(GPU_MONITOR_VIEW_ID, monitor),
    treeView.onDidChangeSelection((e) => {
      const node = e.selection[0];
      if (node && (node.kind === 'host' || node.kind === 'gpu' || node.kind === 'error' || node.kind === 'instance') && node.host) monitor.show(node.host);
    }),
  );

  const connect: ConnectDeps = {
    tree,
    logger,
    openShell: async (host, size): Promise<TerminalChannel> =>
      reportTerminalActivity(await (await ssh.pool.get(host)).openShell({ ...size, term: 'xterm-256color' }), (source) => person.report(host.id, source)),
  };
  const retry = (arg: unknown): void => {
    // A provider's error child passes "provider:<id>" (or is the node itself): ask that provider again.
    const providerId = typeof arg === 'string' && arg.startsWith('provider:') ? arg.slice('provider:'.length) : (arg as { kind?: unknown; providerId?: unknown } | undefined)?.kind === 'providerError' ? (arg as { providerId: unknown }).providerId : undefined;
    if (isProviderId(providerId)) return tree.refreshProvider(providerId);
    const hostId = typeof arg === 'string' ? arg : (arg as { host?: { id?: unknown } } | undefined)?.host?.id;
    if (typeof hostId !== 'string') return tree.refreshAll();
    ssh.pool.drop(hostId);
    tree.refreshHost(hostId);
  };
  const prompts = new Prompts();
  const keyDeps = { registry: providers, prompts, logger: logger.child('keys') };
  const lifecycle = {
    providers,
    tree,
    prompts,
    logger: logger.child('lifecycle'),
    forgetHost,
    beforeStop: (node: InstanceNode, action: 'stop' | 'terminate'): Promise<boolean> =>
      node.host
        ? guardStop({ connection: (h) => ssh.pool.get(h), state: context.globalState, prompts, logger: logger.child('checkpoints') }, node.host, action, node.instance.name || node.instance.id)
        : Promise.resolve(true),
  };
  // The advisor's chosen offer, or undefined when it was cancelled: Provision goes on from it.
  const recommendOffer = async (): Promise<Candidate | undefined> => {
    const outcome = await recommendGpu({ configured: () => providers.configured() });
    return outcome.kind === 'chosen' ? outcome.candidate : undefined;
  };
  const provisionDeps: ProvisionCommandDeps = {
    configured: () => providers.configured(),
    // ssh.pool is read per attempt: a settings change rebuilds the pool while a launch may be waiting.
    sshProbe: { attempt: (target, signal) => poolSshProbe(ssh.pool).attempt(target, signal) },
    logger: logger.child('provision'),
    clock: systemClock,
    sleep: nodeSleep,
    identityFiles: instanceIdentityFiles,
    refresh: (id) => tree.refreshProvider(id),
    connectCommand: 'remoteGpu.connect',
    recommend: recommendOffer,
  };
  // Cost, budgets and auto-stop (issue 5). One ledger in global storage for every window: the window holding its
  // lease writes and alerts, the others read. Auto-stop stops through the providers like the lifecycle commands.
  const watchdog: WatchdogFeature = new WatchdogFeature({
    tree,
    connection: (host) => ssh.pool.get(host),
    settings: readAutoStopSettings,
    state: context.globalState,
    logger: logger.child('watchdog'),
    redraw: (id) => tree.redrawHost(id),
  });
  const autoStop = new AutoStopFeature({
    hub,
    instances: () => tree.instances(),
    sshHosts: () => tree.hosts(),
    settings: readAutoStopSettings,
    state: context.globalState,
    clock: systemClock,
    logger: logger.child('autoStop'),
    person,
    stop: {
      provider: (node) => providers.get(node.providerId),
      connection: (host) => ssh.pool.get(host),
      forgetHost,
      refresh: (node) => tree.refreshProvider(node.providerId),
      logger: logger.child('autoStop'),
      beforeStop: (node, action) =>
        node.host
          ? guardStop({ connection: (h) => ssh.pool.get(h), state: context.globalState, prompts, logger: logger.child('checkpoints') }, node.host, action, node.instance.name || node.instance.id, { unattended: true })
          : Promise.resolve(true),
    },
    onPersonActive: (host) => watchdog.personActive(host),
    onWatchStarted: (host) => watchdog.offer(host),
    progress: (host) => checkpoints.monitors.for(host),
  });
  const cost = new CostFeature({
    storageDir: context.globalStorageUri.fsPath,
    providers: () => providers.configured(),
    sshHosts: async () => (await tree.hosts()).flatMap((h) => (h.source !== 'cloud' && h.pricePerHourMicros ? [{ id: h.id, label: h.label, microsPerHour: h.pricePerHourMicros }] : [])),
    budgets: readBudgetSettings,
    state: context.globalState,
    clock: systemClock,
    logger: logger.child('cost'),
    intervalMs: 60_000,
    onBudget: (enforce, exceeded) => autoStop.onBudget(enforce, exceeded),
  });
  const views = machineViews({ tree, cost, autoStop, watchdog });
  costText.current = views.treeText;
  costSections.current = views.sections;
  context.subscriptions.push(watchdog, autoStop, cost, cost.onDidChange(views.redraw));
  cost.start();

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'remoteGpu.setApiKey': (arg) => setApiKey(keyDeps, arg),
    'remoteGpu.removeApiKey': (arg) => removeApiKey(keyDeps, arg),
    'remoteGpu.stopInstance': (arg) => runLifecycle(lifecycle, 'stop', arg),
    'remoteGpu.startInstance': (arg) => runLifecycle(lifecycle, 'start', arg),
    'remoteGpu.terminateInstance': (arg) => runLifecycle(lifecycle, 'terminate', arg),
    'remoteGpu.rebootInstance': (arg) => runLifecycle(lifecycle, 'reboot', arg),
    'remoteGpu.provision': (arg) => provisionCommand(provisionDeps, arg),
    'remoteGpu.recommendGpu': async () => {
      const candidate = await recommendOffer();
      if (candidate) await provisionCommand(provisionDeps, undefined, candidate);
    },
    'remoteGpu.refresh': () => tree.refreshAll(),
    'remoteGpu.retry': retry,
    'remoteGpu.addSshHost': () => addSshHost(() => tree.refreshAll()),
    'remoteGpu.openTerminal': (arg) => openTerminal(connect, arg),
    'remoteGpu.openInRemoteSsh': (arg) => openInRemoteSsh(connect, arg),
    'remoteGpu.copySshCommand': (arg) => copySshCommand(connect, arg),
    'remoteGpu.openDashboard': async (arg) => dashboards.open(await resolveHost(arg, tree, vscode.l10n.t('Open the GPU dashboard of which host?'))),
    'remoteGpu.downloadLatestCheckpoint': (arg, args) =>
      downloadLatestCheckpoint(
        { tree, connection: (host) => ssh.pool.get(host), state: context.globalState, logger: logger.child('checkpoints') },
        arg,
        scriptedArgs(args),
      ),
    'remoteGpu.exportCostReport': (arg) => exportCostReport({ storageDir: context.globalStorageUri.fsPath, providers: () => providers.configured(), logger: logger.child('cost') }, arg),
    'remoteGpu.installWatchdog': (arg) => watchdog.install(arg),
    'remoteGpu.uninstallWatchdog': (arg) => watchdog.uninstall(arg),
    'remoteGpu.showLogs': () => channel.show(true),
    'remoteGpu.openSshConfig': () => openSshConfig(),
    ...connectFeature.commands(tree, connect),
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(registerCommand(id, handler, logger.child('cmd')));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.telemetry`)) hub.setInterval(readTelemetrySettings().intervalMs);
      if (e.affectsConfiguration(`${SECTION}.autoStop`)) autoStop.reload();
      if (e.affectsConfiguration(`${SECTION}.budget`) || e.affectsConfiguration(`${SECTION}.sshHosts`)) void cost.tick();
      if (e.affectsConfiguration(`${SECTION}.ssh`)) ssh.rebuild();
      if (e.affectsConfiguration(`${SECTION}.ssh`) || e.affectsConfiguration(`${SECTION}.sshHosts`)) tree.refreshAll();
    }),
    watchSshConfig(() => tree.refreshAll()),
    providers.onDidChange((id) => tree.refreshCloud(id)),
    { dispose: connectFeature.forwards.onDidChange((hostId) => tree.redrawHost(hostId)) },
  );

  const activatedInMs = Date.now() - started;
  logger.info(`activated in ${activatedInMs} ms (VS Code ${vscode.version}, ${process.platform}, node ${process.version})`);
  return { instancesTree: tree, providers, prompts, instancesView: treeView, dashboards, telemetry: hub, connect: connectFeature, cost, autoStop, checkpoints: checkpoints.monitors, activatedInMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
