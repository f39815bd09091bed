import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryView } from '../../../src/core/services/telemetry/hostTelemetry';
import type { HostTelemetry } from '../../../src/core/services/telemetry/hostTelemetry';
import type { ConnectionState } from '../../../src/shared/telemetryProtocol';
import { simulatorPids, startTelemetryRig, waitFor } from './telemetryKit';
import type { TelemetryRig } from './telemetryKit';

// Trace speed 3: the 90 s training trace loops every 30 s, so every GPU reaches ~100 % within half a minute
// whatever the start delay. Positioned 21 s in (training) for GPU 0; GPU 1 runs 23 s ahead.
const SPEEDUP = 3;
const INTERVAL_MS = 500;

describe('live telemetry over OpenSSH with the simulator (2 GPUs)', () => {
  let t: TelemetryRig;
  let telemetry: HostTelemetry;
  const views: TelemetryView[] = [];
  const phases: ConnectionState[] = [];
  const peakUtil = new Map<number, number>();

  beforeAll(async () => {
    t = await startTelemetryRig({
      env: { NVIDIA_SMI_SIM_GPUS: '2', NVIDIA_SMI_SIM_SPEEDUP: String(SPEEDUP), NVIDIA_SMI_SIM_START: String(Date.now() - 21_000 / SPEEDUP) },
      telemetry: { intervalMs: INTERVAL_MS, backoff: { initialMs: 1_600, maxMs: 5_000, multiplier: 2, stableAfterMs: 60_000 } },
      // Just under the ceiling: the reconnect waits ~1.6 s, more than the 3-interval gap threshold.
      random: () => 0.99,
    });
    telemetry = t.hub.for(t.host);
    telemetry.onChange((view) => {
      views.push(view);
      if (phases.at(-1) !== view.state.phase) phases.push(view.state.phase);
      for (const gpu of view.gpus) peakUtil.set(gpu.index, Math.max(peakUtil.get(gpu.index) ?? 0, gpu.metrics.utilizationGpu ?? 0));
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('streams samples of both GPUs with the trace values, and goes live', async () => {
    const release = telemetry.acquire('test');
    try {
      await waitFor('both GPUs at ~100 % utilisation', () => (peakUtil.get(0) ?? 0) >= 90 && (peakUtil.get(1) ?? 0) >= 90, 60_000);
      const view = telemetry.latest();
      expect(view.state.phase).toBe('live');
      expect(view.gpus.map((g) => g.index)).toEqual([0, 1]);
      for (const gpu of view.gpus) {
        expect(gpu.name).toBe('NVIDIA H100 80GB HBM3');
        expect(gpu.metrics.memoryTotalMiB).toBe(81559);
        expect(gpu.metrics.powerDrawW).toBeGreaterThan(0);
      }
      expect(new Set(view.gpus.map((g) => g.uuid)).size).toBe(2);
      const snapshot = await waitFor('a few points of history', () => {
        const s = telemetry.snapshot('5m');
        return (s.gpus[1]?.series.t.length ?? 0) > 3 ? s : undefined;
      });
      expect(snapshot.connection.state).toBe('live');
      expect(snapshot.gpus[1]?.series.metrics.utilizationGpu.value.every((v) => v !== null && v >= 0 && v <= 100)).toBe(true);
    } finally {
      release();
    }
  });

  it('shows the traced training process', async () => {
    const release = telemetry.acquire('test');
    try {
      const processes = await waitFor('a process in the table', () => {
        const p = telemetry.latest().processes;
        return (p.kind === 'list' && p.items.length > 0) || (p.kind === 'hiddenByContainer' && p.count > 0) ? p : undefined;
      }, 60_000);
      if (processes.kind === 'list') expect(processes.items[0]?.name).toBe('python3');
    } finally {
      release();
    }
  });

  it('stops the remote nvidia-smi processes when the last consumer releases', async () => {
    const release = telemetry.acquire('test');
    await waitFor('live', () => telemetry.latest().state.phase === 'live');
    await waitFor('both streams running remotely', async () => (await simulatorPids(t)).length >= 2);
    release();
    expect(telemetry.latest().state.phase).toBe('stopped');
    await waitFor('no simulator left on the host', async () => (await simulatorPids(t)).length === 0, 20_000);
  });

  it('reconnects after the server drops the connection, leaving a gap in history', async () => {
    const release = telemetry.acquire('test');
    try {
      await waitFor('live', () => telemetry.latest().state.phase === 'live');
      phases.length = 0;
      expect(await t.rig.killConnections()).toBeGreaterThan(0);
      await waitFor('reconnecting', () => phases.includes('reconnecting'));
      await waitFor('live again', () => phases.indexOf('live', phases.indexOf('reconnecting')) > 0, 60_000);
      await waitFor('a sample after the gap', () => {
        const values = telemetry.snapshot('5m').gpus[0]?.series.metrics.utilizationGpu.value ?? [];
        const gap = values.indexOf(null);
        return gap > 0 && gap < values.length - 1;
      });
      expect(t.logLines.some((l) => /stream failed/.test(l))).toBe(true);
    } finally {
      release();
    }
  });
});
