import * as vscode from 'vscode';
import type { BudgetAction, BudgetEffect } from '../../core/cost/budgets';
import type { SshHost } from '../../core/hosts/sshHost';
import type { ActivitySource, IdleEffect, IdleVerdict, StopReason } from '../../core/idle/idleTypes';
import type { IdlePolicy } from '../../core/idle/policy';
import { planBudgetStop, planStop, type StopTarget } from '../../core/idle/stopAction';
import type { Logger } from '../../core/logger';
import type { Clock } from '../../core/providers/time';
import { AutoStopService, type StoredAutoStop } from '../../core/services/autoStop/autoStopService';
import type { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import type { InstanceNode } from '../tree/nodes';
import { autoStopEnabled, budgetOnlyPolicy, policyFromSettings, type AutoStopSettings } from './autoStopSettings';
import { inBudgetScope } from '../cost/budgetSettings';
import type { PersonActivity } from './personActivity';
import { stopMachine, type StopMachineDeps, type StopSubject } from './stopMachine';
import { StopWarnings } from './stopWarnings';
import { TelemetryFeed } from './telemetryFeed';

/** A machine auto-stop can watch: a listed cloud instance, or an SSH host (ledger key "ssh:<host id>"). */
interface Machine {
  readonly key: string;
  readonly label: string;
  readonly host?: SshHost;
  readonly running: boolean;
  readonly launchedAt?: number;
  readonly subject: StopSubject;
  readonly target: StopTarget;
}

export interface AutoStopFeatureDeps {
  readonly hub: TelemetryHub;
  readonly instances: () => readonly InstanceNode[];
  readonly sshHosts: () => Promise<readonly SshHost[]>;
  readonly settings: () => AutoStopSettings;
  readonly state: vscode.Memento;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly person: PersonActivity;
  readonly stop: StopMachineDeps;
  /** Auto-stop (not only a budget) started watching a machine: the watchdog is offered for it. */
  readonly onWatchStarted?: (host: SshHost) => void;
  /** A person was active on a host (the watchdog's heartbeat follows it). */
  readonly onPersonActive?: (host: SshHost) => void;
  /**
   * The progress signal: a host's checkpoint monitor (src/vscode/checkpoints). Held while the machine is watched; each
   * newer finished checkpoint, and each look in which a log file grew, counts as work.
   */
  readonly progress?: (host: SshHost) => ProgressSource;
  /** How often time moves on for the idle rule and the machine list is read again. */
  readonly tickMs?: number;
}

/** A host's checkpoint monitor as auto-stop sees it: new checkpoints, and logs that grew since the previous look. */
interface ProgressSource {
  acquire(consumerId: string): () => void;
  onNewCheckpoint(listener: (c: { readonly path: string }) => void): () => void;
  onLogGrew(listener: (g: { readonly path: string; readonly grewBytes: number }) => void): () => void;
}

const STATE_KEY = 'remoteGpu.autoStopState';
const BUDGET_KEY = 'remoteGpu.autoStopBudget';

/**
 * Auto-stop in this window: holds a telemetry consumer for every running machine under auto-stop (so its GPUs are
 * sampled while no dashboard is open), feeds samples, person activity and (later) progress to AutoStopService, and
 * turns the service's effects into warnings, keeps and stops. The idle state and keeps live in globalState, so a
 * reload resumes the count and a stop is never sent twice.
 */
export class AutoStopFeature implements vscode.Disposable {
  readonly warnings: StopWarnings;
  readonly service: AutoStopService;
  private readonly watches = new Map<string, { release: () => void; unsubscribe: () => void }>();
  private machines = new Map<string, Machine>();
  /** Machines seen not running since their last watch: seeing them running again re-arms a finished stop. */
  private readonly seenDown = new Set<string>();
  private policy: IdlePolicy;
  private settingsNow: AutoStopSettings;
  /** Machines under a budget's 100 % action: which action, and the budget scope that put them there. */
  private budget: Record<string, { action: Exclude<BudgetAction, 'notify'>; scope: string }>;
  private timer: NodeJS.Timeout | undefined;
  /** The timer's period now: follows the policy's bucket, so a short window set later gets fine ticks too. */
  private tickEvery = 0;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: AutoStopFeatureDeps) {
    this.settingsNow = deps.settings();
    this.policy = this.readPolicy();
    this.budget = deps.state.get(BUDGET_KEY) ?? {};
    this.warnings = new StopWarnings(() => deps.clock.now());
    this.service = new AutoStopService({
      clock: deps.clock,
      store: { load: () => deps.state.get<StoredAutoStop>(STATE_KEY), save: (s) => Promise.resolve(deps.state.update(STATE_KEY, s)) },
      actions: { warn: (k, e) => this.warn(k, e), withdraw: (k, e) => this.withdraw(k, e), stop: (k, e) => this.stop(k, e) },
      logger: deps.logger,
      policyFor: (key) => this.policyFor(key),
    });
    this.subscriptions.push(
      deps.person.onActivity((matches, source) => this.personActive(matches, source)),
      { dispose: this.service.onChange((key) => this.changed.fire(key)).dispose },
    );
    this.retime();
  }

  /** The settings changed: a new policy for every machine, the timer's period with it, and the watch list follows the new switches. */
  reload(): void {
    this.settingsNow = this.deps.settings();
    this.policy = this.readPolicy();
    this.retime();
    void this.reconcile();
  }

  /** How often time moves on now (ms). */
  get tickEveryMs(): number {
    return this.tickEvery;
  }

  verdict(key: string): IdleVerdict | undefined {
    return this.service.verdict(key);
  }

  audit(key: string): readonly string[] {
    return this.service.audit(key);
  }

  /** Whether auto-stop (or a budget's action) watches this machine now. */
  watching(key: string): boolean {
    return this.watches.has(key);
  }

  /** The checkpoint issue's signal lands here: a new checkpoint or a growing log on a machine counts as work. */
  progress(key: string, what: 'checkpoint' | 'logGrew', path: string): Promise<void> {
    return this.service.observe(key, { kind: 'progress', what, path });
  }

  /** The budgets at this round: enforce the 100 % actions through the same warning path, clear the ones that ended. */
  onBudget(enforce: readonly Extract<BudgetEffect, { kind: 'enforce' }>[], exceeded: readonly string[]): void {
    void (async () => {
      await this.reconcile(false);
      for (const e of enforce) {
        for (const m of this.machines.values()) {
          if (!m.running || !inBudgetScope(e.scope, m.key) || this.budget[m.key]) continue;
          const plan = planBudgetStop(e.action, m.target);
          if (plan.action === 'none') {
            // No warning that promises a stop which cannot happen: say so in the log (the alert was shown already).
            this.deps.logger.info(`budget: ${m.key} is left running: ${plan.why}`);
            continue;
          }
          this.budget[m.key] = { action: e.action, scope: e.scope };
          await this.deps.state.update(BUDGET_KEY, this.budget);
          // Started again since an earlier stop: arm it afresh first, or the old stop would swallow the budget.
          if (this.seenDown.delete(m.key) || this.stoppedLongAgo(m.key)) await this.service.observe(m.key, { kind: 'running' });
          await this.service.observe(m.key, { kind: 'budgetExceeded', detail: e.message.replace(/\.$/, '') });
        }
      }
      for (const [key, b] of Object.entries(this.budget)) {
        if (exceeded.includes(b.scope)) continue;
        await this.service.observe(key, { kind: 'budgetCleared' });
        delete this.budget[key];
        await this.deps.state.update(BUDGET_KEY, this.budget);
      }
      await this.reconcile();
    })().catch((e) => this.deps.logger.error('auto-stop: budget enforcement failed', e));
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    for (const w of this.watches.values()) {
      w.unsubscribe();
      w.release();
    }
    this.watches.clear();
    for (const s of this.subscriptions) s.dispose();
    this.warnings.dispose();
    this.changed.dispose();
  }

  /**
   * (Re)starts the timer when its period changes: a bucket's end is seen within a tick, so with a 6 s window (1.2 s
   * buckets) a 5 s tick would judge several buckets at once and warn late. Unchanged period: the timer runs on.
   */
  private retime(): void {
    const every = tickIntervalMs(this.policy, this.deps.tickMs);
    if (this.disposed || (this.timer && every === this.tickEvery)) return;
    clearInterval(this.timer);
    this.tickEvery = every;
    this.timer = setInterval(() => void this.tick(), every);
  }

  private readPolicy(): IdlePolicy {
    const { policy, problems } = policyFromSettings(this.settingsNow);
    if (problems.length > 0) this.deps.logger.warn(`auto-stop settings not usable, using the defaults: ${problems.join('; ')}`);
    return policy;
  }

  private policyFor(key: string): IdlePolicy | undefined {
    const m = this.machines.get(key);
    // A machine nothing may stop (an SSH host without a stop command, Lambda without the terminate opt-in) is not
    // watched for idleness: a warning would promise a stop that cannot come.
    if (autoStopEnabled(this.settingsNow, key, m?.label) && !(m && planStop(m.target).action === 'none')) return this.policy;
    return this.budget[key] ? budgetOnlyPolicy(this.policy) : undefined;
  }

  /** A stop recorded minutes ago while the machine runs now: it was started again (maybe while VS Code was closed). */
  private stoppedLongAgo(key: string): boolean {
    const stop = this.deps.state.get<StoredAutoStop>(STATE_KEY)?.[key]?.stop;
    return stop !== undefined && this.deps.clock.now() - stop.at > 5 * 60_000;
  }

  private async tick(): Promise<void> {
    try {
      await this.reconcile();
      this.deps.person.remoteWindowFocused();
      await this.service.tickAll();
    } catch (e) {
      this.deps.logger.error('auto-stop: tick failed', e);
    }
  }

  /** Reads the machine list again and holds a telemetry consumer for exactly the running machines under a policy. */
  private async reconcile(watch = true): Promise<void> {
    const next = new Map<string, Machine>();
    const s = this.settingsNow;
    for (const node of this.deps.instances()) {
      const key = `${node.providerId}:${node.instance.id}`;
      next.set(key, {
        key,
        label: node.instance.name || node.instance.id,
        ...(node.host ? { host: node.host } : {}),
        running: node.instance.state === 'running',
        ...(node.instance.createdAt !== undefined ? { launchedAt: node.instance.createdAt } : {}),
        subject: { kind: 'instance', node },
        target: { kind: 'instance', provider: node.providerId, capabilities: node.capabilities, terminateOptIn: s.terminateAllowed[node.providerId] === true },
      });
      if (node.instance.state === 'terminated') await this.service.forget(key);
    }
    for (const host of await this.deps.sshHosts().catch(() => [])) {
      if (host.source === 'cloud') continue;
      const key = `ssh:${host.id}`;
      const stopCommand = s.sshStopCommands[host.id] ?? s.sshStopCommands[host.label];
      next.set(key, { key, label: host.label, host, running: true, subject: { kind: 'sshHost', host }, target: { kind: 'sshHost', ...(stopCommand ? { stopCommand } : {}) } });
    }
    this.machines = next;
    for (const m of next.values()) {
      if (!m.running) this.seenDown.add(m.key);
      // Seen down and now running again: a machine stopped earlier is armed afresh (before any budget or watch needs
      // it). Not before: right after our own stop the tree may still list it as running for a poll or two.
      else if (this.seenDown.has(m.key) && this.policyFor(m.key)) {
        this.seenDown.delete(m.key);
        await this.service.observe(m.key, { kind: 'running' });
      }
    }
    if (!watch) return;
    for (const m of next.values()) {
      const wanted = m.running && m.host !== undefined && this.policyFor(m.key) !== undefined;
      if (wanted && !this.watches.has(m.key)) await this.watch(m);
      if (!wanted) this.unwatch(m.key);
    }
    for (const key of [...this.watches.keys()]) if (!next.has(key)) this.unwatch(key);
  }

  private async watch(m: Machine): Promise<void> {
    if (!m.host) return;
    const telemetry = this.deps.hub.for(m.host);
    const feed = new TelemetryFeed();
    const release = telemetry.acquire(`autostop:${m.key}`);
    const unsubscribeTelemetry = telemetry.onChange((view) => {
      const obs = feed.next(view, this.deps.clock.now());
      if (obs) void this.service.observe(m.key, obs);
    });
    const checkpoints = this.deps.progress?.(m.host);
    const releaseCheckpoints = checkpoints?.acquire(`autoStop:${m.key}`);
    const unsubscribeCheckpoints = checkpoints?.onNewCheckpoint((c) => void this.service.observe(m.key, { kind: 'progress', what: 'checkpoint', path: c.path }));
    const unsubscribeLogs = checkpoints?.onLogGrew((g) => void this.service.observe(m.key, { kind: 'progress', what: 'logGrew', path: g.path, bytes: g.grewBytes }));
    const unsubscribe = (): void => {
      unsubscribeTelemetry();
      unsubscribeCheckpoints?.();
      unsubscribeLogs?.();
      releaseCheckpoints?.();
    };
    this.watches.set(m.key, { release, unsubscribe });
    this.deps.logger.info(`auto-stop: watching ${m.key} (${m.label})`);
    if (autoStopEnabled(this.settingsNow, m.key, m.label)) this.deps.onWatchStarted?.(m.host);
    // The provider's launch time drives the maximum runtime.
    if (m.launchedAt !== undefined) await this.service.observe(m.key, { kind: 'launched', at: m.launchedAt });
  }

  private unwatch(key: string): void {
    const w = this.watches.get(key);
    if (!w) return;
    w.unsubscribe();
    w.release();
    this.watches.delete(key);
  }

  private personActive(matches: (h: SshHost) => boolean, source: ActivitySource): void {
    for (const m of this.machines.values()) {
      if (!m.host || !matches(m.host)) continue;
      void this.service.observe(m.key, { kind: 'activity', source });
      this.deps.onPersonActive?.(m.host);
    }
  }

  private warn(key: string, e: Extract<IdleEffect, { kind: 'warn' }>): void {
    const label = this.machines.get(key)?.label ?? key;
    this.warnings.show(key, label, e.stopAt, Math.round((this.policy.keepMs / 60_000) * 10) / 10, e.explanation, (choice) => {
      const obs = choice === 'stopNow' ? { kind: 'stopNow' as const } : { kind: 'keep' as const, until: choice === 'keep' ? ('keepWindow' as const) : ('untilISay' as const) };
      void this.service.observe(key, obs);
    });
  }

  private withdraw(key: string, e: Extract<IdleEffect, { kind: 'cancelWarning' }>): void {
    this.warnings.clear(key);
    const label = this.machines.get(key)?.label ?? key;
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} will not be stopped: {1}', label, e.explanation));
  }

  private async stop(key: string, e: Extract<IdleEffect, { kind: 'stop' }>): Promise<void> {
    this.warnings.clear(key);
    const m = this.machines.get(key);
    if (!m) {
      this.deps.logger.warn(`auto-stop: ${key} is no longer listed; nothing to stop`);
      return;
    }
    const budget = this.budget[key];
    const plan = e.reason === 'budget' && budget ? planBudgetStop(budget.action, m.target) : planStop(m.target);
    this.deps.logger.info(`auto-stop ${key}: ${plan.action} (${plan.why})`);
    this.unwatch(key);
    await stopMachine(this.deps.stop, m.subject, plan, reasonText(e.reason));
  }
}

/** At most 5 s, and at least once per GPU bucket; a fixed period from the deps (tests) wins. */
export function tickIntervalMs(policy: IdlePolicy, fixed?: number): number {
  return fixed ?? Math.min(5000, policy.bucketMs);
}

function reasonText(reason: StopReason): string {
  switch (reason) {
    case 'idle':
      return vscode.l10n.t('idle');
    case 'maxRuntime':
      return vscode.l10n.t('maximum runtime reached');
    case 'budget':
      return vscode.l10n.t('budget reached');
    case 'user':
      return vscode.l10n.t('stop requested');
  }
}
