import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../errors';
import { DEFAULT_IDLE_POLICY } from '../idle/policy';
import { silentLogger } from '../logger';
import type { ExecResult, RemoteExec } from '../remote/remoteCommand';
import { watchdogStatusCommand, type WatchdogStatus } from './watchdogCommands';
import { watchdogConfigFrom } from './watchdogConfig';
import { watchdogProgressFrom } from './watchdogProgress';
import { watchdogConfigHash, watchdogScript } from './watchdogScript';
import { watchdogDrift, WatchdogSync } from './watchdogSync';

const base = watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'shutdown' });
const installed = (configHash?: string): WatchdogStatus => ({ installed: true, running: true, ...(configHash ? { configHash } : {}) });

describe('watchdog settings drift (pure)', () => {
  it('each setting the watchdog uses changes the hash; the same settings give the same hash', () => {
    const h = watchdogConfigHash(base);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(watchdogConfigHash(watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'shutdown' }))).toBe(h);
    const progress = watchdogProgressFrom({ roots: ['proj'], patterns: ['*.log'], exclude: [], maxDepth: 4 });
    if (!progress) throw new Error('no progress config');
    const variants = [
      watchdogConfigFrom({ ...DEFAULT_IDLE_POLICY, idleWindowMs: 120 * 60_000 }, { kind: 'shutdown' }),
      watchdogConfigFrom({ ...DEFAULT_IDLE_POLICY, gpuBusyPercent: 10 }, { kind: 'shutdown' }),
      watchdogConfigFrom({ ...DEFAULT_IDLE_POLICY, personWindowMs: 5 * 60_000 }, { kind: 'shutdown' }),
      watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'command', argv: ['sudo', 'poweroff'] }),
      watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'command', argv: ['sudo', 'halt'] }),
      watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'shutdown' }, { progress }),
      watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'shutdown' }, { progress: { ...progress, roots: ['other'] } }),
    ];
    const hashes = new Set([h, ...variants.map(watchdogConfigHash)]);
    expect(hashes.size).toBe(variants.length + 1);
    // The hash is the one the script carries, as its first assignment.
    expect(watchdogScript(base)).toContain(`\nCONFIG_HASH='${h}'\n`);
  });

  it('pushes once per wanted config: current, update, then out of date (no loop); a new setting pushes again', () => {
    const a = 'aaaaaaaaaaaaaaaa';
    const b = 'bbbbbbbbbbbbbbbb';
    expect(watchdogDrift({ status: installed(a), wanted: a, tried: undefined })).toBe('current');
    expect(watchdogDrift({ status: installed(a), wanted: b, tried: undefined })).toBe('update');
    expect(watchdogDrift({ status: installed(a), wanted: b, tried: b })).toBe('outOfDate');
    expect(watchdogDrift({ status: installed(a), wanted: a, tried: b })).toBe('current');
    expect(watchdogDrift({ status: installed(b), wanted: 'cccccccccccccccc', tried: b })).toBe('update');
    // A version 2 script has no hash: updated once.
    expect(watchdogDrift({ status: installed(), wanted: a, tried: undefined })).toBe('update');
    // Nothing to compare: not installed there (removed by hand: never reinstalled behind the user's back), or unknown.
    expect(watchdogDrift({ status: { installed: false, running: false }, wanted: a, tried: undefined })).toBe('none');
    expect(watchdogDrift({ status: undefined, wanted: a, tried: undefined })).toBe('none');
    expect(watchdogDrift({ status: installed(a), wanted: undefined, tried: undefined })).toBe('none');
  });
});

/** A host whose "remote" is a local sh with HOME in a temp folder; the update itself can be made to fail. */
function localHost(home: string, opts: { failUpdate?: 'unreachable' | 'exit' } = {}) {
  const runs: string[] = [];
  const exec: RemoteExec = {
    exec: async (argv): Promise<ExecResult> => {
      const isInstall = argv[2]?.includes('watchdog.sh.tmp') === true;
      runs.push(isInstall ? `install:${argv[argv.length - 1]}` : 'status');
      if (isInstall && opts.failUpdate === 'unreachable') throw new RemoteGpuError('unreachable', 'Could not reach the host.');
      if (isInstall && opts.failUpdate === 'exit') return { stdout: '', stderr: 'disk full', code: 1, signal: null };
      // The install is run with "nohup" but the watchdog itself is not wanted here: only its files.
      const args = isInstall ? [...argv.slice(1, -2), 'nohup', argv[argv.length - 1] as string] : argv.slice(1);
      const program = isInstall ? (args[1] as string).replace(/setsid nohup \/bin\/sh .*&|nohup \/bin\/sh .*&/g, ':') : (args[1] as string);
      return new Promise((resolve) =>
        execFile('sh', [args[0] as string, program, ...args.slice(2)], { env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') } }, (err, stdout, stderr) =>
          resolve({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, signal: null }),
        ),
      );
    },
  };
  return { exec, runs };
}

describe('WatchdogSync against a local sh (the real install and status programs)', () => {
  let home = '';
  afterEach(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  const oldConfig = { ...base, dir: 'wd', idleWindowSec: 1800 };
  const newConfig = { ...base, dir: 'wd', idleWindowSec: 7200 };

  async function installOld(): Promise<void> {
    home = await mkdtemp(join(tmpdir(), 'wd-sync-'));
    await mkdir(join(home, 'wd'), { recursive: true });
    await writeFile(join(home, 'wd', 'watchdog.sh'), `${watchdogScript(oldConfig)}\n`);
    await writeFile(join(home, 'wd', 'watchdog-stopped'), 'some-boot\n');
  }

  it('reads the installed hash from the script, updates once to the new settings and keeps "stopped this boot"', async () => {
    await installOld();
    const host = localHost(home);
    const status = await watchdogStatusCommand('wd').parse(await host.exec.exec(watchdogStatusCommand('wd').argv));
    expect(status.configHash).toBe(watchdogConfigHash(oldConfig));
    const sync = new WatchdogSync(silentLogger, 'nohup');
    const first = await sync.read('box', host.exec, 'wd', newConfig);
    expect(first.drift).toBe('current');
    expect(first.status.configHash).toBe(watchdogConfigHash(newConfig));
    expect(host.runs).toEqual(['status', 'status', 'install:update', 'status']);
    expect(await readFile(join(home, 'wd', 'watchdog.sh'), 'utf8')).toMatch(/^IDLE_WINDOW_SEC='?7200'?$/m);
    expect((await readFile(join(home, 'wd', 'watchdog-stopped'), 'utf8')).trim()).toBe('some-boot');
    // Current now: the next reads only read.
    await sync.read('box', host.exec, 'wd', newConfig);
    expect(host.runs.slice(4)).toEqual(['status']);
  });

  it('unreachable for the update: out of date, tried again at the next read; refused by the instance: not repeated', async () => {
    await installOld();
    const down = localHost(home, { failUpdate: 'unreachable' });
    const sync = new WatchdogSync(silentLogger, 'nohup');
    expect((await sync.read('box', down.exec, 'wd', newConfig)).drift).toBe('outOfDate');
    expect((await sync.read('box', down.exec, 'wd', newConfig)).drift).toBe('outOfDate');
    expect(down.runs).toEqual(['status', 'install:update', 'status', 'install:update']);
    const full = localHost(home, { failUpdate: 'exit' });
    const other = new WatchdogSync(silentLogger, 'nohup');
    expect((await other.read('box', full.exec, 'wd', newConfig)).drift).toBe('outOfDate');
    expect((await other.read('box', full.exec, 'wd', newConfig)).drift).toBe('outOfDate');
    expect(full.runs).toEqual(['status', 'install:update', 'status']);
    // The settings change again: one new try.
    await other.read('box', full.exec, 'wd', { ...newConfig, idleWindowSec: 600 });
    expect(full.runs.slice(3)).toEqual(['status', 'install:update']);
  });
});
