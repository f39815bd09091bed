import * as vscode from 'vscode';
import type { BudgetSettings } from '../../core/cost/budgets';
import type { SshHost } from '../../core/hosts/sshHost';
import type { CostStatus } from '../../shared/costStatus';
import type { AutoStopFeature } from '../autoStop/autoStopFeature';
import type { WatchdogFeature } from '../autoStop/watchdogFeature';
import type { SnapshotSection } from '../dashboard/telemetryBinding';
import { isProviderId, providerDisplayName } from '../providers/providerSettings';
import type { InstancesTreeProvider } from '../tree/instancesTree';
import type { CostFeature } from './costFeature';
import { costStatusFor, type BudgetView } from './costStatus';
import { machineText } from './machineText';

export interface MachineViewDeps {
  readonly tree: InstancesTreeProvider;
  readonly cost: CostFeature;
  readonly autoStop: AutoStopFeature;
  readonly watchdog: WatchdogFeature;
  /** The budget settings as evaluateBudgets reads them, for the dashboard's budget rows. */
  readonly budgets: () => BudgetSettings;
}

/** A budget's scope as the alerts name it: the provider's display name, "SSH hosts", else the key as typed. */
function scopeName(scope: string): string {
  if (scope === 'ssh') return vscode.l10n.t('SSH hosts');
  return isProviderId(scope) ? providerDisplayName(scope) : scope;
}

/**
 * Where cost, auto-stop and the watchdog show up: the tree's machine lines, the dashboard's cost section, and the
 * redraw after each cost round. Machines are keyed as in the ledger: "<provider>:<id>" for cloud instances (the
 * same as their tree host id, also when stopped and without a host), "ssh:<host id>" for SSH hosts.
 */
export function machineViews(d: MachineViewDeps): {
  treeText(hostId: string): { description: string; tooltip: string } | undefined;
  sections(host: SshHost): SnapshotSection[];
  /** The dashboard's cost section for a host as it would be posted now (the code-server suites read it here). */
  status(host: SshHost): CostStatus | undefined;
  redraw(): void;
  /**
   * A budget setting changed: every open dashboard's cost section is sent again now, with the new budget rows (they
   * are built from the settings at each post), instead of waiting for the next cost round or telemetry snapshot.
   */
  settingsChanged(): void;
} {
  const settingsListeners = new Set<() => void>();
  const redraw = (): void => {
    for (const n of d.tree.instances()) if (n.host) d.tree.redrawHost(n.host.id);
    void d.tree.hosts().then((hs) => hs.forEach((h) => h.source !== 'cloud' && d.tree.redrawHost(h.id)));
  };
  const keyOf = (hostId: string, host: SshHost | undefined) => (host ? (host.source === 'cloud' ? hostId : `ssh:${hostId}`) : hostId);
  const status = (host: SshHost): CostStatus | undefined => {
    const key = keyOf(host.id, host);
    const budgets: BudgetView = { settings: d.budgets(), scopeName };
    return costStatusFor(d.cost.summary(), key, d.autoStop.verdict(key), d.autoStop.audit(key), budgets);
  };
  return {
    treeText: (hostId) => {
      const key = keyOf(hostId, d.tree.findHost(hostId));
      return machineText({ cost: d.cost.costOf(key), verdict: d.autoStop.verdict(key), watchdog: d.watchdog.describe(hostId) });
    },
    sections: (host) => {
      const key = keyOf(host.id, host);
      return [
        {
          extend: (snap) => {
            const cost = status(host);
            return cost ? { ...snap, cost } : snap;
          },
          onChange: (listener) => {
            const subs = [d.cost.onDidChange(() => listener()), d.autoStop.onDidChange((k) => k === key && listener())];
            settingsListeners.add(listener);
            return () => {
              subs.forEach((s) => s.dispose());
              settingsListeners.delete(listener);
            };
          },
        },
      ];
    },
    status,
    redraw,
    settingsChanged: () => {
      for (const l of [...settingsListeners]) l();
      redraw();
    },
  };
}
