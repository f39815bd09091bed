import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RemoteGpuError } from '../errors';
import { DEFAULT_IDLE_POLICY } from '../idle/policy';
import { describeWatchdog, installWatchdogCommand, watchdogStatusCommand } from './watchdogCommands';
import type { WatchdogStop } from './watchdogConfig';
import { watchdogConfigFrom } from './watchdogConfig';
import { watchdogScript } from './watchdogScript';

const STOPS: WatchdogStop[] = [{ kind: 'shutdown' }, { kind: 'runpod' }, { kind: 'vast' }, { kind: 'none' }, { kind: 'command', argv: ['/usr/local/bin/stop-box', "it's $(rm -rf ~) `x`"] }];
const shells = ['sh', ...(existsSync('/usr/bin/dash') ? ['/usr/bin/dash'] : [])];

describe('watchdog script', () => {
  it('takes the extension policy numbers, in seconds', () => {
    const c = watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'shutdown' });
    expect(c).toMatchObject({ gpuBusyPercent: 5, busySharePercent: 10, bucketSec: 60, sampleSec: 5, idleWindowSec: 1800, personWindowSec: 900, dir: '.remote-gpu' });
  });

  it.each(STOPS.map((s) => [s.kind, s] as const))('parses with %s under sh -n and dash -n', (_kind, stop) => {
    const script = watchdogScript(watchdogConfigFrom(DEFAULT_IDLE_POLICY, stop));
    expect(shells.length).toBeGreaterThan(0);
    for (const shell of shells) execFileSync(shell, ['-n'], { input: script });
  });

  it('every value is a quoted assignment; hostile text stays literal', () => {
    const script = watchdogScript(watchdogConfigFrom(DEFAULT_IDLE_POLICY, STOPS[4] as WatchdogStop, { nvidiaSmi: '/opt/x $(id)/nvidia-smi' }));
    expect(script).toContain("NVIDIA_SMI='/opt/x $(id)/nvidia-smi'");
    expect(script).toContain(`/usr/local/bin/stop-box 'it'\\''s $(rm -rf ~) \`x\`'`);
    // Nothing read from a file is evaluated: no eval, no sourcing.
    expect(script).not.toMatch(/\beval\b|^\s*\. |\bsource\b/m);
  });

  it('refuses a dir that would need quoting in a systemd unit, and nonsense windows, in words (the field names go to the log)', () => {
    const refusal = (over: Partial<Parameters<typeof watchdogConfigFrom>[2]>, stop: WatchdogStop = { kind: 'none' }) => {
      try {
        watchdogConfigFrom(DEFAULT_IDLE_POLICY, stop, over);
      } catch (e) {
        return e as RemoteGpuError;
      }
      throw new Error('accepted');
    };
    expect(refusal({ dir: '.remote gpu' }).message).toMatch(/folder ".remote gpu" may use only/);
    expect(refusal({ dir: '../x' }).detail).toBe('dir');
    const sample = refusal({ sampleSec: 0 });
    expect(sample.reason).toBe('config');
    expect(sample.message).toMatch(/sample interval must be a whole number of seconds/);
    expect(sample.message).not.toMatch(/sampleSec/);
    expect(sample.detail).toBe('sampleSec');
    expect(refusal({}, { kind: 'command', argv: [] }).message).toMatch(/stop command is empty/);
  });
});

describe('watchdog commands', () => {
  it('install sends the script as one argument of a fixed program', () => {
    const c = watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'vast' });
    const cmd = installWatchdogCommand(c, 'nohup');
    expect(cmd.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(cmd.argv.slice(3)).toEqual(['sh', '.remote-gpu', watchdogScript(c), 'nohup', 'install']);
    for (const shell of shells) execFileSync(shell, ['-n'], { input: cmd.argv[2] });
    expect(cmd.parse({ stdout: 'mode=systemd\n', stderr: '', code: 0, signal: null })).toBe('systemd');
    expect(() => cmd.parse({ stdout: '', stderr: 'mkdir: Permission denied', code: 1, signal: null })).toThrow(/Could not install/);
  });

  it('status reads the state file and says it in words; a torn state file is no state', () => {
    const cmd = watchdogStatusCommand('.remote-gpu');
    const state = { version: '1', pid: 42, verdict: 'armed', idleSec: 720, windowSec: 1800, personQuietSec: null, personWindowSec: 900, lastUtil: 0, at: 1, stopKind: 'shutdown' };
    const s = cmd.parse({ stdout: `installed=1\nrunning=1\n---\n${JSON.stringify(state)}\n`, stderr: '', code: 0, signal: null });
    expect(describeWatchdog(s)).toBe('watchdog armed: idle 12 min of 30 min');
    const torn = cmd.parse({ stdout: 'installed=1\nrunning=1\n---\n{"version":"1","pi', stderr: '', code: 0, signal: null });
    expect(torn.state).toBeUndefined();
    expect(describeWatchdog(torn)).toBe('watchdog starting');
    expect(describeWatchdog(cmd.parse({ stdout: 'installed=0\nrunning=0\n---\n', stderr: '', code: 0, signal: null }))).toBe('watchdog not installed');
  });
});
