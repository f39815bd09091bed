import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointSettingsSchema } from '../checkpoints/checkpointSettings';
import { filterPredicates, scanFilterOf } from '../checkpoints/scanFilter';
import type { RemoteGpuError } from '../errors';
import { DEFAULT_IDLE_POLICY } from '../idle/policy';
import { describeWatchdog, uninstallWatchdogCommand, watchdogStatusCommand } from './watchdogCommands';
import { watchdogConfigFrom } from './watchdogConfig';
import type { WatchdogProgress } from './watchdogProgress';
import { PROGRESS_CHECK_SH, progressFindArgv, progressFindFunction, watchdogProgressFrom } from './watchdogProgress';
import { watchdogScript } from './watchdogScript';

const DEFAULTS = CheckpointSettingsSchema.parse({});
const progressOf = (root: string, over: Partial<WatchdogProgress> = {}): WatchdogProgress => {
  const p = watchdogProgressFrom({ roots: [root], patterns: DEFAULTS.progressFiles, exclude: DEFAULTS.exclude, maxDepth: DEFAULTS.maxDepth });
  if (!p) throw new Error('no progress config');
  return { ...p, ...over };
};
const shells = ['sh', ...(existsSync('/usr/bin/dash') ? ['/usr/bin/dash'] : [])];

let tmp: string;
let proj: string;
let state: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'rgpu-wdprogress-'));
  proj = join(tmp, 'proj');
  state = join(tmp, 'state');
  mkdirSync(proj);
  mkdirSync(state);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const put = (rel: string, text = 'x\n') => {
  mkdirSync(join(proj, rel, '..'), { recursive: true });
  writeFileSync(join(proj, rel), text);
};

/** The script's own functions, run alone: progress_find's listing (paths), or one progress_check ("LISTED GREW BYTES"). */
function runProgress(p: WatchdogProgress, call: 'progress_find' | 'progress_check', shell = 'sh'): string {
  const prelude = [
    `PROGRESS_MARK=${state}/progress-mark`,
    `PROGRESS_PREV=${state}/progress-prev`,
    `PROGRESS_NOW=${state}/progress-now`,
    `[ -f "$PROGRESS_MARK" ] || touch "$PROGRESS_MARK"`,
  ].join('\n');
  const body = call === 'progress_find' ? `(cd "$HOME" && progress_find)` : 'progress_check';
  return execFileSync(shell, ['-c', [prelude, progressFindFunction(p), PROGRESS_CHECK_SH, body].join('\n')], { env: { PATH: process.env.PATH, HOME: tmp }, cwd: '/', encoding: 'utf8' });
}
const check = (p: WatchdogProgress, shell?: string) => {
  const [listed, grew, bytes] = runProgress(p, 'progress_check', shell).trim().split(' ').map(Number);
  return { listed, grew, bytes };
};

describe('watchdog progress config', () => {
  it('takes the folder the extension scans and its patterns; no folder or no pattern turns it off', () => {
    const p = watchdogProgressFrom({ roots: ['~/proj/', ' /data/run ', '~/proj'], patterns: ['*.log', 'logs/*.jsonl'], exclude: ['.git'], maxDepth: 8 });
    expect(p).toMatchObject({ roots: ['proj', '/data/run'], names: ['*.log'], paths: ['logs/*.jsonl'], maxDepth: 8, maxFiles: 2000 });
    expect(watchdogProgressFrom({ roots: [], patterns: ['*.log'], exclude: [], maxDepth: 8 })).toBeUndefined();
    expect(watchdogProgressFrom({ roots: ['x'], patterns: [], exclude: [], maxDepth: 8 })).toBeUndefined();
  });

  it('refuses a folder with a line break in words, and quotes a hostile folder as one value', () => {
    try {
      watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'none' }, { progress: progressOf('/tmp/a\nb') });
      throw new Error('accepted');
    } catch (e) {
      expect((e as RemoteGpuError).message).toMatch(/log folder "\/tmp\/a\nb" must be a path without line breaks/);
      expect((e as RemoteGpuError).detail).toBe('progress.roots');
    }
    const hostile = `/tmp/it's $(touch ${tmp}/pwned) \`id\` [x]*`;
    const script = watchdogScript(watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'none' }, { progress: progressOf(hostile) }));
    expect(script).toContain(`'/tmp/it'\\''s $(touch ${tmp}/pwned) \`id\` [x]*'`);
    // In -path patterns the folder is literal: its glob characters are escaped for fnmatch.
    expect(script).toContain(`'/tmp/it'\\''s $(touch ${tmp}/pwned) \`id\` \\[x]\\*/*'`);
    for (const shell of shells) execFileSync(shell, ['-n'], { input: script });
    expect(script).not.toMatch(/\beval\b/);
  });

  it('uses only POSIX find primaries (no -maxdepth, -printf, -regex)', () => {
    const argv = progressFindArgv(progressOf('proj'), 'proj');
    expect(argv.filter((a) => a.startsWith('-'))).toEqual(expect.arrayContaining(['-H', '-path', '-prune', '-type', '-name', '-newer', '-print']));
    expect(argv.some((a) => /^-(maxdepth|mindepth|printf|regex|iname|quit)$/.test(a))).toBe(false);
    expect(argv).toContain('proj/*/*/*/*/*/*/*/*/*'); // depth 9 and deeper is pruned (maxDepth 8)
  });
});

describe('watchdog progress listing on a real tree (the same files the extension counts)', () => {
  it('lists what the checkpoint scan classes as logs: hidden and excluded folders skipped, wandb output entered, depth bounded', () => {
    for (const rel of [
      'train.log', 'sub/run.out', 'sub/run.err', 'runs/events.out.tfevents.1.host', 'lightning_logs/version_0/metrics.csv', 'logs/app.jsonl',
      'wandb/run-1/files/output.log', 'wandb/run-1/logs/debug.log', 'wandb/debug.log', '.hidden/h.log', '.git/x.log', 'node_modules/p/m.log',
      'model.pt', 'notes.txt', '1/2/3/4/5/6/7/deep8.log', '1/2/3/4/5/6/7/8/deep9.log', `odd $(touch pwned) 'q" \\ name.log`, 'sp ace/ x.log',
    ]) put(rel);
    const listed = new Set(runProgress(progressOf(proj), 'progress_find').split('\n').filter((l) => l !== '').map((l) => l.slice(proj.length + 1)));
    // The extension's own classification of the same tree (the SFTP walk's predicates).
    const pred = filterPredicates(scanFilterOf({ ...DEFAULTS, progressFiles: DEFAULTS.progressFiles }), proj);
    const expected = new Set<string>();
    const walk = (rel: string, depth: number) => {
      for (const e of readdirSync(join(proj, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!pred.excluded(e.name) && depth < DEFAULTS.maxDepth) walk(r, depth + 1);
        } else if (pred.kind(r) === 'log') expected.add(r);
      }
    };
    walk('', 1);
    expect([...listed].sort()).toEqual([...expected].sort());
    expect(listed).toContain('wandb/run-1/files/output.log');
    expect(listed).toContain('1/2/3/4/5/6/7/deep8.log');
    expect(listed).not.toContain('1/2/3/4/5/6/7/8/deep9.log');
    expect(listed).not.toContain('.hidden/h.log');
    expect(existsSync(join(proj, 'pwned'))).toBe(false);
  });

  it.each(shells)('judges growth per file by size under %s: append and new files count, touch and rotation do not', (shell) => {
    // "~/proj" as in the setting: relative to $HOME for find and ls alike, wherever the watchdog's working folder is.
    const p = progressOf('~/proj');
    expect(p.roots).toEqual(['proj']);
    put('train.log', 'epoch 1\n');
    put('old.log', 'finished long ago\n');
    expect(check(p, shell)).toEqual({ listed: 2, grew: 0, bytes: 0 }); // the first look is a baseline
    appendFileSync(join(proj, 'train.log'), 'epoch 2\n');
    expect(check(p, shell)).toEqual({ listed: 2, grew: 1, bytes: 8 });
    expect(check(p, shell)).toEqual({ listed: 2, grew: 0, bytes: 0 }); // stopped growing
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(proj, 'old.log'), future, future); // touched: a new mtime, no bytes
    expect(check(p, shell)).toMatchObject({ grew: 0 });
    truncateSync(join(proj, 'train.log'), 0); // copytruncate rotation
    expect(check(p, shell)).toMatchObject({ grew: 0 });
    renameSync(join(proj, 'old.log'), join(proj, 'old.log.1')); // rename rotation: the new file starts empty
    put('old.log', '');
    expect(check(p, shell)).toMatchObject({ listed: 2, grew: 0 });
    appendFileSync(join(proj, 'old.log'), 'again\n');
    put('runs/events.out.tfevents.2.host', 'new event file\n'); // a new file written since the last look
    expect(check(p, shell)).toEqual({ listed: 3, grew: 2, bytes: 6 + 15 });
    put('copied.log', 'an old log copied in\n');
    const past = new Date(Date.now() - 86_400_000);
    utimesSync(join(proj, 'copied.log'), past, past); // appeared, but written before the last look
    expect(check(p, shell)).toEqual({ listed: 4, grew: 0, bytes: 0 });
  });

  it('a listing over the file bound is partial: known files still count, a new one does not look new', () => {
    const p = progressOf(proj, { maxFiles: 3 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) put(`${n}.log`, `${n}\n`);
    expect(check(p)).toMatchObject({ listed: 3, grew: 0 });
    const prev = runProgress(p, 'progress_check'); // the same three known files (directory order is stable)
    expect(prev.trim()).toBe('3 0 0');
    for (const n of ['a', 'b', 'c', 'd', 'e']) appendFileSync(join(proj, `${n}.log`), 'more\n');
    expect(check(p)).toEqual({ listed: 3, grew: 3, bytes: 15 });
  });

  it('a file name with a line break is left out and breaks nothing', () => {
    put('ok.log', 'a\n');
    put('evil\n1 -rw-r--r-- 1 0 0 999999 Jan 1 00:00 x.log', 'b\n');
    const p = progressOf(proj);
    // Every line of the listing is one whole path: the name is not split into a forged second line.
    expect(runProgress(p, 'progress_find').split('\n').filter((l) => l !== '')).toEqual([`${proj}/ok.log`]);
    expect(check(p)).toEqual({ listed: 1, grew: 0, bytes: 0 });
    appendFileSync(join(proj, 'evil\n1 -rw-r--r-- 1 0 0 999999 Jan 1 00:00 x.log'), 'grows\n');
    expect(check(p)).toEqual({ listed: 1, grew: 0, bytes: 0 });
    expect(statSync(join(proj, 'ok.log')).size).toBe(2);
  });
});

describe('watchdog progress in the state and the status line', () => {
  const line = (state: object) =>
    describeWatchdog(watchdogStatusCommand('.remote-gpu').parse({ stdout: `installed=1\nrunning=1\n---\n${JSON.stringify(state)}\n`, stderr: '', code: 0, signal: null }));
  const base = { version: '2', pid: 42, idleSec: 0, windowSec: 1800, personQuietSec: null, personWindowSec: 900, lastUtil: 0, at: 1, stopKind: 'shutdown', logFiles: 3 };

  it('says a growing log keeps the machine, with how much it grew', () => {
    expect(line({ ...base, verdict: 'progress', logGrew: { files: 1, bytes: 2048, at: 1 } })).toBe('watchdog armed: GPUs quiet, but a log file grew by 2.0 KiB, so it counts as work');
    expect(line({ ...base, verdict: 'progress', logGrew: null })).toBe('watchdog armed: GPUs quiet, but a log file grew, so it counts as work');
  });

  it('still reads a version 1 state (no log fields)', () => {
    const { logFiles: _omit, ...v1 } = base;
    expect(line({ ...v1, version: '1', verdict: 'armed', idleSec: 720 })).toBe('watchdog armed: idle 12 min of 30 min');
  });

  it('uninstall removes the progress files too', () => {
    expect(uninstallWatchdogCommand('.remote-gpu').argv[2]).toContain('"$dir/progress-prev" "$dir/progress-now" "$dir/progress-mark" "$dir/progress-mark.next"');
  });
});
