import { describe, expect, it } from 'vitest';
import type { SshHost } from '../../hosts/sshHost';
import { silentLogger } from '../../logger';
import { ChangeThrottle } from './changeThrottle';
import { TelemetryHub } from './telemetryHub';
import { FakeHost, gpuRow, helpText, VirtualTime } from './telemetryFakes.testkit';

function sshHost(id: string): SshHost {
  return { id, label: id, source: 'settings', hostname: id, port: 22, user: 'u', identityFiles: [], identitiesOnly: false };
}

function hubWith(hosts: Record<string, FakeHost>) {
  const time = new VirtualTime();
  const hub = new TelemetryHub({
    connect: async (h) => hosts[h.id] as FakeHost,
    clock: time.clock,
    timers: time,
    random: () => 0.5,
    logger: silentLogger,
  });
  return { hub, time };
}

describe('TelemetryHub', () => {
  it('keeps one HostTelemetry per host id', () => {
    const { hub } = hubWith({});
    expect(hub.for(sshHost('a'))).toBe(hub.for(sshHost('a')));
    expect(hub.for(sshHost('a'))).not.toBe(hub.for(sshHost('b')));
  });

  it('negotiates fields once per driver version across hosts, including a field refused at run time', async () => {
    const a = new FakeHost(1);
    const b = new FakeHost(1);
    a.help = { stdout: helpText(['fan.speed']), stderr: '', code: 0, signal: null };
    const { hub, time } = hubWith({ a, b });
    hub.for(sshHost('a')).acquire('d');
    await time.advance(0);
    a.gpuStreams[0]?.line('Field "temperature.memory" is not a valid field to query.');
    a.gpuStreams[0]?.exit({ code: 2, signal: null });
    await time.advance(0);
    hub.for(sshHost('b')).acquire('d');
    await time.advance(0);
    expect(a.count('help') + b.count('help')).toBe(1);
    const fields = b.gpuStreams[0]?.fields ?? [];
    expect(fields).not.toContain('fan.speed');
    expect(fields).not.toContain('temperature.memory');
  });

  it('dispose stops every host', async () => {
    const a = new FakeHost(1);
    const b = new FakeHost(1);
    const { hub, time } = hubWith({ a, b });
    hub.for(sshHost('a')).acquire('d');
    hub.for(sshHost('b')).acquire('d');
    await time.advance(0);
    expect(a.openStreams.length + b.openStreams.length).toBe(4);
    hub.dispose();
    expect(a.openStreams.length + b.openStreams.length).toBe(0);
    expect(time.pending).toBe(0);
  });

  it('shows the process list, and says when the PIDs belong to another namespace', async () => {
    const a = new FakeHost(1);
    a.ps = { stdout: '  1\n  77\n', stderr: '', code: 0, signal: null };
    const { hub, time } = hubWith({ a });
    const telemetry = hub.for(sshHost('a'));
    telemetry.acquire('d');
    await time.advance(0);
    const gpu = a.gpuStreams[0];
    gpu?.line(gpuRow(gpu.fields, 0, time.clock.now()));
    const row = `${gpuRow(['timestamp'], 0, time.clock.now())}, GPU-fake-0, 603, python3, 1156`;
    a.appsStreams[0]?.line(row);
    await time.advance(1_000);
    expect(telemetry.latest().processes).toEqual({ kind: 'hiddenByContainer', count: 1, usedMemoryMiB: 1156 });
    // A new job starts, this time in our namespace: its PID was never asked about, so ps runs again.
    a.ps = { stdout: '  1\n  604\n', stderr: '', code: 0, signal: null };
    a.appsStreams[0]?.line(`${gpuRow(['timestamp'], 0, time.clock.now())}, GPU-fake-0, 604, python3, 2048`);
    await time.advance(1_000);
    expect(telemetry.latest().processes).toEqual({ kind: 'list', items: [{ pid: 604, name: 'python3', gpuUuid: 'GPU-fake-0', gpuIndex: 0, usedMemoryMiB: 2048 }] });
    expect(a.count('ps')).toBe(3);
  });
});

describe('ChangeThrottle', () => {
  it('fires a sample at once, holds the next one for the rest of the gap, and coalesces the rest', async () => {
    const time = new VirtualTime();
    const fired: number[] = [];
    const start = time.clock.now();
    const throttle = new ChangeThrottle({ clock: time.clock, timers: time }, 500, () => fired.push(time.clock.now() - start));
    throttle.sample();
    await time.advance(100);
    throttle.sample();
    throttle.other();
    throttle.sample();
    await time.advance(1_000);
    expect(fired).toEqual([0, 500]);
    throttle.other();
    await time.advance(100);
    throttle.other();
    throttle.other();
    await time.advance(1_000);
    // Leading edge at 1100, one trailing call for the two changes that came within the gap.
    expect(fired).toEqual([0, 500, 1_100, 1_600]);
  });

  it('never holds a sample back for a state change', async () => {
    const time = new VirtualTime();
    const fired: number[] = [];
    const throttle = new ChangeThrottle({ clock: time.clock, timers: time }, 500, () => fired.push(time.clock.now()));
    throttle.other();
    await time.advance(10);
    throttle.sample();
    expect(fired).toHaveLength(2);
    throttle.dispose();
    expect(time.pending).toBe(0);
  });

  it('forgets a gone host and its history at once when nothing holds it', async () => {
    const a = new FakeHost(1);
    const { hub, time } = hubWith({ a });
    const release = hub.for(sshHost('a')).acquire('d');
    await time.advance(0);
    a.gpuStreams[0]?.line(gpuRow(a.gpuStreams[0].fields, 0, time.clock.now()));
    release();
    expect(hub.size).toBe(1);
    hub.forget('a');
    expect(hub.size).toBe(0);
    expect(hub.for(sshHost('a')).snapshot('5m').gpus).toEqual([]);
  });

  it('a gone host an open dashboard still holds is forgotten when the dashboard lets go, not under it', async () => {
    const a = new FakeHost(1);
    const { hub, time } = hubWith({ a });
    const held = hub.for(sshHost('a'));
    const release = held.acquire('dashboard');
    await time.advance(0);
    hub.forget('a');
    expect(hub.size).toBe(1);
    expect(a.openStreams).toHaveLength(2);
    expect(hub.for(sshHost('a'))).toBe(held);
    // Asked for again above: no longer gone. Forget once more, then the last consumer leaves.
    hub.forget('a');
    release();
    expect(hub.size).toBe(0);
    expect(a.openStreams).toHaveLength(0);
    expect(time.pending).toBe(0);
  });

  it('follows an instance to its new address: streams reconnect there at once, with the same HostTelemetry', async () => {
    const before = new FakeHost(1);
    const after = new FakeHost(1);
    const time = new VirtualTime();
    const asked: string[] = [];
    const hub = new TelemetryHub({
      connect: async (h) => {
        asked.push(h.hostname);
        return h.hostname === 'new' ? after : before;
      },
      clock: time.clock,
      timers: time,
      random: () => 0.5,
      logger: silentLogger,
    });
    const telemetry = hub.for({ ...sshHost('runpod:p1'), hostname: 'old' });
    telemetry.acquire('autostop');
    await time.advance(0);
    // An older copy of the host from some consumer does not move it back.
    expect(hub.for({ ...sshHost('runpod:p1'), hostname: 'old' })).toBe(telemetry);
    hub.hostChanged({ ...sshHost('runpod:p1'), hostname: 'new' });
    await time.advance(0);
    expect(asked).toEqual(['old', 'new']);
    expect(before.openStreams).toHaveLength(0);
    expect(after.openStreams).toHaveLength(2);
    // Only the address counts: a new label or key list is no reason to reconnect.
    hub.hostChanged({ ...sshHost('runpod:p1'), hostname: 'new', label: 'renamed', identityFiles: ['/k'] });
    await time.advance(0);
    expect(asked).toHaveLength(2);
  });
});
