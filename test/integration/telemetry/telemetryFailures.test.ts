import { afterEach, describe, expect, it } from 'vitest';
import { simulatorPids, startTelemetryRig, waitFor } from './telemetryKit';
import type { TelemetryRig } from './telemetryKit';

let t: TelemetryRig | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

// A driver whose help lists temperature.memory but whose query refuses it (exit 2), as some drivers and GPUs do.
const refuseTemperatureMemory = (sim: string): string => `#!/bin/sh
for a in "$@"; do
  case "$a" in --query-gpu=*temperature.memory*) echo 'Field "temperature.memory" is not a valid field to query.'; exit 2;; esac
done
exec '${sim}' "$@"
`;

describe('telemetry when the host misbehaves (OpenSSH rig)', () => {
  it('drops a field the driver refuses at run time and streams without it', async () => {
    t = await startTelemetryRig({ script: refuseTemperatureMemory, env: { NVIDIA_SMI_SIM_GPUS: '2' }, telemetry: { intervalMs: 250 } });
    const telemetry = t.hub.for(t.host);
    const release = telemetry.acquire('test');
    try {
      const view = await waitFor('a sample', () => {
        const v = telemetry.latest();
        return v.state.phase === 'live' && v.gpus.length === 2 ? v : undefined;
      });
      expect(view.gpus[0]?.metrics.temperatureGpuC).toBeGreaterThan(0);
      expect(view.gpus[0]?.metrics.temperatureMemoryC).toBeUndefined();
      expect(view.connection.error).toBeNull();
      expect(t.logLines.some((l) => l.includes('refused "temperature.memory"'))).toBe(true);
    } finally {
      release();
    }
  });

  it('shows a missing nvidia-smi as an error and waits long before retrying, without crashing', async () => {
    t = await startTelemetryRig({ noNvidiaSmi: true });
    const telemetry = t.hub.for(t.host);
    const release = telemetry.acquire('test');
    try {
      const connection = await waitFor('the error', () => telemetry.latest().connection.error?.reason === 'commandNotFound' && telemetry.latest().connection);
      expect(connection.state).toBe('connecting'); // never delivered: a first attempt waiting, not a reconnect
      expect(connection.retryInMs).toBeGreaterThan(60_000);
      expect(connection.error?.message).toMatch(/nvidia-smi was not found/);
      expect(telemetry.snapshot('5m').gpus).toEqual([]);
    } finally {
      release();
    }
    expect(telemetry.latest().state.phase).toBe('stopped');
  });

  it('shows a driver that is not loaded as an error', async () => {
    t = await startTelemetryRig({ env: { NVIDIA_SMI_SIM_MODE: 'no-driver' } });
    const telemetry = t.hub.for(t.host);
    const release = telemetry.acquire('test');
    try {
      const connection = await waitFor('the error', () => telemetry.latest().connection.error !== null && telemetry.latest().connection);
      expect(connection.error?.message).toMatch(/driver/);
      expect(connection.retryInMs).toBeGreaterThan(60_000);
    } finally {
      release();
    }
  });

  it('stops the silent process-list stream too when no GPU process runs (it prints nothing to fail on)', async () => {
    // Speed 0.1 from now: the trace stays in its idle first 14 s for over two minutes, so no process is listed.
    t = await startTelemetryRig({ env: { NVIDIA_SMI_SIM_SPEEDUP: '0.1', NVIDIA_SMI_SIM_START: String(Date.now()) }, telemetry: { intervalMs: 100 } });
    const telemetry = t.hub.for(t.host);
    const release = telemetry.acquire('test');
    await waitFor('live', () => telemetry.latest().state.phase === 'live');
    await waitFor('both streams running remotely', async () => (await simulatorPids(t as TelemetryRig)).length >= 2);
    await waitFor('no process listed', () => telemetry.latest().processes.kind === 'list' && telemetry.latest().processes, 30_000);
    release();
    await waitFor('no simulator left on the host', async () => (await simulatorPids(t as TelemetryRig)).length === 0, 20_000);
  });
});
