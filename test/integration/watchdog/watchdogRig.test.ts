import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemote } from '../../../src/core/remote/remoteCommand';
import { describeWatchdog, heartbeatCommand, installWatchdogCommand, uninstallWatchdogCommand, watchdogStatusCommand } from '../../../src/core/watchdog/watchdogCommands';
import type { WatchdogConfig } from '../../../src/core/watchdog/watchdogConfig';
import type { SshConnection } from '../../../src/remote/sshConnection';
import { calls, sec, sleep, startWatchdogRig, type WatchdogRig } from './watchdogRigKit';

// The watchdog over real OpenSSH, three copies at once in their own dirs: the simulator replaying the H100 trace
// 4x fast, a box kept alive only by the heartbeat, and a box whose nvidia-smi fails. Windows scaled to seconds.
const SIM_BIN = fileURLToPath(new URL('../../rig/nvidia-smi/bin', import.meta.url));
const SPEEDUP = 4;

let w: WatchdogRig;
let conn: SshConnection;
let traceStart = 0;
let idleSmi = '';

const base = (dir: string, over: Partial<WatchdogConfig>): WatchdogConfig => ({
  dir, gpuBusyPercent: 5, busySharePercent: 10, bucketSec: 2, sampleSec: 1, idleWindowSec: 4, personWindowSec: 3,
  stop: { kind: 'none' }, nvidiaSmi: 'nvidia-smi', ...over,
});
/** A stop command that records each call (epoch seconds, and its last argument verbatim). */
const recorder = (file: string, extra: string) => ({ kind: 'command' as const, argv: ['sh', '-c', 'printf "%s %s\\n" "$(date +%s)" "$2" >> "$1"', 'sh', file, extra] });

beforeAll(async () => {
  // The replay starts 17 s into the trace (the job's process starting), so training begins about a second in.
  traceStart = Date.now() - sec(17) / SPEEDUP;
  w = await startWatchdogRig({ binDirs: [SIM_BIN], env: { NVIDIA_SMI_SIM_SPEEDUP: String(SPEEDUP), NVIDIA_SMI_SIM_START: String(traceStart) } });
  conn = w.conn;
  idleSmi = await w.idleSmi(2);
  await writeFile(join(w.home, 'stubs', 'smi-broken'), '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2\nexit 9\n', { mode: 0o755 });
}, 60_000);

afterAll(async () => w?.stop());

describe('watchdog on the OpenSSH rig', () => {
  it('stops once after the window on the replayed trace, never during training; heartbeat and broken nvidia-smi keep the box', async () => {
    const home = w.home;
    const traceStops = join(home, 'trace-stops');
    const personStops = join(home, 'person-stops');
    const brokenStops = join(home, 'broken-stops');
    const hostile = `$(touch ${home}/pwned) 'q' \`id\``;
    const trace = base('wd-trace', { stop: recorder(traceStops, 'trace') });
    const person = base('wd-person', { stop: recorder(personStops, hostile), nvidiaSmi: idleSmi });
    const broken = base(`${home}/wd-broken`, { stop: recorder(brokenStops, 'broken'), nvidiaSmi: join(home, 'stubs', 'smi-broken') });
    for (const c of [trace, person, broken]) {
      w.installed.push(c.dir);
      expect(await runRemote(conn, installWatchdogCommand(c, 'nohup'))).toBe('nohup');
    }
    // Keep the person box alive with heartbeats for 8 s, as the extension does while someone works there.
    let lastBeat = 0;
    const until = Date.now() + sec(8);
    while (Date.now() < until) {
      await runRemote(conn, heartbeatCommand('wd-person'));
      lastBeat = Math.floor(Date.now() / 1000);
      await sleep(700);
    }
    expect(await calls(personStops)).toEqual([]);
    const personStatus = await runRemote(conn, watchdogStatusCommand('wd-person'));
    expect(personStatus.state?.verdict).toBe('person');
    expect(describeWatchdog(personStatus)).toMatch(/kept by your activity/);

    // Training ends 59 s into the trace; the memory-held idle phase follows until 79 s.
    const trainingEnd = traceStart + sec(59) / SPEEDUP;
    const loopsAgain = traceStart + sec(90 + 19) / SPEEDUP;
    expect(await calls(traceStops), 'no stop during training').toEqual([]);
    const deadline = loopsAgain - sec(1);
    while (Date.now() < deadline && (await calls(traceStops)).length === 0) await sleep(250);
    const traceCalls = await calls(traceStops);
    expect(traceCalls).toHaveLength(1);
    const stoppedAt = Number(traceCalls[0]?.split(' ')[0]) * 1000;
    console.log(`watchdog stop ${((stoppedAt - trainingEnd) / 1000).toFixed(1)} s after training ended (window ${trace.idleWindowSec} s)`);
    // After the window, and before the trace loops to training. Slack: the record is in whole seconds (up to 1 s
    // early), and the watchdog samples once per sampleSec (1 s = 4 s of trace here), so its last busy sample can come
    // up to one sample before the trace's nominal end (measured 3.7-6.5 s after it with a 4 s window; the bound is 2 s).
    expect(stoppedAt).toBeGreaterThanOrEqual(trainingEnd + sec(trace.idleWindowSec) - sec(1) - sec(trace.sampleSec));
    expect(stoppedAt).toBeLessThan(loopsAgain);

    // The person box stopped once its heartbeats ended and the person window passed, with the hostile text literal.
    const personCalls = await calls(personStops);
    expect(personCalls).toHaveLength(1);
    expect(Number(personCalls[0]?.split(' ')[0])).toBeGreaterThanOrEqual(lastBeat + person.personWindowSec);
    expect(personCalls[0]?.slice(personCalls[0].indexOf(' ') + 1)).toBe(hostile);
    expect(existsSync(join(home, 'pwned'))).toBe(false);

    // Fires once: a few more buckets change nothing. The broken box never stopped: cannot measure is busy.
    await sleep(sec(5));
    expect(await calls(traceStops)).toHaveLength(1);
    expect(await calls(personStops)).toHaveLength(1);
    expect(await calls(brokenStops)).toEqual([]);
    const traceStatus = await runRemote(conn, watchdogStatusCommand('wd-trace'));
    expect(traceStatus).toMatchObject({ installed: true, running: true, state: { verdict: 'stopped', windowSec: 4 } });
    const brokenStatus = await runRemote(conn, watchdogStatusCommand(broken.dir));
    expect(brokenStatus.state).toMatchObject({ verdict: 'unmeasured', idleSec: 0, lastUtil: null });
    expect(describeWatchdog(brokenStatus)).toMatch(/cannot be measured/);

    // Uninstall stops the process and removes its files.
    await runRemote(conn, uninstallWatchdogCommand('wd-trace'));
    const gone = await runRemote(conn, watchdogStatusCommand('wd-trace'));
    expect(gone).toEqual({ installed: false, running: false, state: undefined });
  }, 90_000);
});
