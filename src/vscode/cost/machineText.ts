import * as vscode from 'vscode';
import type { InstanceCost } from '../../core/cost/counters';
import { formatUsd } from '../../shared/localeFormat';
import type { IdleVerdict } from '../../core/idle/idleTypes';

/** What the tree adds to a host's or instance's line: cost so far, the auto-stop verdict, the watchdog's status. */
export interface MachineFacts {
  readonly cost?: InstanceCost;
  readonly verdict?: IdleVerdict;
  readonly watchdog?: string;
}

/**
 * The tree's extra text for one machine: the description gets the short facts ("$4.21 so far · idle 12/30 min"),
 * the tooltip the whole sentences. Undefined when there is nothing to say, so a free, unwatched host looks as before.
 */
export function machineText(f: MachineFacts): { description: string; tooltip: string } | undefined {
  const short: string[] = [];
  const long: string[] = [];
  if (f.cost && (f.cost.totalMicros > 0 || f.cost.burnMicrosPerHour > 0)) {
    short.push(vscode.l10n.t('{0} so far', formatUsd(f.cost.totalMicros)));
    long.push(vscode.l10n.t('Cost so far {0} ({1} today), now {2}/h.', formatUsd(f.cost.totalMicros), formatUsd(f.cost.todayMicros), formatUsd(f.cost.burnMicrosPerHour)));
  }
  if (f.verdict) {
    const v = f.verdict;
    const min = (ms: number) => Math.floor(ms / 60_000);
    if (v.status === 'warning') short.push(vscode.l10n.t('auto-stop warning'));
    else if (v.status === 'idle') short.push(vscode.l10n.t('idle {0}/{1} min', min(v.idleForMs), min(v.windowMs)));
    else if (v.status === 'kept') short.push(vscode.l10n.t('kept'));
    long.push(vscode.l10n.t('Auto-stop: {0}', v.explanation));
  }
  if (f.watchdog) long.push(f.watchdog);
  if (short.length === 0 && long.length === 0) return undefined;
  return { description: short.join(' · '), tooltip: long.join('\n') };
}
