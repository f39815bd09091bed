// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { CostStatus } from '../../../src/shared/costStatus';
import { parseHostMessage } from '../../../src/shared/dashboardMessages';
import { DashboardApp } from '../../../webview/dashboard/dashboardApp';
import { fakeCharts, makeSnapshot } from './fixtures';

const STATUS: CostStatus = {
  machineMicros: 12_345_678,
  todayMicros: 5_380_000,
  monthMicros: 40_000_000,
  projectedMonthMicros: 1_500_000_000,
  burnMicrosPerHour: 4_200,
  autoStop: { status: 'warning', explanation: 'Stopping in 9 min (idle).' },
  audit: ['2026-11-23T11:00:00.000Z warning (idle): stop at 2026-11-23T11:10:00.000Z. <img src=x onerror=alert(1)>'],
};

let root: HTMLElement;
let app: DashboardApp;

beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('div');
  document.body.append(root);
  app = new DashboardApp(document, root, { post: () => undefined, createChart: fakeCharts().factory });
});

const text = (selector: string): string[] => [...root.querySelectorAll(selector)].map((n) => n.textContent ?? '');
const section = (): HTMLElement => root.querySelector<HTMLElement>('section.cost') as HTMLElement;

describe('dashboard cost and auto-stop section', () => {
  it('stays hidden without a cost status (GPU Monitor, before the first cost round)', () => {
    app.render(makeSnapshot());
    expect(section().hidden).toBe(true);
  });

  it('shows this machine, today, month, projection and burn rate (sub-cent rates with four decimals), the verdict and the audit as text', () => {
    const parsed = parseHostMessage({ ...makeSnapshot(), cost: STATUS });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    app.render(parsed.message);
    expect(section().hidden).toBe(false);
    expect(text('.cost-counters dt')).toEqual(['This machine', 'Today', 'This month', 'Projected month', 'Burn rate']);
    expect(text('.cost-counters dd')).toEqual(['$12.35', '$5.38', '$40.00', '$1,500.00', '$0.0042/h']);
    expect(text('.cost-autostop')).toEqual(['Auto-stop: Stopping in 9 min (idle).']);
    expect(text('.cost-audit li')).toEqual([STATUS.audit[0]]);
    expect(root.querySelector('img')).toBeNull();
  });

  it('says when auto-stop is off; a cost status with bad numbers is refused by the schema', () => {
    app.render({ ...makeSnapshot(), cost: { ...STATUS, autoStop: undefined, audit: [] } });
    expect(text('.cost-autostop')).toEqual(['Auto-stop is off for this machine.']);
    expect((root.querySelector('.cost-audit') as HTMLElement).hidden).toBe(true);
    expect(parseHostMessage({ ...makeSnapshot(), cost: { ...STATUS, todayMicros: -1 } }).ok).toBe(false);
  });

  it('shows each budget that applies as "spent of limit (percent)", marked in words and by class past an alert or over the limit', () => {
    const budgets: CostStatus['budgets'] = [
      { period: 'daily', scope: 'RunPod', spentMicros: 12_400_000, limitMicros: 50_000_000 },
      { period: 'monthly', spentMicros: 41_000_000, limitMicros: 50_000_000, reachedPercent: 80 },
      { period: 'daily', spentMicros: 50_000_000, limitMicros: 50_000_000, reachedPercent: 100 },
      { period: 'monthly', scope: 'SSH hosts', spentMicros: 49_990_000, limitMicros: 50_000_000 },
    ];
    const parsed = parseHostMessage({ ...makeSnapshot(), cost: { ...STATUS, machineMicros: 49, budgets } });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    app.render(parsed.message);
    expect(text('.cost-counters dt').slice(5)).toEqual(['Daily budget (RunPod)', 'Monthly budget', 'Daily budget', 'Monthly budget (SSH hosts)']);
    expect(text('.cost-counters dd').slice(5)).toEqual([
      '$12.40 of $50.00 (25 %)',
      '$41.00 of $50.00 (82 %), past the 80 % alert',
      '$50.00 of $50.00 (100 %), over the limit',
      // 99.98 % is not "100 %" while under the limit.
      '$49.99 of $50.00 (99 %)',
    ]);
    expect(text('.cost-counters dd.budget-near')).toEqual(['$41.00 of $50.00 (82 %), past the 80 % alert']);
    expect(text('.cost-counters dd.budget-over')).toEqual(['$50.00 of $50.00 (100 %), over the limit']);
    expect(text('.cost-counters dt.budget-over')).toEqual(['Daily budget']);
    // Money reads the same as on the host: a few micro-dollars are "under $0.0001", not "$0.0000".
    expect(text('.cost-counters dd')[0]).toBe('under $0.0001');
  });

  it('has no budget rows when none applies, and refuses a budget row the host could not have sent', () => {
    app.render({ ...makeSnapshot(), cost: STATUS });
    expect(text('.cost-counters dt')).toHaveLength(5);
    expect(parseHostMessage({ ...makeSnapshot(), cost: { ...STATUS, budgets: [{ period: 'daily', spentMicros: 1, limitMicros: 1, extra: 1 }] } }).ok).toBe(false);
  });
});
