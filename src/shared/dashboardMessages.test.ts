import { describe, expect, it } from 'vitest';
import { parseHostMessage, parseWebviewMessage } from './dashboardMessages';
import type { SnapshotMessage } from './dashboardMessages';
import { HISTORY_METRIC_KEYS } from './gpuMetrics';
import { PROTOCOL_VERSION } from './telemetryProtocol';

const series = (n: number) => ({
  window: '5m' as const,
  t: Array.from({ length: n }, (_, i) => 1_000 * i),
  metrics: Object.fromEntries(HISTORY_METRIC_KEYS.map((k) => [k, { value: Array.from({ length: n }, (_, i) => (i === 1 ? null : i)) }])),
});

function snapshot(): SnapshotMessage {
  return {
    type: 'snapshot',
    protocolVersion: PROTOCOL_VERSION,
    host: { id: 'ssh:gpu-box', label: 'gpu-box' },
    connection: { state: 'live', lastSampleAgeMs: 120, retryInMs: null, error: null },
    intervalMs: 1000,
    window: '5m',
    gpus: [
      {
        index: 0,
        uuid: 'GPU-f6ff1cff-b1da-fae8-5276-fbfc4b95eb47',
        name: 'NVIDIA H100 80GB HBM3',
        pstate: 'P0',
        current: { utilizationGpu: 100, memoryUsedMiB: 3737, memoryTotalMiB: 81559, powerDrawW: 690.16 },
        series: series(3) as SnapshotMessage['gpus'][number]['series'],
      },
    ],
    processes: { kind: 'list', items: [{ pid: 603, name: '<img src=x onerror=alert(1)>', gpuUuid: 'GPU-f6ff1cff', gpuIndex: 0, usedMemoryMiB: 3728 }] },
    sentAt: 1_795_000_000_000,
  };
}

/** A deep copy with one change, as an attacker or a bug would send it. */
function mutate(change: (m: Record<string, unknown> & { gpus: Record<string, unknown>[] }) => void): unknown {
  const copy = JSON.parse(JSON.stringify(snapshot())) as Record<string, unknown> & { gpus: Record<string, unknown>[] };
  change(copy);
  return copy;
}

describe('host → webview messages', () => {
  it('accepts a full snapshot, keeping a hostile process name as plain text', () => {
    const result = parseHostMessage(JSON.parse(JSON.stringify(snapshot())));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.message.processes).toMatchObject({ items: [{ name: '<img src=x onerror=alert(1)>' }] });
  });

  it('accepts the words-instead-of-a-table cases and every connection state', () => {
    for (const processes of [{ kind: 'hiddenByContainer', count: 2, usedMemoryMiB: null }, { kind: 'notReported' }, { kind: 'unavailable' }]) {
      expect(parseHostMessage(mutate((m) => (m.processes = processes))).ok).toBe(true);
    }
    for (const state of ['connecting', 'live', 'stale', 'reconnecting', 'stopped']) {
      expect(parseHostMessage(mutate((m) => ((m.connection as Record<string, unknown>).state = state))).ok).toBe(true);
    }
  });

  it.each([
    ['an unknown type', (m: Record<string, unknown>) => (m.type = 'delta')],
    ['another protocol version', (m: Record<string, unknown>) => (m.protocolVersion = PROTOCOL_VERSION + 1)],
    ['an extra property', (m: Record<string, unknown>) => (m.html = '<b>')],
    ['an unknown connection state', (m: Record<string, unknown>) => ((m.connection as Record<string, unknown>).state = 'fine')],
    ['a negative sample age', (m: Record<string, unknown>) => ((m.connection as Record<string, unknown>).lastSampleAgeMs = -1)],
    ['a string where a number goes', (m: { gpus: Record<string, unknown>[] }) => ((m.gpus[0] as Record<string, unknown>).current = { utilizationGpu: '100' })],
    ['an unknown metric', (m: { gpus: Record<string, unknown>[] }) => ((m.gpus[0] as Record<string, unknown>).current = { gpuUtil: 1 })],
    ['a series column shorter than t', (m: { gpus: Record<string, unknown>[] }) => ((m.gpus[0]?.series as { t: number[] }).t.push(9))],
    ['an unknown window', (m: Record<string, unknown>) => (m.window = '2h')],
    ['an interval out of bounds', (m: Record<string, unknown>) => (m.intervalMs = 10)],
    ['too many GPUs', (m: { gpus: Record<string, unknown>[] }) => (m.gpus = Array.from({ length: 65 }, () => m.gpus[0] as Record<string, unknown>))],
    ['a zero pid', (m: Record<string, unknown>) => (m.processes = { kind: 'list', items: [{ pid: 0, name: 'x', gpuUuid: 'g', gpuIndex: 0, usedMemoryMiB: 1 }] })],
    ['a huge process name', (m: Record<string, unknown>) => (m.processes = { kind: 'list', items: [{ pid: 1, name: 'x'.repeat(1025), gpuUuid: 'g', gpuIndex: 0, usedMemoryMiB: 1 }] })],
  ])('rejects %s', (_, change) => {
    const result = parseHostMessage(mutate(change as (m: Record<string, unknown> & { gpus: Record<string, unknown>[] }) => void));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^invalid message \(type /);
  });

  it('rejects NaN and Infinity, which JSON cannot carry', () => {
    const withNaN = snapshot();
    expect(parseHostMessage({ ...withNaN, gpus: [{ ...withNaN.gpus[0], current: { utilizationGpu: Number.NaN } }] }).ok).toBe(false);
    expect(parseHostMessage({ ...withNaN, sentAt: Number.POSITIVE_INFINITY }).ok).toBe(false);
  });
});

describe('webview → host messages', () => {
  it('accepts each request', () => {
    for (const m of [
      { type: 'ready', protocolVersion: PROTOCOL_VERSION },
      { type: 'selectWindow', window: '24h' },
      { type: 'openTerminal' },
      { type: 'retry' },
      { type: 'showLogs' },
      { type: 'openDashboard' },
    ]) {
      expect(parseWebviewMessage(m)).toEqual({ ok: true, message: m });
    }
  });

  it('rejects unknown requests, extra fields and junk, without throwing', () => {
    const hostile = Object.defineProperty({}, 'type', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    for (const m of [
      { type: 'runCommand', command: 'rm -rf ~' },
      { type: 'openTerminal', command: 'rm -rf ~' },
      { type: 'openDashboard', hostId: 'ssh:other' },
      { type: 'selectWindow', window: '7d' },
      { type: 'ready' },
      null,
      undefined,
      'ready',
      42,
      [],
      hostile,
    ]) {
      const result = parseWebviewMessage(m);
      expect(result.ok).toBe(false);
    }
    expect(parseWebviewMessage({ type: 'selectWindow', window: '7d' })).toMatchObject({ ok: false, error: expect.stringContaining('type selectWindow') });
  });
});
