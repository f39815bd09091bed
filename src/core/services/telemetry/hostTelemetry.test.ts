import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../../errors';
import type { SshHost } from '../../hosts/sshHost';
import { silentLogger } from '../../logger';
import { DriverVersionCache } from '../../telemetry/driverVersion';
import type { NegotiatedFields } from '../../telemetry/helpQueryGpu';
import { HostTelemetry } from './hostTelemetry';
import type { HostTelemetryOptions, TelemetryView } from './hostTelemetry';
import { FIELD_CACHE_SIGNATURE } from './streamSetup';
import { FakeHost, gpuRow, VirtualTime } from './telemetryFakes.testkit';
import type { FakeStream } from './telemetryFakes.testkit';

const host: SshHost = { id: 'h1', label: 'gpu-box', source: 'settings', hostname: 'x', port: 22, user: 'u', identityFiles: [], identitiesOnly: false };
const POLICY = { initialMs: 1_000, maxMs: 8_000, multiplier: 2, stableAfterMs: 60_000 };

function setup(fake = new FakeHost(2), options: HostTelemetryOptions = {}) {
  const time = new VirtualTime();
  const connects: number[] = [];
  let connectError: RemoteGpuError | undefined;
  const telemetry = new HostTelemetry(
    host,
    {
      connect: async () => {
        connects.push(time.clock.now());
        if (connectError) throw connectError;
        return fake;
      },
      clock: time.clock,
      timers: time,
      random: () => 0.5,
      logger: silentLogger,
      fieldCache: new DriverVersionCache<NegotiatedFields>(FIELD_CACHE_SIGNATURE),
    },
    { backoff: POLICY, permanentRetryMs: 60_000, ...options },
  );
  const views: TelemetryView[] = [];
  telemetry.onChange((v) => views.push(v));
  return { fake, time, telemetry, connects, views, failConnect: (e: RemoteGpuError | undefined) => (connectError = e) };
}

/** One tick of rows for every GPU on the newest GPU stream. */
function tick(stream: FakeStream, t: number, gpus = 2, util = 42): void {
  for (let i = 0; i < gpus; i++) stream.line(gpuRow(stream.fields, i, t, util));
}

function lastGpu(fake: FakeHost): FakeStream {
  const s = fake.gpuStreams.at(-1);
  if (!s) throw new Error('no GPU stream');
  return s;
}

describe('HostTelemetry lifecycle', () => {
  it('starts on the first consumer, shares the streams, and stops when the last one releases', async () => {
    const { fake, time, telemetry, connects } = setup();
    const releaseA = telemetry.acquire('dashboard');
    const releaseB = telemetry.acquire('statusBar');
    await time.advance(0);
    expect(connects).toHaveLength(1);
    expect(fake.gpuStreams).toHaveLength(1);
    expect(fake.appsStreams).toHaveLength(1);
    expect(lastGpu(fake).argv).toContain('-lms');
    releaseA();
    releaseA();
    expect(fake.openStreams).toHaveLength(2);
    releaseB();
    expect(fake.openStreams).toHaveLength(0);
    expect(telemetry.latest().state.phase).toBe('stopped');
    telemetry.acquire('dashboard');
    await time.advance(0);
    expect(fake.gpuStreams).toHaveLength(2);
    expect(fake.openStreams).toHaveLength(2);
  });

  it('turns rows into one sample per tick with history, and goes live', async () => {
    const { fake, time, telemetry, views } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    tick(lastGpu(fake), time.clock.now(), 2, 97);
    const view = telemetry.latest();
    expect(view.state.phase).toBe('live');
    expect(view.gpus.map((g) => [g.index, g.metrics.utilizationGpu])).toEqual([
      [0, 97],
      [1, 97],
    ]);
    expect(views.at(-1)?.gpus).toHaveLength(2);
    const snapshot = telemetry.snapshot('5m');
    expect(snapshot.gpus[1]?.series.metrics.utilizationGpu.value).toEqual([97]);
    expect(snapshot.connection.state).toBe('live');
  });

  it('closes a stream that opens after everyone released', async () => {
    const { fake, time, telemetry } = setup();
    const release = telemetry.acquire('d');
    release();
    await time.advance(0);
    expect(fake.openStreams).toHaveLength(0);
    expect(telemetry.latest().state.phase).toBe('stopped');
  });

  it('dispose closes every stream and timer, and later acquires do nothing', async () => {
    const { fake, time, telemetry } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    tick(lastGpu(fake), time.clock.now());
    telemetry.dispose();
    expect(fake.openStreams).toHaveLength(0);
    expect(time.pending).toBe(0);
    telemetry.acquire('again');
    await time.advance(10_000);
    expect(fake.gpuStreams).toHaveLength(1);
  });

  it('restarts the stream with the new -lms and a new history on setInterval', async () => {
    const { fake, time, telemetry } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    tick(lastGpu(fake), time.clock.now());
    telemetry.setInterval(250);
    await time.advance(0);
    expect(fake.gpuStreams).toHaveLength(2);
    expect(fake.gpuStreams[0]?.closed).toBe(true);
    expect(lastGpu(fake).argv.at(-1)).toBe('250');
    expect(telemetry.snapshot('5m').gpus[0]?.series.t).toEqual([]);
  });
});

describe('HostTelemetry failures', () => {
  it('reconnects after a dropped connection with capped exponential backoff, re-acquiring the connection', async () => {
    const { fake, time, telemetry, connects, failConnect } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    tick(lastGpu(fake), time.clock.now());
    const started = time.clock.now();
    failConnect(new RemoteGpuError('unreachable', 'refused'));
    lastGpu(fake).exit({ code: null, signal: null, error: new RemoteGpuError('connectionLost', 'lost') });
    expect(telemetry.latest().connection).toMatchObject({ state: 'reconnecting', retryInMs: 500, error: { reason: 'connectionLost' } });
    await time.advance(20_000);
    // random() = 0.5: half of 1 s, 2 s, 4 s, 8 s, 8 s (capped)...
    expect(connects.slice(1).map((t) => t - started)).toEqual([500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500]);
    failConnect(undefined);
    await time.advance(4_000);
    tick(lastGpu(fake), time.clock.now());
    expect(telemetry.latest().state.phase).toBe('live');
    expect(fake.gpuStreams).toHaveLength(2);
  });

  it('a connection closed under a delivering stream (pool drop, settings change) reconnects at once and shows no error', async () => {
    const { fake, time, telemetry, connects, views } = setup();
    telemetry.acquire('dashboard');
    await time.advance(0);
    tick(lastGpu(fake), time.clock.now());
    views.length = 0;
    // What SshConnection.dispose() gives every open channel: reason 'cancelled', message "Cancelled.".
    lastGpu(fake).exit({ code: null, signal: null, error: new RemoteGpuError('cancelled', 'Cancelled.', 'connection to x disposed') });
    expect(telemetry.latest().connection.error).toBeNull();
    await time.advance(0);
    expect(connects).toHaveLength(2);
    tick(lastGpu(fake), time.clock.now());
    expect(telemetry.latest().connection).toMatchObject({ state: 'live', error: null });
    expect(views.every((v) => v.connection.error === null)).toBe(true);
  });

  it('a connect cancelled under a session that never delivered waits out the backoff, still without an error', async () => {
    const { time, telemetry, connects, failConnect } = setup();
    failConnect(new RemoteGpuError('cancelled', 'Cancelled.', 'connect to gpu-box'));
    telemetry.acquire('dashboard');
    await time.advance(0);
    // random() = 0.5: half of the first 1 s step, and no "Cancelled." for the dashboard to show.
    expect(telemetry.latest().connection).toMatchObject({ state: 'connecting', retryInMs: 500, error: null });
    await time.advance(499);
    expect(connects).toHaveLength(1);
    failConnect(undefined);
    await time.advance(1);
    expect(connects).toHaveLength(2);
  });

  it('leaves the outage as a gap in the history', async () => {
    const { fake, time, telemetry } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    for (let i = 0; i < 3; i++) {
      tick(lastGpu(fake), time.clock.now());
      await time.advance(1_000);
    }
    lastGpu(fake).exit({ code: null, signal: null, error: new RemoteGpuError('connectionLost', 'lost') });
    await time.advance(10_000);
    tick(lastGpu(fake), time.clock.now());
    const values = telemetry.snapshot('5m').gpus[0]?.series.metrics.utilizationGpu.value;
    expect(values).toEqual([42, 42, 42, null, 42]);
  });

  it('drops a field the driver refuses at run time (exit 2) and restarts at once without it', async () => {
    const { fake, time, telemetry } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    const first = lastGpu(fake);
    expect(first.fields).toContain('temperature.memory');
    first.line('Field "temperature.memory" is not a valid field to query.');
    first.exit({ code: 2, signal: null });
    await time.advance(0);
    const second = lastGpu(fake);
    expect(second).not.toBe(first);
    expect(second.fields).not.toContain('temperature.memory');
    expect(second.fields).toContain('temperature.gpu');
    tick(second, time.clock.now());
    expect(telemetry.latest().state.phase).toBe('live');
    expect(fake.count('help')).toBe(1);
  });

  it('also reads the refusal from stderr', async () => {
    const { fake, time, telemetry } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    lastGpu(fake).stderr('Field "fan.speed" is not a valid field to query.');
    lastGpu(fake).exit({ code: 2, signal: null });
    await time.advance(0);
    expect(lastGpu(fake).fields).not.toContain('fan.speed');
  });

  it('shows nvidia-smi missing as an error and retries only at the long interval', async () => {
    const fake = new FakeHost();
    fake.driver = { stdout: '', stderr: 'sh: 1: nvidia-smi: not found\n', code: 127, signal: null };
    const { time, telemetry, connects } = setup(fake);
    telemetry.acquire('d');
    await time.advance(0);
    expect(telemetry.latest().connection).toMatchObject({ state: 'connecting', retryInMs: 60_000, error: { reason: 'commandNotFound' } });
    await time.advance(59_000);
    expect(connects).toHaveLength(1);
    await time.advance(1_000);
    expect(connects).toHaveLength(2);
  });

  it('treats a driver that is not loaded (exit 9) as permanent too', async () => {
    const fake = new FakeHost();
    fake.driver = { stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", stderr: '', code: 9, signal: null };
    const { time, telemetry } = setup(fake);
    telemetry.acquire('d');
    await time.advance(0);
    expect(telemetry.latest().connection).toMatchObject({ state: 'connecting', retryInMs: 60_000, error: { reason: 'remoteFailed' } });
  });

  it('goes stale after silence, and says so to listeners', async () => {
    const { fake, time, telemetry, views } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    tick(lastGpu(fake), time.clock.now());
    await time.advance(2_000);
    expect(telemetry.latest().state.phase).toBe('live');
    await time.advance(2_000);
    expect(telemetry.latest().state.phase).toBe('stale');
    expect(views.at(-1)?.state.phase).toBe('stale');
    expect(telemetry.latest().connection.lastSampleAgeMs).toBe(4_000);
  });

  it('calls listeners once per sample while live, with no timer firing in between', async () => {
    const { fake, time, telemetry, views } = setup();
    telemetry.acquire('d');
    await time.advance(0);
    views.length = 0;
    for (let i = 0; i < 10; i++) {
      tick(lastGpu(fake), time.clock.now());
      await time.advance(1_000);
    }
    expect(views).toHaveLength(10);
    expect(views.every((v) => v.state.phase === 'live')).toBe(true);
  });

  it('retry() reconnects at once instead of waiting out the backoff', async () => {
    const fake = new FakeHost();
    fake.driver = { stdout: '', stderr: 'not found', code: 127, signal: null };
    const { time, telemetry, connects } = setup(fake);
    telemetry.acquire('d');
    await time.advance(0);
    fake.driver = { stdout: '580.159.04\n580.159.04\n', stderr: '', code: 0, signal: null };
    telemetry.retry();
    await time.advance(0);
    expect(connects).toHaveLength(2);
    expect(fake.gpuStreams).toHaveLength(1);
  });
});
