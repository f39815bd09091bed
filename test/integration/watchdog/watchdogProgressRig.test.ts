import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointSettingsSchema } from '../../../src/core/checkpoints/checkpointSettings';
import { runRemote } from '../../../src/core/remote/remoteCommand';
import { describeWatchdog, installWatchdogCommand, watchdogStatusCommand, type WatchdogStatus } from '../../../src/core/watchdog/watchdogCommands';
import type { WatchdogConfig } from '../../../src/core/watchdog/watchdogConfig';
import { watchdogProgressFrom } from '../../../src/core/watchdog/watchdogProgress';
import type { SshConnection } from '../../../src/remote/sshConnection';
import { calls, sec, sleep, startWatchdogRig, type WatchdogRig } from './watchdogRigKit';

// The watchdog's progress signal over real OpenSSH: GPUs at 0 % on two boxes, one whose project log keeps growing
// (a CPU-bound step) and one whose log sits still. Windows scaled to seconds; the default patterns and excludes.
const DEFAULTS = CheckpointSettingsSchema.parse({});

let w: WatchdogRig;
let conn: SshConnection;

const recorder = (file: string) => ({ kind: 'command' as const, argv: ['sh', '-c', 'date +%s >> "$1"', 'sh', file] });
const config = (dir: string, project: string, stopFile: string, smi: string): WatchdogConfig => {
  const progress = watchdogProgressFrom({ roots: [project], patterns: DEFAULTS.progressFiles, exclude: DEFAULTS.exclude, maxDepth: DEFAULTS.maxDepth });
  return {
    dir, gpuBusyPercent: 5, busySharePercent: 10, bucketSec: 2, sampleSec: 1, idleWindowSec: 4, personWindowSec: 3,
    stop: recorder(stopFile), nvidiaSmi: smi, ...(progress ? { progress } : {}),
  };
};

beforeAll(async () => {
  w = await startWatchdogRig();
  conn = w.conn;
}, 60_000);

afterAll(async () => w?.stop());

describe('watchdog progress signal on the OpenSSH rig', () => {
  it('keeps a box whose log grows at 0 % GPU, stops it once after the window when the log stops; hostile names are inert', async () => {
    const home = w.home;
    const smi = await w.idleSmi(2);
    // A relative project folder (as "~/proj" in the setting), with names built to break a careless script.
    await mkdir(join(home, 'proj', 'data'), { recursive: true });
    await mkdir(join(home, 'still'), { recursive: true });
    const log = join(home, 'proj', 'preprocess.log');
    await writeFile(log, 'start\n');
    await writeFile(join(home, 'still', 'preprocess.log'), 'finished yesterday\n');
    const hostile = [`$(touch pwned) 'q" \`id\`.log`, `line\nbreak $(touch pwned2).log`, '-rf.log', '*.log', 'a\\b.log'];
    for (const name of hostile) await writeFile(join(home, 'proj', 'data', name), 'x\n');

    const growingStops = join(home, 'growing-stops');
    const stillStops = join(home, 'still-stops');
    const growing = config('wd-growing', '~/proj', growingStops, smi);
    const still = config('wd-still', 'still', stillStops, smi);
    for (const c of [growing, still]) {
      w.installed.push(c.dir);
      expect(await runRemote(conn, installWatchdogCommand(c, 'nohup'))).toBe('nohup');
    }

    // A CPU-bound step writes its log for 10 s (2.5 idle windows) while the GPUs read 0 %.
    const until = Date.now() + sec(10);
    let sawProgress: WatchdogStatus | undefined;
    let lastWrite = 0;
    while (Date.now() < until) {
      await appendFile(log, `${new Date().toISOString()} tokenised another shard\n`);
      lastWrite = Date.now();
      const s = await runRemote(conn, watchdogStatusCommand('wd-growing'));
      if (s.state?.verdict === 'progress') sawProgress = s;
      await sleep(500);
    }
    expect(await calls(growingStops), 'no stop while the log grows').toEqual([]);
    expect(sawProgress?.state).toMatchObject({ verdict: 'progress', idleSec: 0, logFiles: 1 + hostile.length - 1 });
    expect(sawProgress?.state?.logGrew?.bytes).toBeGreaterThan(0);
    expect(describeWatchdog(sawProgress ?? { installed: false, running: false })).toMatch(/^watchdog armed: GPUs quiet, but a log file grew by .+, so it counts as work$/);
    // The control: same GPUs, a log that does not grow, stopped within the same 10 s.
    expect(await calls(stillStops)).toHaveLength(1);

    // The log stopped growing: one stop, after the window, counted from the last growth.
    const deadline = lastWrite + sec(15);
    while (Date.now() < deadline && (await calls(growingStops)).length === 0) await sleep(250);
    const growingCalls = await calls(growingStops);
    expect(growingCalls).toHaveLength(1);
    const stoppedAt = Number(growingCalls[0]) * 1000;
    console.log(`watchdog stop ${((stoppedAt - lastWrite) / 1000).toFixed(1)} s after the log's last write (window ${growing.idleWindowSec} s)`);
    // The record is whole seconds and the script counts its window in whole `date +%s` seconds too (up to a second
    // each, so two of slack); the look runs once a bucket, so at most a bucket late, plus one.
    expect(stoppedAt).toBeGreaterThanOrEqual(lastWrite + sec(growing.idleWindowSec) - sec(2));
    expect(stoppedAt).toBeLessThan(lastWrite + sec(growing.idleWindowSec + 2 * growing.bucketSec + 1));

    await sleep(sec(5));
    expect(await calls(growingStops)).toHaveLength(1);
    expect(await calls(stillStops)).toHaveLength(1);
    const after = await runRemote(conn, watchdogStatusCommand('wd-growing'));
    expect(after).toMatchObject({ installed: true, running: true, state: { verdict: 'stopped' } });
    // The names' commands never ran (the watchdog's working folder is $HOME; ls ran in the project's folders).
    for (const d of [home, join(home, 'proj'), join(home, 'proj', 'data'), join(home, 'wd-growing')]) {
      expect(existsSync(join(d, 'pwned')) || existsSync(join(d, 'pwned2'))).toBe(false);
    }
    const wdLog = await readFile(join(home, 'wd-growing', 'watchdog.log'), 'utf8');
    expect(wdLog).toMatch(/GPUs quiet but 1 log file\(s\) grew by \d+ bytes: counted as work/);
    expect(wdLog).not.toMatch(/syntax error|not found|unexpected/i);
  }, 60_000);
});
