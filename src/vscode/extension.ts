import * as vscode from 'vscode';
import type { SshHost } from '../core/hosts/sshHost';
import type { TelemetryHub } from '../core/services/telemetry/telemetryHub';
import type { CheckpointMonitors } from '../core/services/checkpoints/checkpointMonitor';
import type { CostStatus } from '../shared/costStatus';
import { setTranslator } from '../shared/l10n';
import { setDisplayLocale } from '../shared/localeFormat';
import type { AutoStopFeature } from './autoStop/autoStopFeature';
import { registerCommand } from './commands/commandRunner';
import type { ConnectFeature } from './connect/connectFeature';
import type { CostFeature } from './cost/costFeature';
import type { DashboardPanels } from './dashboard/dashboardPanels';
import type { ScriptableUi } from './advisor/scriptableUi';
import type { Prompts } from './providers/prompts';
import type { ProviderRegistry } from './providers/providerRegistry';
import type { InstancesTreeProvider } from './tree/instancesTree';
import type { TreeNode } from './tree/nodes';
import { wireAutoStopAndCost } from './wiring/autoStopAndCost';
import { wireCloudCommands } from './wiring/cloudCommands';
import { hostCommands } from './wiring/hostCommands';
import { buildRuntime } from './wiring/runtime';
import { watchChanges } from './wiring/settingsChanges';
import { wireViews } from './wiring/views';

/** What activate() returns: used by the in-host integration suites, not a public API. */
export interface RemoteGpuTestApi {
  readonly instancesTree: InstancesTreeProvider;
  readonly providers: ProviderRegistry;
  /** Answers for modals and input boxes of the provider commands (the suites cannot click a modal). */
  readonly prompts: Prompts;
  /** Answers for the quick picks and input boxes of Recommend a GPU and Provision (`quickInput.script`). */
  readonly quickInput: ScriptableUi;
  readonly instancesView: vscode.TreeView<TreeNode>;
  readonly dashboards: DashboardPanels;
  readonly telemetry: TelemetryHub;
  readonly connect: ConnectFeature;
  /** Cost counters, budgets (issue 5). */
  readonly cost: CostFeature;
  /** The dashboard's cost section for a host as it would be posted now: counters and budget rows. */
  readonly costStatus: (host: SshHost) => CostStatus | undefined;
  /** Auto-stop: its warnings are answered through `autoStop.warnings.answer` (a notification cannot be clicked). */
  readonly autoStop: AutoStopFeature;
  /** Per-host checkpoint monitors (dashboard section, tree age, auto-stop's progress signal). */
  readonly checkpoints: CheckpointMonitors;
  readonly activatedInMs: number;
}

/**
 * The composition root: everything is built here, in this order, by the wiring functions of src/vscode/wiring (one
 * per feature area), and owned by the context's subscriptions. No I/O happens here: hosts are read when the view
 * first asks, and a host connects only when something needs it.
 */
export function activate(context: vscode.ExtensionContext): RemoteGpuTestApi {
  const started = Date.now();
  // First, before anything can build a message: core, remote and providers translate through src/shared/l10n's `t`,
  // which cannot import vscode; point it at the display language's bundle (ARCHITECTURE.md, "Languages").
  setTranslator((message, args) => vscode.l10n.t(message, ...args));
  setDisplayLocale(vscode.env.language);

  const rt = buildRuntime(context);
  const views = wireViews(rt);
  const cloud = wireCloudCommands(rt, views);
  const machines = wireAutoStopAndCost(rt, views, cloud.prompts);
  const commands = { ...cloud.commands, ...machines.commands, ...hostCommands(rt, views) };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(registerCommand(id, handler, rt.logger.child('cmd')));
  context.subscriptions.push(...watchChanges(rt, views, machines));

  const activatedInMs = Date.now() - started;
  rt.logger.info(`activated in ${activatedInMs} ms (VS Code ${vscode.version}, ${process.platform}, node ${process.version})`);
  return {
    instancesTree: views.tree,
    providers: rt.providers,
    prompts: cloud.prompts,
    quickInput: cloud.quickInput,
    instancesView: views.treeView,
    dashboards: views.dashboards,
    telemetry: rt.hub,
    connect: rt.connect,
    cost: machines.cost,
    costStatus: machines.costStatus,
    autoStop: machines.autoStop,
    checkpoints: rt.checkpoints.monitors,
    activatedInMs,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
