import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryView } from '../../../src/core/services/telemetry/hostTelemetry';
import { startTelemetryRig, waitFor } from './telemetryKit';
import type { TelemetryRig } from './telemetryKit';

// The bug behind "Reconnecting / Cancelled." after Provision → Open Dashboard, against real OpenSSH: the dashboard's
// stream and another caller (the tree's GPU query) on the same host id, one with the launch key first and one with
// the configured keys. The pool must let them share the connection, and a connection that is dropped under the
// stream anyway (Retry on the tree, settings change) must come back without "Cancelled." on the dashboard.
describe('telemetry on a pooled connection other callers use too', () => {
  let t: TelemetryRig;
  const views: TelemetryView[] = [];

  beforeAll(async () => {
    t = await startTelemetryRig({ env: { NVIDIA_SMI_SIM_GPUS: '1' }, telemetry: { intervalMs: 500 } });
    t.hub.for(t.host).onChange((view) => views.push(view));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('another caller asking with a different key list does not disturb a live stream', async () => {
    const telemetry = t.hub.for(t.host);
    const release = telemetry.acquire('dashboard');
    try {
      await waitFor('live', () => telemetry.latest().state.phase === 'live');
      const conn = await t.pool.get(t.host);
      const treeView = { ...t.host, identityFiles: ['/nonexistent/id_rsa', ...t.host.identityFiles] };
      for (let i = 0; i < 3; i++) expect((await t.pool.exec(treeView, ['nvidia-smi', '-L'])).code).toBe(0);
      expect(await t.pool.get(t.host)).toBe(conn);
      expect(conn.closed).toBe(false);
      expect(telemetry.latest().state.phase).toBe('live');
    } finally {
      release();
    }
  });

  it('a connection the pool drops under the stream comes back live, and no view ever carries an error', async () => {
    const telemetry = t.hub.for(t.host);
    const release = telemetry.acquire('dashboard');
    try {
      await waitFor('live', () => telemetry.latest().state.phase === 'live');
      views.length = 0;
      const before = await t.pool.get(t.host);
      const droppedAt = Date.now();
      t.pool.drop(t.host.id);
      expect(before.closed).toBe(true);
      await waitFor('the quiet reconnect', () => t.logLines.some((l) => /connection closed under the stream/.test(l)));
      await waitFor('live again, connected after the drop', () => {
        const { phase, connectedAt, lastSampleAt } = telemetry.latest().state;
        return phase === 'live' && (connectedAt ?? 0) >= droppedAt && (lastSampleAt ?? 0) >= droppedAt;
      }, 20_000);
      expect(await t.pool.get(t.host)).not.toBe(before);
      expect(views.filter((v) => v.connection.error !== null).map((v) => v.connection.error)).toEqual([]);
      expect(t.logLines.some((l) => /stream failed/.test(l))).toBe(false);
    } finally {
      release();
    }
  });
});
