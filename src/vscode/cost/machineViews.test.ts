import { describe, expect, it, vi } from 'vitest';
import type { BudgetSettings } from '../../core/cost/budgets';
import type { CostSummary } from '../../core/cost/counters';
import type { SshHost } from '../../core/hosts/sshHost';
import type { SnapshotMessage } from '../../shared/dashboardMessages';
import type { MachineViewDeps } from './machineViews';

vi.mock('vscode', () => ({ l10n: { t: (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) } }));

const { machineViews } = await import('./machineViews');

const box: SshHost = { id: 'lab', label: 'lab', source: 'settings', hostname: '10.0.0.1', port: 22, user: 'me', identityFiles: [], identitiesOnly: false };
const summary: CostSummary = {
  todayMicros: 6_000_000,
  monthMicros: 40_000_000,
  burnMicrosPerHour: 1_000_000,
  projectedMonthMicros: 90_000_000,
  instances: [],
  byProvider: new Map([['ssh', { todayMicros: 6_000_000, monthMicros: 40_000_000 }]]),
};

/** The parts machineViews reads; the cost feature never fires (as when its round is slow or fails). */
function views(budgets: { now: BudgetSettings }) {
  const redrawn: string[] = [];
  const never = () => ({ dispose: () => undefined });
  const deps = {
    tree: { instances: () => [], hosts: async () => [box], findHost: () => box, redrawHost: (id: string) => void redrawn.push(id) },
    cost: { summary: () => summary, costOf: () => undefined, onDidChange: never },
    autoStop: { verdict: () => undefined, audit: () => [], onDidChange: never },
    watchdog: { describe: () => undefined },
    budgets: () => budgets.now,
  } as unknown as MachineViewDeps;
  return { v: machineViews(deps), redrawn };
}

describe('machineViews: the dashboard cost section and budget settings', () => {
  it('a budget setting change re-sends the cost section at once with the new rows, without a cost round', async () => {
    const budgets = { now: { budgets: [], thresholds: [0.8, 1], action: 'notify' } as BudgetSettings };
    const { v, redrawn } = views(budgets);
    const [section] = v.sections(box);
    if (!section) throw new Error('no cost section');
    const sent: (SnapshotMessage['cost'] | undefined)[] = [];
    const post = () => void sent.push(section.extend({} as SnapshotMessage).cost);
    const unsubscribe = section.onChange(post);
    post(); // the first snapshot: no budget rows
    expect(sent[0]?.budgets).toBeUndefined();

    budgets.now = { ...budgets.now, budgets: [{ period: 'daily', scope: 'ssh', limitMicros: 5_000_000 }] };
    v.settingsChanged();
    expect(sent).toHaveLength(2);
    expect(sent[1]?.budgets).toEqual([{ period: 'daily', scope: 'SSH hosts', spentMicros: 6_000_000, limitMicros: 5_000_000, reachedPercent: 100 }]);
    await Promise.resolve();
    expect(redrawn).toContain('lab');

    // A closed dashboard is not posted to.
    unsubscribe();
    v.settingsChanged();
    expect(sent).toHaveLength(2);
  });
});
