import { describe, expect, it } from 'vitest';
import { parseHostMessage } from '../../../src/shared/dashboardMessages';
import { chartSummary, MEMORY, UTILISATION } from '../../../webview/shared/chartSpecs';
import { connectionText } from '../../../webview/shared/connectionText';
import { formatDuration, formatGiB, formatMemory, formatPercent, formatPower, NO_VALUE } from '../../../webview/shared/format';
import { processesDisplay } from '../../../webview/shared/processesText';
import { emptySummary, summarizeSeries } from '../../../webview/shared/seriesSummary';
import { dashboardText, gpuCardText } from '../../../webview/dashboard/viewModel';
import { monitorRowText } from '../../../webview/monitor/viewModel';
import { makeSnapshot } from './fixtures';

describe('formatting', () => {
  it('says "no value" with a dash, never 0', () => {
    expect(formatPercent(undefined)).toBe(NO_VALUE);
    expect(formatPercent(Number.NaN)).toBe(NO_VALUE);
    expect(formatPercent(0)).toBe('0 %');
    expect(formatGiB(null)).toBe(NO_VALUE);
    expect(formatMemory(undefined, undefined)).toBe(NO_VALUE);
    expect(formatMemory(undefined, 81_559)).toBe('– / 79.6 GiB');
    expect(formatMemory(3_737, 81_559)).toBe('3.6 / 79.6 GiB');
    expect(formatPower(690.16, undefined)).toBe('690 / – W');
  });

  it('writes ages and delays the way people read them', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(4_200)).toBe('5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3 h 12 min');
  });
});

describe('connection state text', () => {
  const base = { lastSampleAgeMs: null, retryInMs: null, error: null };
  it.each([
    [{ ...base, state: 'live' as const }, 'Live'],
    [{ ...base, state: 'connecting' as const }, 'Connecting…'],
    [{ ...base, state: 'stopped' as const }, 'Stopped'],
    [{ ...base, state: 'reconnecting' as const, retryInMs: 8_000 }, 'Reconnecting (retry in 8 s)'],
    [{ ...base, state: 'stale' as const, lastSampleAgeMs: 12_300 }, 'Stale (last sample 13 s ago)'],
  ])('%o reads %s', (view, label) => {
    expect(connectionText(view)).toMatchObject({ label, canRetry: false, error: null });
  });

  it('says a first attempt waiting for its retry is still connecting, with the countdown and the reason', () => {
    const t = connectionText({ ...base, state: 'connecting', retryInMs: 60_000, error: { reason: 'commandNotFound', message: 'nvidia-smi was not found.' } });
    expect(t).toEqual({ state: 'connecting', label: 'Connecting (retry in 1 min)', error: 'nvidia-smi was not found.', canRetry: true });
  });

  it('offers Retry with the error text when there is one', () => {
    const t = connectionText({ ...base, state: 'reconnecting', retryInMs: 2_000, error: { reason: 'unreachable', message: 'Connection refused' } });
    expect(t).toEqual({ state: 'reconnecting', label: 'Reconnecting (retry in 2 s)', error: 'Connection refused', canRetry: true });
  });
});

describe('processes in words', () => {
  it('says hidden container PIDs in a sentence instead of an empty table', () => {
    const d = processesDisplay({ kind: 'hiddenByContainer', count: 3, usedMemoryMiB: 12_800 });
    expect(d).toEqual({
      kind: 'text',
      text: "The driver reports 3 processes using 12.5 GiB, but their PIDs belong to another PID namespace (typical in rented containers), so they can't be listed here.",
    });
    expect(processesDisplay({ kind: 'hiddenByContainer', count: 1, usedMemoryMiB: null })).toMatchObject({ text: expect.stringMatching(/^The driver reports 1 process, but/) });
    expect(processesDisplay({ kind: 'notReported' })).toMatchObject({ kind: 'text', text: expect.stringContaining('lists no processes') });
    expect(processesDisplay({ kind: 'unavailable' })).toMatchObject({ kind: 'text', text: expect.stringContaining('not available') });
    expect(processesDisplay({ kind: 'list', items: [] })).toMatchObject({ kind: 'text' });
  });

  it('makes table rows of text, naming the GPU by UUID when the index is unknown', () => {
    const d = processesDisplay({
      kind: 'list',
      items: [
        { pid: 7, name: '<b>x</b>', gpuUuid: 'GPU-f6ff1cff-b1da', gpuIndex: null, usedMemoryMiB: null },
        { pid: 8, name: 'python', gpuUuid: 'GPU-1', gpuIndex: 3, usedMemoryMiB: 2_048 },
      ],
    });
    expect(d).toEqual({
      kind: 'table',
      rows: [
        { pid: '7', name: '<b>x</b>', memory: NO_VALUE, gpu: 'GPU-f6ff1cff' },
        { pid: '8', name: 'python', memory: '2.0 GiB', gpu: 'GPU 3' },
      ],
    });
  });
});

describe('chart summaries', () => {
  it('reads now/min/max over the window, skipping gaps', () => {
    const s = summarizeSeries({ value: [null, 2, 100, 55, 98, null] }, emptySummary());
    expect(s).toEqual({ now: 98, min: 2, max: 100 });
    expect(chartSummary(0, UTILISATION, '5m', s)).toBe('GPU 0 utilisation, last 5 minutes: now 98 %, min 2 %, max 100 %');
  });

  it('takes the extremes of 24 h buckets from their min/max columns, and says when there is no data', () => {
    const s = summarizeSeries({ value: [40, 50], min: [10, 30], max: [60, 90] }, emptySummary());
    expect(s).toEqual({ now: 50, min: 10, max: 90 });
    expect(chartSummary(2, MEMORY, '24h', summarizeSeries({ value: [null, null] }, s))).toBe('GPU 2 memory used, last 24 hours: no data');
  });
});

describe('view models', () => {
  it('turns a GPU into card text, with a dash for each absent reading', () => {
    const [gpu] = makeSnapshot({ current: { utilizationGpu: 0, memoryTotalMiB: 81_559 } }).gpus;
    if (!gpu) throw new Error('fixture');
    expect(gpuCardText({ ...gpu, pstate: null }).stats.map((s) => `${s.label}=${s.value}`)).toEqual([
      'Utilisation=0 %',
      'Memory=– / 79.6 GiB',
      'Temperature=–',
      'Power=–',
      'SM clock=–',
      'P-state=–',
    ]);
    expect(monitorRowText(gpu)).toEqual({ title: 'GPU 0', name: 'NVIDIA H100 80GB HBM3', utilisation: '0 %', memory: '– / 79.6 GiB' });
  });

  it('says why there are no GPU cards', () => {
    const connecting = makeSnapshot({ gpus: 0, connection: { state: 'connecting' } });
    expect(dashboardText(connecting).emptyText).toMatch(/Waiting for the first sample/);
    expect(dashboardText(makeSnapshot({ gpus: 0 })).emptyText).toBe('This host reports no GPUs.');
    expect(dashboardText(makeSnapshot()).emptyText).toBeNull();
  });

  it('builds fixtures the protocol accepts (so the DOM tests render what the host can send)', () => {
    for (const window of ['5m', '1h', '24h'] as const) {
      expect(parseHostMessage(JSON.parse(JSON.stringify(makeSnapshot({ gpus: 8, window })))).ok).toBe(true);
    }
  });
});
