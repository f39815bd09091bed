import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processesSchema } from '../../shared/telemetryProtocol';
import { ComputeAppsTracker, parseComputeAppLine } from './computeApps';
import type { ComputeApp } from './computeApps';
import { classifyProcessVisibility, displayProcessName, parseVisiblePids, toProcessesView, visiblePidsCommand } from './processVisibility';
import type { RowParseError } from './sampleParser';

const DIR = 'test/fixtures/nvidia-smi/h100-driver580';
const lines = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8').split('\n');
const at = (hms: string, ms = 0) => Date.UTC(2026, 10, 22, ...(hms.split(':').map(Number) as [number, number, number]), ms);
const UUID = 'GPU-f6ff1cff-b1da-fae8-5276-fbfc4b95eb47';
const opts = { utcOffsetMinutes: 0 };
const appsOf = (ls: string[]): ComputeApp[] => ls.map((l) => parseComputeAppLine(l, opts)).flatMap((p) => (p.kind === 'app' ? [p.app] : []));
const row = (time: string, pid: number, name: string, mem = '100') => `2026/11/22 ${time}, ${UUID}, ${pid}, ${name}, ${mem}`;

describe('compute apps on the real captures', () => {
  it('parses trace-apps.csv: header skipped, 66 rows of python3 (pid 603), memory with units', () => {
    const parsed = lines('trace-apps.csv').map((l) => parseComputeAppLine(l, opts));
    expect(parsed[0]).toEqual({ kind: 'header' });
    expect(parsed.filter((p) => p.kind === 'error')).toEqual([]);
    const apps = appsOf(lines('trace-apps.csv'));
    expect(apps).toHaveLength(66);
    expect(apps[0]).toEqual({ t: at('10:05:34', 410), gpuUuid: UUID, pid: 603, name: 'python3', usedMemoryMiB: 712 });
    expect(new Set(apps.map((a) => a.pid))).toEqual(new Set([603]));
    expect(apps.at(-1)?.usedMemoryMiB).toBe(3728);
  });

  it('apps-idle.csv is a header and nothing else: the list is empty once the stream has been silent', () => {
    const tracker = new ComputeAppsTracker({ ...opts, intervalMs: 1000, startedAt: 0 });
    for (const l of lines('apps-idle.csv')) tracker.push(l, 10);
    expect(tracker.current(500)).toBeUndefined();
    expect(tracker.current(2000)).toEqual({ t: undefined, apps: [] });
  });

  it('follows the trace over time: the process appears, holds 3728 MiB, then silence means it is gone', () => {
    const tracker = new ComputeAppsTracker({ ...opts, intervalMs: 1000, startedAt: at('10:05:20') });
    const ls = lines('trace-apps.csv');
    expect(tracker.current(at('10:05:30'))).toEqual({ t: undefined, apps: [] });
    for (const l of ls) {
      const app = appsOf([l])[0];
      tracker.push(l, app ? app.t + 20 : at('10:05:20'));
      if (app?.t === at('10:06:00', 421)) expect(tracker.current(app.t + 500)?.apps.map((a) => a.usedMemoryMiB)).toEqual([3728]);
    }
    const last = at('10:06:39', 458);
    expect(tracker.current(last + 300)?.apps.map((a) => a.pid)).toEqual([603]);
    expect(tracker.current(last + 1_800)).toEqual({ t: undefined, apps: [] });
  });

  it('groups several processes of one tick and replaces them at the next', () => {
    const tracker = new ComputeAppsTracker({ ...opts, intervalMs: 1000, startedAt: 0 });
    tracker.push(row('10:00:00.100', 11, 'a'), 100);
    tracker.push(row('10:00:00.100', 12, 'b'), 101);
    expect(tracker.current(150)).toBeUndefined();
    expect(tracker.current(400)?.apps.map((a) => a.pid)).toEqual([11, 12]);
    tracker.push(row('10:00:01.100', 12, 'b'), 1100);
    expect(tracker.current(1110)?.apps.map((a) => a.pid)).toEqual([11, 12]);
    expect(tracker.current(1400)?.apps.map((a) => a.pid)).toEqual([12]);
  });
});

describe('hostile process names', () => {
  it('keeps markup as data, verbatim, and it passes the protocol as plain text', () => {
    const [app] = appsOf([row('10:00:00.000', 7, '<img src=x onerror=alert(1)>')]);
    expect(app?.name).toBe('<img src=x onerror=alert(1)>');
    const view = toProcessesView(app ? [app] : [], { kind: 'visible', hidden: 0 }, new Map([[UUID, 0]]));
    expect(processesSchema.parse(view)).toEqual({
      kind: 'list',
      items: [{ pid: 7, name: '<img src=x onerror=alert(1)>', gpuUuid: UUID, gpuIndex: 0, usedMemoryMiB: 100 }],
    });
    expect(displayProcessName('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('keeps commas inside the name', () => {
    expect(appsOf([row('10:00:00.000', 7, 'python3 -c a, b, c', '12 MiB')])[0]).toMatchObject({ name: 'python3 -c a, b, c', usedMemoryMiB: 12 });
  });

  it('a newline in a name cuts the row in two: both halves are reported, nothing crashes or is invented', () => {
    const errors: RowParseError[] = [];
    const tracker = new ComputeAppsTracker({ ...opts, intervalMs: 1000, startedAt: 0, onRowError: (e) => errors.push(e) });
    for (const l of row('10:00:00.000', 7, 'evil\nname, 5, 6').split('\n')) tracker.push(l, 10);
    expect(errors.map((e) => e.reason)).toEqual(['columnCount', 'columnCount']);
    expect(tracker.current(100)).toBeUndefined();
  });

  it('display helper strips ANSI escapes, control characters and bidi overrides, and cuts long names', () => {
    expect(displayProcessName('\u001b[31mred\u001b[0m\u001b]0;title\u0007 job')).toBe('red job');
    expect(displayProcessName('line1\nline2\r\tx\u0000y')).toBe('line1 line2 x y');
    expect(displayProcessName('abc\u202edcba')).toBe('abcdcba');
    expect(displayProcessName('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('refuses malformed pid, memory and timestamp', () => {
    const reason = (l: string) => {
      const p = parseComputeAppLine(l, opts);
      return p.kind === 'error' ? p.error.reason : p.kind;
    };
    expect(reason(row('10:00:00.000', 0, 'x'))).toBe('badValue');
    expect(reason(`2026/11/22 10:00:00.000, ${UUID}, -3, x, 5`)).toBe('badValue');
    expect(reason(row('10:00:00.000', 5, 'x', 'lots'))).toBe('badValue');
    expect(reason(`soon, ${UUID}, 5, x, 5`)).toBe('badTimestamp');
    expect(reason(`2026/11/22 10:00:00.000, [N/A], 5, x, 5`)).toBe('missingRequired');
    expect(appsOf([row('10:00:00.000', 5, 'x', '[N/A]')])[0]?.usedMemoryMiB).toBeUndefined();
  });
});

describe('rented containers: PIDs from another namespace', () => {
  const traceApps = appsOf(lines('trace-apps.csv')).slice(-1);

  it('reads `ps -e -o pid=`', () => {
    expect(visiblePidsCommand.argv).toEqual(['ps', '-e', '-o', 'pid=']);
    expect([...visiblePidsCommand.parse({ stdout: '    1\n   42\n  603\n', stderr: '', code: 0, signal: null })]).toEqual([1, 42, 603]);
    expect(() => visiblePidsCommand.parse({ stdout: '', stderr: '', code: 127, signal: null })).toThrow(expect.objectContaining({ reason: 'commandNotFound' }));
    expect(parseVisiblePids('PID\n 7\nx\n')).toEqual(new Set([7]));
  });

  it('says which case it is', () => {
    expect(classifyProcessVisibility(traceApps, new Set([1, 42, 603]))).toEqual({ kind: 'visible', hidden: 0 });
    expect(classifyProcessVisibility(traceApps, new Set([1, 7, 12]))).toEqual({ kind: 'otherPidNamespace', count: 1 });
    expect(classifyProcessVisibility([...traceApps, { ...traceApps[0]!, pid: 9 }], new Set([9]))).toEqual({ kind: 'visible', hidden: 1 });
    expect(classifyProcessVisibility([], new Set([1]), [3737])).toEqual({ kind: 'notReported' });
    expect(classifyProcessVisibility([], new Set([1]), [0, undefined, 1])).toEqual({ kind: 'none' });
  });

  it('turns the container case into words for the UI, not an empty table', () => {
    const view = toProcessesView(traceApps, { kind: 'otherPidNamespace', count: 1 }, new Map());
    expect(view).toEqual({ kind: 'hiddenByContainer', count: 1, usedMemoryMiB: 3728 });
    expect(processesSchema.safeParse(view).success).toBe(true);
    expect(toProcessesView([], { kind: 'notReported' }, new Map())).toEqual({ kind: 'notReported' });
  });
});
