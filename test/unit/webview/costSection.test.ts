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
});
