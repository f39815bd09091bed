import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteExec } from '../../../src/core/remote/remoteCommand';
import { runRemote } from '../../../src/core/remote/remoteCommand';
import { installWatchdogCommand, watchdogStatusCommand } from '../../../src/core/watchdog/watchdogCommands';
import type { WatchdogConfig } from '../../../src/core/watchdog/watchdogConfig';
import { watchdogConfigHash } from '../../../src/core/watchdog/watchdogScript';
import { WatchdogSync } from '../../../src/core/watchdog/watchdogSync';
import type { SshConnection } from '../../../src/remote/sshConnection';
import { recordingLogger } from '../sshTestKit';
import { calls, sec, sleep, startWatchdogRig, type WatchdogRig } from './watchdogRigKit';

// Settings drift over real OpenSSH: a watchdog installed with a 40 s idle window, then the window set to 4 s in the
// extension. The sync sees the old config hash, updates the watchdog once, and it stops the box after the new window
// (long before the old one would have). GPUs at 0 % (a stub nvidia-smi); a stop command that records its calls.

let w: WatchdogRig;
let conn: SshConnection;
const DIR = 'wd-settings';

beforeAll(async () => {
  w = await startWatchdogRig();
  w.installed.push(DIR);
  conn = w.conn;
}, 60_000);

afterAll(async () => w?.stop());

describe('watchdog settings drift on the OpenSSH rig', () => {
  it('a changed idle window reaches the running watchdog once; it stops after the new window; a later update keeps the stop sent', async () => {
    const home = w.home;
    const smi = await w.idleSmi(1);
    const stops = join(home, 'stops');
    const installed: WatchdogConfig = {
      dir: DIR, gpuBusyPercent: 5, busySharePercent: 10, bucketSec: 2, sampleSec: 1, idleWindowSec: 40, personWindowSec: 3,
      stop: { kind: 'command', argv: ['sh', '-c', 'date +%s >> "$1"', 'sh', stops] }, nvidiaSmi: smi,
    };
    const installedAt = Date.now();
    expect(await runRemote(conn, installWatchdogCommand(installed, 'nohup'))).toBe('nohup');
    // Its first state: the old window and the old config's hash (in the state and read from the script).
    let first = await runRemote(conn, watchdogStatusCommand(DIR));
    for (let i = 0; i < 20 && !first.state; i++) first = (await sleep(200), await runRemote(conn, watchdogStatusCommand(DIR)));
    expect(first).toMatchObject({ installed: true, running: true, configHash: watchdogConfigHash(installed), state: { windowSec: 40, config: watchdogConfigHash(installed) } });

    // The user sets a 4 s window. What goes over the wire is counted: one update, not one per read.
    let installs = 0;
    const counting: RemoteExec = { exec: (argv, o) => ((installs += argv[2]?.includes('watchdog.sh.tmp') ? 1 : 0), conn.exec(argv, o)) };
    const logger = recordingLogger();
    const sync = new WatchdogSync(logger, 'nohup');
    const changed: WatchdogConfig = { ...installed, idleWindowSec: 4 };
    const updatedAt = Date.now();
    const result = await sync.read('rig', counting, DIR, changed);
    expect(result.drift).toBe('current');
    expect(result.status.configHash).toBe(watchdogConfigHash(changed));
    expect(installs).toBe(1);
    expect(logger.lines.join('\n')).toMatch(/settings changed \(config [0-9a-f]{16} -> [0-9a-f]{16}\), updated and restarted \(nohup\); idle 4 s/);

    while (Date.now() < updatedAt + sec(15) && (await calls(stops)).length === 0) {
      expect((await sync.read('rig', counting, DIR, changed)).drift).toBe('current');
      await sleep(500);
    }
    const stopCalls = await calls(stops);
    expect(stopCalls).toHaveLength(1);
    const stoppedAt = Number(stopCalls[0]) * 1000;
    console.log(`watchdog stop ${((stoppedAt - updatedAt) / 1000).toFixed(1)} s after the settings update (new window 4 s, old 40 s)`);
    // After the new window (whole seconds in the record and in the script's own count: two seconds of slack), and
    // long before the old one.
    expect(stoppedAt).toBeGreaterThanOrEqual(updatedAt + sec(changed.idleWindowSec) - sec(2));
    expect(stoppedAt).toBeLessThan(installedAt + sec(installed.idleWindowSec) - sec(10));
    expect(installs).toBe(1);
    const stopped = await runRemote(conn, watchdogStatusCommand(DIR));
    expect(stopped.state).toMatchObject({ verdict: 'stopped', windowSec: 4 });

    // Another change after the stop: updated (new hash), but "stopped this boot" stays: no second stop.
    const again: WatchdogConfig = { ...changed, idleWindowSec: 6 };
    expect((await sync.read('rig', counting, DIR, again)).drift).toBe('current');
    expect(installs).toBe(2);
    await sleep(sec(10));
    expect(await calls(stops)).toHaveLength(1);
    const last = await runRemote(conn, watchdogStatusCommand(DIR));
    expect(last).toMatchObject({ running: true, configHash: watchdogConfigHash(again), state: { verdict: 'stopped', windowSec: 6 } });
    const wdLog = await readFile(join(home, DIR, 'watchdog.log'), 'utf8');
    expect(wdLog.match(/started \(pid/g)).toHaveLength(3);
    expect(wdLog).not.toMatch(/syntax error|not found|unexpected/i);
  }, 60_000);
});
