import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../remote/remoteCommand';
import { DEFAULT_CHECKPOINT_SETTINGS } from './checkpointSettings';
import { findArgv, findScanCommand, parseFindRecords } from './findScan';
import { DEFAULT_PROGRESS_FILES, progressClassifier, progressFilterOf, PROGRESS_GLOB } from './progressFiles';
import { filterPredicates, prunedFolders, scanFilterOf } from './scanFilter';

const filter = scanFilterOf(DEFAULT_CHECKPOINT_SETTINGS);
const res = (stdout: string): ExecResult => ({ stdout, stderr: 'rgpu-now:1795341980\nrgpu-find-exit:0\n', code: 0, signal: null });
const rec = (tag: '' | 'L', size: number, mtimeS: number, path: string): string => `${tag}${size}\t${mtimeS}\t${path}\0`;

describe('progress files (log globs)', () => {
  it('splits name and path globs; enters an excluded folder only where a path glob names it', () => {
    const p = progressFilterOf(DEFAULT_PROGRESS_FILES, DEFAULT_CHECKPOINT_SETTINGS.exclude);
    expect(p?.names).toEqual(['*.log', '*.out', '*.err', 'events.out.tfevents.*']);
    expect(p?.paths).toEqual(['lightning_logs/*/metrics.csv', 'logs/*.jsonl', 'wandb/*/files/output.log']);
    expect(p?.enter).toEqual(['wandb']);
    expect(prunedFolders(filter)).not.toContain('wandb');
    expect(prunedFolders(filter)).toContain('node_modules');
    expect(progressFilterOf([], DEFAULT_CHECKPOINT_SETTINGS.exclude)).toBeUndefined();
    expect(scanFilterOf({ ...DEFAULT_CHECKPOINT_SETTINGS, progressFiles: [] }).progress).toBeUndefined();
  });

  it("the manifest's default for remoteGpu.autoStop.progressFiles is the code's", () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[] };
    };
    const sections = [manifest.contributes.configuration].flat();
    const setting = sections.map((c) => c.properties['remoteGpu.autoStop.progressFiles']).find((p) => p !== undefined);
    expect(setting?.default).toEqual(DEFAULT_PROGRESS_FILES);
  });

  it('refuses absolute patterns and NUL, takes the rest as data', () => {
    expect(PROGRESS_GLOB.safeParse('/var/log/*.log').success).toBe(false);
    expect(PROGRESS_GLOB.safeParse('a\0b').success).toBe(false);
    expect(PROGRESS_GLOB.safeParse("$(rm -rf ~)'*.log").success).toBe(true);
  });

  it('the log branch rides in the same find expression, every glob its own argv element', () => {
    const argv = findArgv('/proj', scanFilterOf({ ...DEFAULT_CHECKPOINT_SETTINGS, progressFiles: ["$(id) it's.log", 'runs/*/train.log'] }));
    const logBranch = argv.slice(argv.indexOf('%s\\t%T@\\t%P\\0') + 1);
    expect(logBranch).toEqual(['-o', '-type', 'f', '(', '-name', "$(id) it's.log", '-o', '-path', '*/runs/*/train.log', ')', '-printf', 'L%s\\t%T@\\t%P\\0']);
    expect(argv.filter((a) => a === 'sh')).toHaveLength(1);
    // Off: no log branch at all, the scan is what it was.
    const off = findArgv('/proj', scanFilterOf({ ...DEFAULT_CHECKPOINT_SETTINGS, progressFiles: [] }));
    expect(off.at(-1)).toBe('%s\\t%T@\\t%P\\0');
    expect(off).toContain('wandb');
  });

  it('parses tagged records with hostile names: newlines, tabs, a leading L, quotes, bytes that are not UTF-8', () => {
    const latin1 = Buffer.from([0x72, 0xe9, 0x73, 0x75, 0x6c, 0x74, 0x2e, 0x6c, 0x6f, 0x67]).toString('utf8'); // "résult.log" in Latin-1
    const out = rec('', 5, 1, 'L.pt') + rec('L', 10, 2, 'train\nrun 1.log') + rec('L', 3, 3, `"q'\t$(x).log`) + rec('L', 4, 4, latin1) + rec('L', 1, 5, 'L');
    const { entries, logs } = parseFindRecords(out);
    expect(entries).toEqual([{ path: 'L.pt', size: 5, mtimeMs: 1000 }]);
    expect(logs.map((l) => l.path)).toEqual(['train\nrun 1.log', `"q'\t$(x).log`, latin1, 'L']);
    expect(logs.map((l) => l.size)).toEqual([10, 3, 4, 1]);
  });

  it('keeps wandb console output, drops its debug logs and anything else in there, and logs in hidden folders', () => {
    const stdout = [
      rec('L', 100, 1, 'train.log'),
      rec('L', 100, 1, 'wandb/run-1/files/output.log'),
      rec('L', 100, 1, 'wandb/run-1/logs/debug-internal.log'),
      rec('', 100, 1, 'wandb/run-1/files/model.pt'),
      rec('L', 100, 1, '.vscode-server/data/logs/exthost.log'),
      rec('L', 100, 1, 'lightning_logs/version_0/metrics.csv'),
      rec('L', 100, 1, 'outputs/.hydra/x.log'),
      rec('', 100, 1, 'ckpt/step_1.pt'),
    ].join('');
    const r = findScanCommand('/proj', filter).parse(res(stdout));
    expect(r.entries.map((e) => e.path)).toEqual(['ckpt/step_1.pt']);
    expect(r.logs?.map((e) => e.path)).toEqual(['train.log', 'wandb/run-1/files/output.log', 'lightning_logs/version_0/metrics.csv']);
  });

  it('counts log records toward the entry bound, as head does', () => {
    const small = { ...filter, maxEntries: 2 };
    const r = findScanCommand('/proj', small).parse(res(rec('', 1, 1, 'a.pt') + rec('L', 1, 1, 'a.log')));
    expect(r.truncated).toBe(true);
  });

  it('the SFTP walk classifies files exactly as find plus the post-filter does', () => {
    const p = filterPredicates(filter, '/proj');
    const cases: Record<string, 'checkpoint' | 'log' | undefined> = {
      'ckpt/step_1.pt': 'checkpoint',
      'runs/checkpoint-5/config.json': 'checkpoint',
      'train.log': 'log',
      'nohup.out': 'log',
      'runs/x/events.out.tfevents.1795341980.host.1.0': 'log',
      'lightning_logs/version_3/metrics.csv': 'log',
      'metrics.csv': undefined,
      'logs/2026/run.jsonl': 'log',
      'data/train.jsonl': undefined,
      'wandb/run-1/files/output.log': 'log',
      'wandb/run-1/logs/debug.log': undefined,
      'wandb/run-1/files/model.pt': undefined,
      '.cache/pip/log.log': undefined,
      'src/train.py': undefined,
    };
    for (const [rel, kind] of Object.entries(cases)) expect([rel, p.kind(rel)]).toEqual([rel, kind]);
    expect(p.excluded('wandb')).toBe(false);
    expect(p.excluded('.git')).toBe(true);
  });

  it('a hidden folder counts when a path glob names it', () => {
    const f = progressFilterOf(['.hydra/*.log'], DEFAULT_CHECKPOINT_SETTINGS.exclude);
    const c = progressClassifier(f, DEFAULT_CHECKPOINT_SETTINGS.exclude, '.');
    expect(c.log('outputs/.hydra/run.log')).toBe(true);
    expect(c.log('outputs/.other/run.log')).toBe(false);
  });
});
