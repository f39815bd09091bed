import * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import { watchdogStopFor, type StopTarget } from '../../core/idle/stopAction';
import type { Logger } from '../../core/logger';
import { runRemote, type RemoteExec } from '../../core/remote/remoteCommand';
import { describeWatchdog, heartbeatCommand, installWatchdogCommand, uninstallWatchdogCommand, type WatchdogStatus } from '../../core/watchdog/watchdogCommands';
import { watchdogConfigHash } from '../../core/watchdog/watchdogScript';
import { DEFAULT_WATCHDOG_DIR, watchdogConfigFrom, type WatchdogConfig } from '../../core/watchdog/watchdogConfig';
import { watchdogProgressFrom, type WatchdogProgress } from '../../core/watchdog/watchdogProgress';
import { WatchdogSync, type WatchdogDrift } from '../../core/watchdog/watchdogSync';
import { toRemoteGpuError } from '../../core/errors';
import { checkpointSettingsFor } from '../checkpoints/checkpointSettingsReader';
import { resolveHost } from '../commands/hostArgument';
import type { InstancesTreeProvider } from '../tree/instancesTree';
import { isInstanceNode, type InstanceNode } from '../tree/nodes';
import { policyFromSettings, type AutoStopSettings } from './autoStopSettings';

export interface WatchdogFeatureDeps {
  readonly tree: InstancesTreeProvider;
  readonly connection: (host: SshHost) => Promise<RemoteExec>;
  readonly settings: () => AutoStopSettings;
  readonly state: vscode.Memento;
  readonly logger: Logger;
  /** A watchdog's status changed: redraw that host's node. */
  readonly redraw: (hostId: string) => void;
}

const INSTALLED_KEY = 'remoteGpu.watchdogHosts';
const OFFERED_KEY = 'remoteGpu.watchdogOffered';
/** Per host: the log folders and patterns its watchdog was last given (see wantedConfig). */
const PROGRESS_KEY = 'remoteGpu.watchdogProgress';
const HEARTBEAT_EVERY_MS = 60_000;
const STATUS_EVERY_MS = 60_000;

/**
 * Install / Uninstall Watchdog over SSH (the pooled connection), its status in the tree ("watchdog armed: idle 12 of
 * 30 min", read from its state file each minute for hosts it was installed on), and the heartbeat file the extension
 * touches while a person is active there, so the watchdog on the box does not stop a machine someone is using.
 */
export class WatchdogFeature implements vscode.Disposable {
  private readonly statuses = new Map<string, WatchdogStatus>();
  /** Whether each host's watchdog runs with the settings of now (see WatchdogSync), as of its last status read. */
  private readonly drifts = new Map<string, WatchdogDrift>();
  private readonly beats = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly sync: WatchdogSync;
  private round: Promise<void> | undefined;
  private roundAgain = false;
  /** The last unusable-settings problem logged per host, so it is logged once, not every minute. */
  private readonly problems = new Map<string, string>();

  constructor(private readonly deps: WatchdogFeatureDeps) {
    this.sync = new WatchdogSync(deps.logger);
    this.timer = setInterval(() => void this.refreshAll(), STATUS_EVERY_MS);
  }

  /** The tree's line for a host, or undefined where no watchdog was installed from here. */
  describe(hostId: string): string | undefined {
    const s = this.statuses.get(hostId);
    if (!s) return this.installedHosts().includes(hostId) ? vscode.l10n.t('watchdog: status not read yet') : undefined;
    const line = describeWatchdog(s);
    // It judges by older settings than these (the host could not be reached, or refused the update; the log says
    // which, and an unreachable host is tried again at the next status read): say so.
    return this.drifts.get(hostId) === 'outOfDate' ? vscode.l10n.t('{0} (watchdog settings out of date)', line) : line;
  }

  /**
   * Auto-stop or checkpoint settings changed: read every watchdog now (not up to a minute later), which updates
   * those whose config differs from what these settings make.
   */
  settingsChanged(): void {
    void this.refreshAll();
  }

  async install(arg: unknown): Promise<void> {
    const host = await resolveHost(arg, this.deps.tree, vscode.l10n.t('Install the auto-stop watchdog on which host?'));
    // From the palette or the offer the argument is a host id: a cloud instance is still stopped the provider's way.
    const instance = isInstanceNode(arg) ? arg : this.deps.tree.instances().find((n) => n.host?.id === host.id);
    const config = this.configFor(host, instance);
    const { stop, progress } = config;
    const mode = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Installing the watchdog on {0}...', host.label) }, async () =>
      runRemote(await this.deps.connection(host), installWatchdogCommand(config), { timeoutMs: 60_000 }),
    );
    this.deps.logger.info(`watchdog installed on ${host.id} (${mode}, stop: ${stop.kind}, logs: ${progress ? progress.roots.join(', ') : 'not watched'})`);
    this.sync.forget(host.id);
    await this.rememberProgress(host.id, progress);
    await this.remember(host.id, true);
    await this.refresh(host);
    void vscode.window.showInformationMessage(
      stop.kind === 'none'
        ? vscode.l10n.t('Watchdog installed on {0} ({1}). It watches and reports only: this machine has no stop it may run by itself.', host.label, mode)
        : vscode.l10n.t('Watchdog installed on {0} ({1}). It stops the machine after {2} min without GPU work or activity, also with VS Code closed.', host.label, mode, Math.round(config.idleWindowSec / 60)) +
            (progress ? ` ${vscode.l10n.t('A growing log file in {0} also counts as work.', progress.roots.join(', '))}` : ''),
    );
  }

  async uninstall(arg: unknown): Promise<void> {
    const host = await resolveHost(arg, this.deps.tree, vscode.l10n.t('Uninstall the watchdog from which host?'));
    await runRemote(await this.deps.connection(host), uninstallWatchdogCommand(DEFAULT_WATCHDOG_DIR), { timeoutMs: 60_000 });
    this.deps.logger.info(`watchdog uninstalled from ${host.id}`);
    await this.remember(host.id, false);
    await this.rememberProgress(host.id, undefined);
    this.sync.forget(host.id);
    this.statuses.delete(host.id);
    this.drifts.delete(host.id);
    this.deps.redraw(host.id);
    void vscode.window.showInformationMessage(vscode.l10n.t('Watchdog removed from {0}.', host.label));
  }

  /**
   * Auto-stop just started watching this machine: offer the watchdog once (remembered), since auto-stop in VS Code
   * cannot stop anything while VS Code is closed.
   */
  offer(host: SshHost): void {
    if (this.installedHosts().includes(host.id)) return;
    const offered = this.deps.state.get<string[]>(OFFERED_KEY) ?? [];
    if (offered.includes(host.id)) return;
    void this.deps.state.update(OFFERED_KEY, [...offered, host.id]);
    const install = vscode.l10n.t('Install Watchdog');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Auto-stop watches {0} while VS Code runs. Install the watchdog on it so it is also stopped when idle with VS Code closed?', host.label), install)
      .then((b) => b === install && vscode.commands.executeCommand('remoteGpu.installWatchdog', host.id));
  }

  /** A person is active on the host: touch the heartbeat (at most once a minute) where a watchdog runs. */
  personActive(host: SshHost): void {
    if (!this.installedHosts().includes(host.id)) return;
    const now = Date.now();
    if (now - (this.beats.get(host.id) ?? 0) < HEARTBEAT_EVERY_MS) return;
    this.beats.set(host.id, now);
    void this.deps
      .connection(host)
      .then((c) => runRemote(c, heartbeatCommand(DEFAULT_WATCHDOG_DIR), { timeoutMs: 20_000 }))
      .catch((e) => this.deps.logger.warn(`watchdog heartbeat on ${host.id} failed: ${String(e)}`));
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /**
   * The folder and log patterns the extension's own progress signal scans on this host (checkpoint monitor), so the
   * watchdog keeps the same machines. No known project folder: the watchdog judges GPUs and the heartbeat only.
   */
  private progressFor(host: SshHost): WatchdogProgress | undefined {
    const s = checkpointSettingsFor(host, this.deps.state, this.deps.logger);
    return s ? watchdogProgressFrom({ roots: [s.root], patterns: s.progressFiles, exclude: s.exclude, maxDepth: s.maxDepth }) : undefined;
  }

  /**
   * The watchdog config these settings make for a host: the idle rule, the stop (the provider's way for a cloud
   * instance, the configured command for an SSH host) and the log folders. Throws a 'config' error when unusable.
   */
  private configFor(host: SshHost, instance: InstanceNode | undefined): WatchdogConfig {
    const settings = this.deps.settings();
    const stopCommand = stopCommandOf(settings, host);
    const target: StopTarget = instance
      ? { kind: 'instance', provider: instance.providerId, capabilities: instance.capabilities, terminateOptIn: settings.terminateAllowed[instance.providerId] === true }
      : { kind: 'sshHost', ...(stopCommand ? { stopCommand } : {}) };
    // A window that knows no project folder for the host (not attached to it) keeps the folders the watchdog was
    // given, rather than taking the log signal away from it (and two windows pushing their configs in turn).
    const progress = this.progressFor(host) ?? this.deps.state.get<Record<string, WatchdogProgress>>(PROGRESS_KEY)?.[host.id];
    return watchdogConfigFrom(policyFromSettings(settings).policy, watchdogStopFor(target), progress ? { progress } : {});
  }

  /** What the status read compares with; undefined where it cannot be known now (a cloud host not listed yet). */
  private wantedConfig(host: SshHost): { config?: WatchdogConfig; problem?: string } {
    const instance = this.deps.tree.instances().find((n) => n.host?.id === host.id);
    // Without its listing a cloud instance's stop would read as "none": never push that.
    if (host.source === 'cloud' && !instance) return {};
    try {
      return { config: this.configFor(host, instance) };
    } catch (e) {
      const err = toRemoteGpuError(e);
      return { problem: `${err.message} ${err.detail ?? ''}`.trim() };
    }
  }

  private async refresh(host: SshHost): Promise<void> {
    const wanted = this.wantedConfig(host);
    if (wanted.problem && this.problems.get(host.id) !== wanted.problem) this.deps.logger.warn(`watchdog on ${host.id}: these settings make no usable watchdog, so it keeps its old ones: ${wanted.problem}`);
    if (wanted.problem) this.problems.set(host.id, wanted.problem);
    else this.problems.delete(host.id);
    try {
      const r = await this.sync.read(host.id, await this.deps.connection(host), DEFAULT_WATCHDOG_DIR, wanted.config);
      this.statuses.set(host.id, r.status);
      this.drifts.set(host.id, wanted.problem && r.status.installed ? 'outOfDate' : r.drift);
      if (r.status.installed && r.drift === 'current' && wanted.config) await this.rememberProgress(host.id, wanted.config.progress);
    } catch (e) {
      this.deps.logger.warn(`watchdog status of ${host.id} not readable: ${String(e)}`);
      // Not reached: the last status stands; if it was read with other settings, it is out of date now.
      const last = this.statuses.get(host.id);
      if (last?.installed && wanted.config && last.configHash !== watchdogConfigHash(wanted.config)) this.drifts.set(host.id, 'outOfDate');
    }
    this.deps.redraw(host.id);
  }

  private async rememberProgress(hostId: string, progress: WatchdogProgress | undefined): Promise<void> {
    const all = { ...(this.deps.state.get<Record<string, WatchdogProgress>>(PROGRESS_KEY) ?? {}) };
    if (JSON.stringify(all[hostId]) === JSON.stringify(progress)) return;
    if (progress) all[hostId] = progress;
    else delete all[hostId];
    await this.deps.state.update(PROGRESS_KEY, all);
  }

  /**
   * One round at a time: a settings change during the minute's round runs one more round after it, instead of two
   * reads of a host at once that would each see the drift and both push the update.
   */
  private refreshAll(): Promise<void> {
    if (this.round) {
      this.roundAgain = true;
      return this.round;
    }
    this.round = (async () => {
      do {
        this.roundAgain = false;
        for (const id of this.installedHosts()) {
          const host = this.deps.tree.findHost(id);
          if (host) await this.refresh(host);
        }
      } while (this.roundAgain);
    })().finally(() => (this.round = undefined));
    return this.round;
  }

  private installedHosts(): string[] {
    return this.deps.state.get<string[]>(INSTALLED_KEY) ?? [];
  }

  private async remember(hostId: string, installed: boolean): Promise<void> {
    const rest = this.installedHosts().filter((h) => h !== hostId);
    await this.deps.state.update(INSTALLED_KEY, installed ? [...rest, hostId] : rest);
  }
}

function stopCommandOf(s: AutoStopSettings, host: SshHost): readonly string[] | undefined {
  return s.sshStopCommands[host.id] ?? s.sshStopCommands[host.label];
}
