// @vitest-environment happy-dom
// The dashboard's side of noEnglishLeft.test.ts: the page gets a dictionary in which every word of every message is
// "译" (as the host would send a complete translation), renders every state it knows (connection, processes,
// checkpoints, cost and auto-stop), and no Latin word may be left but units and the snapshot's own data (GPU and
// process names, paths). A data value rendered as it is ('reconnecting', 'pastCadence') or an English label built
// without t() would show.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckpointStatus } from '../../../src/shared/checkpointStatus';
import type { CostStatus } from '../../../src/shared/costStatus';
import type { SnapshotMessage } from '../../../src/shared/dashboardMessages';
import { setTranslator } from '../../../src/shared/l10n';
import { setDisplayLocale } from '../../../src/shared/localeFormat';
import { embedJson, L10N_ELEMENT_ID, WEBVIEW_MESSAGES } from '../../../src/shared/webviewStrings';
import { fakeCharts, makeSnapshot } from '../webview/fixtures';

const MIN = 60_000;
/** Units and technical names written as they are in every language. */
const UNITS = ['GiB', 'MiB', 'KiB', 'MHz', 'PID', 'PIDs', 'SM', 'GPU', 'GPUs'];
/** The fixture's own data: GPU model, host, process, checkpoint paths, error text. */
const DATA = ['NVIDIA H100 80GB HBM3', 'P0', 'gpu-box', 'python train.py', 'checkpoints/step_001214.pt step_000595', 'work proj', 'RunPod'];

const words = (x: string): string[] => (x.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => /[A-Za-z].*[A-Za-z]/.test(w));
const allowed = new Set([...UNITS, ...DATA.flatMap(words)]);

/** Each text node on its own: textContent would glue neighbours ("°C" + "GPU" reads "CGPU"). */
function textNodes(root: HTMLElement): string[] {
  const out: string[] = [];
  const walker = document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n.textContent ?? '');
  return out;
}

function pseudoDictionary(): string {
  return embedJson({ locale: 'zh-cn', messages: Object.fromEntries(WEBVIEW_MESSAGES.map((m) => [m, m.replace(/[A-Za-z]+/g, '译')])) });
}

const entry = (path: string, step: number, ageMs: number) => ({ path, format: 'pytorch' as const, kind: 'file' as const, step, sizeBytes: 2 * 1024 * 1024, ageMs });
const READY: CheckpointStatus = {
  state: 'ready',
  root: '/work/proj',
  newest: entry('checkpoints/step_001214.pt', 1214, 5 * MIN),
  writing: [entry('checkpoints/step_001214.pt', 1214, 0)],
  recent: [entry('checkpoints/step_001214.pt', 1214, 5 * MIN), entry('checkpoints/step_000595.pt', 595, 15 * MIN)],
  cadenceMs: 10 * MIN,
  truncated: true,
  scannedAgoMs: 1000,
  newestDownloaded: false,
};
const COST: CostStatus = { machineMicros: 12_345_678, todayMicros: 5_380_000, monthMicros: 40_000_000, projectedMonthMicros: 1_500_000_000, burnMicrosPerHour: 4_200, audit: ['2026-11-23T11:00:00.000Z 已警告'] };
/** Every kind of budget row: global and per provider, under, past an alert threshold, over the limit; sub-cent money. */
const BUDGETS: NonNullable<CostStatus['budgets']> = [
  { period: 'daily', spentMicros: 5_380_000, limitMicros: 50_000_000 },
  { period: 'monthly', spentMicros: 40_000_000, limitMicros: 45_000_000, reachedPercent: 80 },
  { period: 'daily', scope: 'RunPod', spentMicros: 49, limitMicros: 40 },
  { period: 'monthly', scope: 'RunPod', spentMicros: 4_200, limitMicros: 1_000_000 },
];

/** One snapshot per state the dashboard can show. */
function snapshots(): SnapshotMessage[] {
  const base = makeSnapshot({ gpus: 2 });
  const error = { reason: 'unreachable', message: '无法连接' };
  return [
    { ...base, checkpoints: READY, cost: { ...COST, budgets: BUDGETS, autoStop: { status: 'warning', explanation: '将在 9 分钟后停止' } } },
    { ...base, connection: { state: 'connecting', lastSampleAgeMs: null, retryInMs: null, error: null }, checkpoints: { ...READY, state: 'noFolder', newest: undefined, writing: [], recent: [] } as CheckpointStatus },
    { ...base, connection: { state: 'reconnecting', lastSampleAgeMs: 9000, retryInMs: 2000, error }, checkpoints: { ...READY, state: 'scanning' } },
    { ...base, gpus: [], connection: { state: 'connecting', lastSampleAgeMs: null, retryInMs: 60_000, error } },
    { ...base, connection: { state: 'stale', lastSampleAgeMs: 30_000, retryInMs: null, error: null }, checkpoints: { ...READY, overdue: { why: 'pastCadence', forMs: 2 * MIN } } },
    { ...base, connection: { state: 'stopped', lastSampleAgeMs: null, retryInMs: null, error }, checkpoints: { ...READY, state: 'error', error: '无法读取', newest: undefined, overdue: { why: 'noneYet', forMs: MIN } } as CheckpointStatus },
    { ...base, processes: { kind: 'hiddenByContainer', count: 2, usedMemoryMiB: 8600 }, cost: { ...COST, autoStop: { status: 'kept', explanation: '保留' } } },
    { ...base, processes: { kind: 'notReported' }, cost: { ...COST, autoStop: { status: 'idle', explanation: '空闲' } } },
    { ...base, processes: { kind: 'unavailable' }, cost: { ...COST, autoStop: { status: 'stopped', explanation: '已停止' } } },
    { ...base, processes: { kind: 'list', items: [] }, cost: { ...COST, autoStop: { status: 'busy', explanation: '繁忙' } } },
  ];
}

beforeAll(() => {
  const script = document.createElement('script');
  script.type = 'application/json';
  script.id = L10N_ELEMENT_ID;
  script.textContent = pseudoDictionary();
  document.body.replaceChildren(script);
  vi.resetModules();
});

afterAll(() => {
  setTranslator(undefined);
  setDisplayLocale(undefined);
  vi.resetModules();
});

describe('the dashboard under a complete translation', () => {
  it('shows no English word in any state: connection, processes, checkpoints, cost and auto-stop', async () => {
    await import('../../../webview/shared/l10nSetup');
    const { DashboardApp } = await import('../../../webview/dashboard/dashboardApp');
    const leaks: string[] = [];
    let rendered = 0;
    for (const snapshot of snapshots()) {
      const root = document.createElement('div');
      document.body.append(root);
      new DashboardApp(document, root, { post: () => undefined, createChart: fakeCharts().factory }).render(snapshot);
      const visible = [...textNodes(root), ...[...root.querySelectorAll('[title],[aria-label]')].flatMap((n) => [n.getAttribute('title') ?? '', n.getAttribute('aria-label') ?? ''])];
      const left = visible.flatMap(words).filter((w) => !allowed.has(w));
      if (left.length > 0) leaks.push(`${snapshot.connection.state}/${snapshot.processes.kind}/${snapshot.checkpoints?.state ?? '-'}: ${[...new Set(left)].join(', ')}`);
      rendered += (root.textContent ?? '').includes('译') ? 1 : 0;
      root.remove();
    }
    expect(rendered, 'the pseudo dictionary reached the page').toBe(snapshots().length);
    expect(leaks).toEqual([]);
  });
});
