import { describe, expect, it } from 'vitest';
import { isRemoteGpuError } from '../errors';
import type { ExecResult } from '../remote/remoteCommand';
import { DEFAULT_CHECKPOINT_SETTINGS } from './checkpointSettings';
import { FindUnsupported, findArgv, findScanCommand, normaliseRoot, parseFindRecords } from './findScan';
import { filterPredicates, scanFilterOf } from './scanFilter';

const filter = scanFilterOf({ ...DEFAULT_CHECKPOINT_SETTINGS, maxEntries: 3 });
const res = (stdout: string, stderr: string, code = 0): ExecResult => ({ stdout, stderr, code, signal: null });

describe('find scan command', () => {
  it('passes root, globs and bounds as separate argv elements after a fixed script', () => {
    const argv = findArgv('-weird $(rm -rf ~)', filter);
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv).toContain('./-weird $(rm -rf ~)');
    expect(argv.slice(argv.indexOf('-maxdepth'), argv.indexOf('-maxdepth') + 2)).toEqual(['-maxdepth', '8']);
    const printf = argv.indexOf('-printf');
    expect(argv.slice(printf, printf + 2)).toEqual(['-printf', '%s\\t%T@\\t%P\\0']);
    // the log branch of the same expression, after the checkpoint one
    expect(argv.slice(-2)).toEqual(['-printf', 'L%s\\t%T@\\t%P\\0']);
    // excluded folders are pruned before anything is listed
    expect(argv.indexOf('-prune')).toBeLessThan(argv.indexOf('-type', argv.indexOf('-prune')));
    expect(argv).toContain('*/checkpoint-*/*');
    expect(argv[2]).not.toContain('rm -rf');
  });

  it('normalises roots find would misread', () => {
    expect(normaliseRoot('~/proj/')).toBe('proj');
    expect(normaliseRoot('~')).toBe('.');
    expect(normaliseRoot('')).toBe('.');
    expect(normaliseRoot('-x')).toBe('./-x');
    expect(normaliseRoot('/')).toBe('/');
    expect(normaliseRoot('/data/run//')).toBe('/data/run');
  });

  it('parses NUL records whose names hold tabs, newlines and unicode', () => {
    const out = '12\t1795341973.0192335030\tcheckpoints/step_1.pt\x00' + '7\t1.5\ta\tb\nc $(x) ü.pt\x00';
    expect(parseFindRecords(out).entries).toEqual([
      { path: 'checkpoints/step_1.pt', size: 12, mtimeMs: 1_795_341_973_019 },
      { path: 'a\tb\nc $(x) ü.pt', size: 7, mtimeMs: 1500 },
    ]);
    expect(parseFindRecords(out).logs).toEqual([]);
  });

  it('reports truncation at the count bound and reads the remote clock', () => {
    const stdout = ['1\t1\ta.pt', '1\t2\tb.pt', '1\t3\tc.pt', ''].join('\x00');
    const r = findScanCommand('/r', filter).parse(res(stdout, 'rgpu-now:1795341980\nrgpu-find-exit:141\n'));
    expect(r).toMatchObject({ truncated: true, remoteNowMs: 1_795_341_980_000, via: 'find' });
    expect(r.entries).toHaveLength(3);
    const partial = findScanCommand('/r', filter).parse(res('1\t1\ta.pt\x00', "find: '/r/secret': Permission denied\nrgpu-find-exit:1\n"));
    expect(partial).toMatchObject({ truncated: false, entries: [{ path: 'a.pt' }] });
  });

  it('busybox and BSD find without -printf, or no find at all, ask for the SFTP walk', () => {
    const cmd = findScanCommand('/r', filter);
    expect(() => cmd.parse(res('', 'rgpu-now:1\nfind: unrecognized: -printf\nBusyBox v1.36.1 multi-call binary.\nrgpu-find-exit:1\n'))).toThrow(FindUnsupported);
    expect(() => cmd.parse(res('', 'find: -printf: unknown primary or operator\nrgpu-find-exit:1\n'))).toThrow(FindUnsupported);
    expect(() => cmd.parse(res('', 'sh: find: not found\nrgpu-find-exit:127\n'))).toThrow(FindUnsupported);
    expect(() => cmd.parse(res('', "head: invalid option -- 'z'\nrgpu-find-exit:141\n"))).toThrow(FindUnsupported);
  });

  it('a missing root is notFound; another failure is remoteFailed', () => {
    const cmd = findScanCommand('/nope', filter);
    const reason = (r: ExecResult): string => {
      try {
        cmd.parse(r);
      } catch (e) {
        if (isRemoteGpuError(e)) return e.reason;
      }
      return 'none';
    };
    expect(reason(res('', "find: '/nope': No such file or directory\nrgpu-find-exit:1\n"))).toBe('notFound');
    expect(reason(res('', 'find: something odd\nrgpu-find-exit:1\n'))).toBe('remoteFailed');
    expect(reason(res('', 'rgpu-find-exit:0\n'))).toBe('none');
  });

  it('the SFTP walk predicates match what the find expression lists', () => {
    const p = filterPredicates(filter, '/proj');
    expect(p.wanted('x/step_1.pt')).toBe(true);
    expect(p.wanted('runs/checkpoint-5/config.json')).toBe(true);
    expect(p.wanted('ds/global_step5/anything')).toBe(true);
    expect(p.wanted('ds/latest')).toBe(true);
    expect(p.wanted('src/train.py')).toBe(false);
    expect(p.excluded('node_modules')).toBe(true);
    expect(p.excluded('checkpoints')).toBe(false);
  });
});
