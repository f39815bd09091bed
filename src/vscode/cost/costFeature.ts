import { mkdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import { evaluateBudgets, type BudgetEffect, type BudgetSettings, type BudgetState } from '../../core/cost/budgets';
import type { CostLedger, LedgerRole } from '../../core/cost/costLedger';
import type { CostSummary, InstanceCost } from '../../core/cost/counters';
import { toRemoteGpuError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { Micros } from '../../core/providers/money';
import { formatUsd } from '../../shared/localeFormat';
import type { CloudProvider } from '../../core/providers/provider';
import type { Clock } from '../../core/providers/time';
import { CostTracker, reuseListingMs, type CostSources } from '../../core/services/cost/costTracker';
import { openCostLedger } from '../../remote/cost/costReport';
import { isProviderId, providerDisplayName } from '../providers/providerSettings';

export interface CostFeatureDeps {
  /** The extension's global storage: every window on this machine shares the ledger there (one writes, all read). */
  readonly storageDir: string;
  readonly providers: () => Promise<readonly CloudProvider[]>;
  /** SSH hosts with a price per hour; free ones leave no lines. */
  readonly sshHosts: () => Promise<readonly { readonly id: string; readonly label: string; readonly microsPerHour: Micros }[]>;
  readonly budgets: () => BudgetSettings;
  readonly state: vscode.Memento;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs: number;
  /** The Instances tree's newest listing of a provider, reused instead of a call of our own while fresh enough. */
  readonly recentListing?: CostSources['recentListing'];
  /** A budget reached 100 % with an action other than notify; `exceeded` are the scopes over their limit now. */
  readonly onBudget: (enforce: readonly Extract<BudgetEffect, { kind: 'enforce' }>[], exceeded: readonly string[]) => void;
}

const BUDGET_STATE_KEY = 'remoteGpu.budgetState';
/** The tree and the dashboards read the counters often; a summary a few seconds old is fresh enough. */
const FRESH_MS = 5000;

/**
 * The cost loop of this window: accrues into the shared ledger every interval (or only reads it, when another window
 * holds the lease), keeps the latest summary for the tree, the dashboard and the status-bar item, and checks the
 * budgets. Only the writing window alerts and enforces, so three open windows give one notification, not three.
 */
export class CostFeature implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('remoteGpu.cost', vscode.StatusBarAlignment.Left, 49);
  private readonly changed = new vscode.EventEmitter<CostSummary>();
  readonly onDidChange = this.changed.event;
  private ledger: CostLedger | undefined;
  private tracker: CostTracker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private latest: CostSummary | undefined;
  private latestAt = 0;
  private role: LedgerRole = 'reader';
  /** Every budget alert shown by this window, newest last (test seam: a notification cannot be read by a suite). */
  readonly alerts: string[] = [];
  private hosts: readonly { readonly id: string; readonly label: string; readonly microsPerHour: Micros }[] = [];

  constructor(private readonly deps: CostFeatureDeps) {
    this.item.name = vscode.l10n.t('Remote GPU cost');
    this.item.command = 'remoteGpu.exportCostReport';
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs);
  }

  /** The counters up to now (what accrued since the last ledger line included), recomputed at most every few seconds. */
  summary(): CostSummary | undefined {
    const now = this.deps.clock.now();
    if (this.tracker && this.latest && now - this.latestAt > FRESH_MS) {
      this.latest = this.tracker.summary(-new Date(now).getTimezoneOffset());
      this.latestAt = now;
      // Everything that shows these counters follows them (status bar, tree lines, dashboards), so no view reads an
      // older "today" than the one beside it (they changed only each cost round, up to a minute behind). The event is
      // fired after this call returns: summary() is read while a tree item or a dashboard section is being built.
      this.draw(this.latest);
      const fresh = this.latest;
      queueMicrotask(() => this.changed.fire(fresh));
    }
    return this.latest;
  }

  /** One machine's counters by ledger key ("provider:id", "ssh:hostId"). */
  costOf(key: string): InstanceCost | undefined {
    return this.summary()?.instances.find((i) => i.key === key);
  }

  /** Counts up to now; concurrent callers share the round in flight. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.item.dispose();
    this.changed.dispose();
    void this.ledger?.dispose();
  }

  private async round(): Promise<void> {
    try {
      if (!this.tracker) {
        await mkdir(this.deps.storageDir, { recursive: true });
        this.ledger = openCostLedger(this.deps.storageDir, this.deps.logger);
        const sources: CostSources = {
          providers: this.deps.providers,
          sshHosts: () => this.hosts,
          stoppedDiskMicrosPerHour: () => undefined,
          ...(this.deps.recentListing ? { recentListing: this.deps.recentListing } : {}),
        };
        this.tracker = new CostTracker(this.ledger, sources, this.deps.clock, this.deps.logger, { reuseListingMs: reuseListingMs(this.deps.intervalMs) });
      }
      this.hosts = await this.deps.sshHosts().catch(() => this.hosts);
      this.role = await this.tracker.tick();
      this.latestAt = this.deps.clock.now();
      this.latest = this.tracker.summary(-new Date(this.latestAt).getTimezoneOffset());
      this.draw(this.latest);
      if (this.role === 'writer') await this.checkBudgets(this.latest);
      this.changed.fire(this.latest);
    } catch (e) {
      this.deps.logger.warn(`cost: this round failed, the next one tries again: ${toRemoteGpuError(e).message}`);
    }
  }

  private async checkBudgets(summary: CostSummary): Promise<void> {
    const settings = this.deps.budgets();
    if (settings.budgets.length === 0) {
      // Budgets removed: whatever a budget was stopping is released.
      this.deps.onBudget([], []);
      return;
    }
    const state = this.deps.state.get<BudgetState>(BUDGET_STATE_KEY) ?? { fired: [] };
    const now = this.deps.clock.now();
    // Alerts name a provider as the tree does ("RunPod"), not by the settings key the user typed (`runpod`).
    const providerName = (id: string) => (isProviderId(id) ? providerDisplayName(id) : undefined);
    const verdict = evaluateBudgets(summary, settings, state, now, -new Date(now).getTimezoneOffset(), providerName);
    // Stored before anything is shown: a reload never repeats an alert of this period.
    await this.deps.state.update(BUDGET_STATE_KEY, verdict.state);
    const enforce: Extract<BudgetEffect, { kind: 'enforce' }>[] = [];
    for (const effect of verdict.effects) {
      this.deps.logger.info(`budget: ${effect.message}`);
      if (effect.kind === 'alert') this.alerts.push(effect.message);
      if (effect.kind === 'alert') void vscode.window.showWarningMessage(effect.message, vscode.l10n.t('Export Cost Report')).then((b) => b && vscode.commands.executeCommand('remoteGpu.exportCostReport'));
      else enforce.push(effect);
    }
    this.deps.onBudget(enforce, verdict.exceededScopes);
  }

  private draw(s: CostSummary): void {
    if (s.instances.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(credit-card) ${vscode.l10n.t('{0}/h · today {1}', formatUsd(s.burnMicrosPerHour), formatUsd(s.todayMicros))}`;
    this.item.tooltip = vscode.l10n.t(
      'Burn rate {0}/h. Today {1}, this month {2}, projected month {3} at the current rate. {4}',
      formatUsd(s.burnMicrosPerHour),
      formatUsd(s.todayMicros),
      formatUsd(s.monthMicros),
      formatUsd(s.projectedMonthMicros),
      this.role === 'writer' ? vscode.l10n.t('This window keeps the cost ledger.') : vscode.l10n.t('Another window keeps the cost ledger; this one reads it.'),
    );
    this.item.show();
  }
}
