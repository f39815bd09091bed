import type { SshHost } from '../../core/hosts/sshHost';
import { systemClock } from '../../remote/http/nodeTimers';
import { nodeTimers } from '../../remote/telemetry/nodeTelemetryPorts';
import type { CostStatus } from '../../shared/costStatus';
import { AutoStopFeature } from '../autoStop/autoStopFeature';
import { readAutoStopSettings, readBudgetSettings } from '../autoStop/readSettings';
import { WatchdogFeature } from '../autoStop/watchdogFeature';
import { CostFeature } from '../cost/costFeature';
import { COST_NUDGE_DELAY_MS, CostNudge } from '../cost/costNudge';
import { exportCostReport } from '../cost/exportCostReport';
import { machineViews } from '../cost/machineViews';
import type { Prompts } from '../providers/prompts';
import { beforeStopOf, type CommandTable } from './cloudCommands';
import type { Runtime } from './runtime';
import type { Views } from './views';

/**
 * Cost, budgets, auto-stop and the watchdog (issue 5). One ledger in global storage for every window: the window
 * holding its lease writes and alerts, the others read. Auto-stop stops through the providers like the lifecycle
 * commands, with the same save-before-stop guard, unattended.
 */
export function wireAutoStopAndCost(rt: Runtime, views: Views, prompts: Prompts): {
  cost: CostFeature;
  autoStop: AutoStopFeature;
  watchdog: WatchdogFeature;
  costStatus: (host: SshHost) => CostStatus | undefined;
  /** A budget setting changed: the dashboards' cost sections and the tree lines are redrawn now. */
  costSettingsChanged: () => void;
  commands: CommandTable;
} {
  const { context, logger, providers } = rt;
  const { tree } = views;
  const watchdog = new WatchdogFeature({
    tree,
    connection: (host) => rt.ssh.pool.get(host),
    settings: readAutoStopSettings,
    state: context.globalState,
    logger: logger.child('watchdog'),
    redraw: (id) => tree.redrawHost(id),
  });
  const autoStop = new AutoStopFeature({
    hub: rt.hub,
    instances: () => tree.instances(),
    sshHosts: () => tree.hosts(),
    settings: readAutoStopSettings,
    state: context.globalState,
    clock: systemClock,
    logger: logger.child('autoStop'),
    person: views.person,
    stop: {
      provider: (node) => providers.get(node.providerId),
      connection: (host) => rt.ssh.pool.get(host),
      forgetHost: rt.forgetHost,
      refresh: (node) => tree.refreshProvider(node.providerId),
      logger: logger.child('autoStop'),
      beforeStop: beforeStopOf(rt, prompts, true),
    },
    onPersonActive: (host) => watchdog.personActive(host),
    onWatchStarted: (host) => watchdog.offer(host),
    progress: (host) => rt.checkpoints.monitors.for(host),
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
    // One listing a minute per provider: the tree's poll (visible view, or hidden with auto-stop on) serves both.
    recentListing: async (id) => tree.cloud?.latestListing(id),
    onBudget: (enforce, exceeded) => autoStop.onBudget(enforce, exceeded),
  });
  const lines = machineViews({ tree, cost, autoStop, watchdog, budgets: readBudgetSettings });
  views.machineLines.treeText = lines.treeText;
  views.machineLines.sections = lines.sections;
  // "This machine" right after a launch (and a new rate right after a stop) instead of up to a minute later.
  const nudge = new CostNudge({ timers: nodeTimers, known: (key) => cost.costOf(key) !== undefined, tick: () => cost.tick(), delayMs: COST_NUDGE_DELAY_MS });
  views.machineLines.onListed = (id, instances) => nudge.listed(id, instances);
  context.subscriptions.push(watchdog, autoStop, cost, nudge, cost.onDidChange(lines.redraw));
  cost.start();
  const commands: CommandTable = {
    'remoteGpu.exportCostReport': (arg) => exportCostReport({ storageDir: context.globalStorageUri.fsPath, providers: () => providers.configured(), logger: logger.child('cost') }, arg),
    'remoteGpu.installWatchdog': (arg) => watchdog.install(arg),
    'remoteGpu.uninstallWatchdog': (arg) => watchdog.uninstall(arg),
  };
  return { cost, autoStop, watchdog, costStatus: lines.status, costSettingsChanged: lines.settingsChanged, commands };
}
