import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  README_FIELDS, WRAPPER, atOffset, fixture, gpuTrace, helpFields, runSim, seededRandom, traceValuesBetween,
} from './simHarness';

const STAMP = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const cellsOf = (line: string | undefined): string[] => (line ?? '').split(', ');
const lines = (text: string): string[] => text.split('\n').slice(0, -1);
// Well inside the training phase (10:05:39-10:06:19) and 4 s away from the nearest checkpoint dip.
const TRAINING_MS = 31_000;

describe('nvidia-smi simulator: static reports', () => {
  it('-L prints the captured line', async () => {
    const r = await runSim(['-L']);
    expect(r).toMatchObject({ code: 0, stdout: fixture('smi-L.txt'), stderr: '' });
  });

  it('--version and the help texts are the captures, byte for byte', async () => {
    expect((await runSim(['--version'])).stdout).toBe(fixture('smi-version.txt'));
    expect((await runSim(['--help-query-gpu'])).stdout).toBe(fixture('help-query-gpu.txt'));
    expect((await runSim(['--help-query-compute-apps'])).stdout).toBe(fixture('help-query-apps.txt'));
  });

  it('the default table keeps the captured frame and fills the GPU row from the trace', async () => {
    const captured = lines(fixture('smi-default.txt'));
    const got = lines((await runSim([], atOffset(5_000))).stdout);
    expect(got).toHaveLength(captured.length);
    expect(got[0]).toMatch(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) \w{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4} {7}$/);
    captured.forEach((line, i) => {
      if (i !== 0 && i !== 9) expect(got[i], `line ${i}`).toBe(line);
    });
    // Idle at 5 s into the trace: about 70 W, nothing in memory.
    const mask = (line: string | undefined) => (line ?? '').replace(/ 3\dC /, ' TTC ').replace(/( (69|70|71)|121)W /, 'PPPW ');
    expect(mask(got[9])).toBe(mask(captured[9]));
    expect(mask(got[9])).toContain('TTC    P0            PPPW /  700W |       0MiB /  81559MiB |      0%');
  });

  it('the default table for 4 GPUs repeats the block with its own index, bus id and trace phase', async () => {
    const got = lines((await runSim([], atOffset(TRAINING_MS, { NVIDIA_SMI_SIM_GPUS: '4' }))).stdout);
    expect(got.every((line) => line === '' || line.length === 91 || /^\w{3} \w{3} /.test(line))).toBe(true);
    const firstRows = got.filter((line) => /^\| {3}\d {2}NVIDIA H100 80GB HBM3 {10}On {2}\|/.test(line));
    expect(firstRows.map((line) => line.slice(1, 5).trim())).toEqual(['0', '1', '2', '3']);
    expect(firstRows.map((line) => /00000000:00:0(\w)\.0/.exec(line)?.[1])).toEqual(['6', '7', '8', '9']);
    const usage = got.filter((line) => /^\| N\/A /.test(line));
    expect(new Set(usage.map((line) => line.slice(1, 40))).size).toBeGreaterThan(1);
    const processes = got.filter((line) => /python3/.test(line));
    expect(processes[0]).toMatch(/^\| {4}0 {3}N\/A {2}N\/A {13}603 {6}C {3}python3 +3728MiB \|$/);
    expect(got.filter((line) => /^\+-{41}\+-{24}\+-{22}\+$/.test(line))).toHaveLength(5);
  });
});

describe('nvidia-smi simulator: --query-gpu', () => {
  it("the README's field list gives query-units.csv's header and row shape", async () => {
    const r = await runSim([`--query-gpu=${README_FIELDS}`, '--format=csv']);
    const [captureHeader, captureRow] = lines(fixture('query-units.csv'));
    const [header, row, ...rest] = lines(r.stdout);
    expect(r.code).toBe(0);
    expect(header).toBe(captureHeader);
    expect(rest).toEqual([]);
    const got = cellsOf(row);
    const want = cellsOf(captureRow);
    expect(got).toHaveLength(want.length);
    expect(got[0]).toMatch(STAMP);
    expect(got[19]).toBe('[N/A]');
    // Identity and limits do not move during the run; every reading keeps the capture's unit.
    for (const i of [1, 2, 3, 4, 5, 9, 15, 18, 23]) expect(got[i], `column ${i}`).toBe(want[i]);
    want.forEach((cell, i) => {
      const unit = /^[\d.]+ (%|MiB|W|MHz)$/.exec(cell)?.[1];
      if (unit) expect(got[i], `column ${i}`).toMatch(new RegExp(`^[\\d.]+ ${unit}$`));
    });
  });

  it('nounits strips the units and keeps [N/A]; noheader drops the header', async () => {
    const r = await runSim([`--query-gpu=${README_FIELDS}`, '--format=csv,noheader,nounits']);
    const want = cellsOf(lines(fixture('query-nounits.csv'))[0]);
    const out = lines(r.stdout);
    expect(out).toHaveLength(1);
    const got = cellsOf(out[0]);
    expect(got).toHaveLength(want.length);
    expect(got.slice(1, 7)).toEqual(want.slice(1, 7));
    expect(got[9]).toBe('81559');
    expect(got[15]).toBe('700.00');
    expect(got[19]).toBe('[N/A]');
    expect(out[0]).not.toMatch(/ (%|MiB|W|MHz)(,|$)/);
  });

  it('any subset and order of the help fields gives a matching header and column count', async () => {
    const accepted = helpFields('help-query-gpu.txt');
    const names = [...accepted.keys()];
    const random = seededRandom(580);
    for (let run = 0; run < 12; run++) {
      const picked = names.filter(() => random() < 0.15).sort(() => random() - 0.5);
      if (picked.length === 0) continue;
      const r = await runSim([`--query-gpu=${picked.join(',')}`, '--format=csv']);
      expect(r.code, picked.join(',')).toBe(0);
      const [header, row] = lines(r.stdout);
      const headerCells = cellsOf(header);
      expect(headerCells).toHaveLength(picked.length);
      expect(cellsOf(row)).toHaveLength(picked.length);
      headerCells.forEach((cell, i) => expect(cell.replace(/ \[.+\]$/, '')).toBe(accepted.get(picked[i] ?? '')));
    }
  });

  it('answers an alias under the canonical name', async () => {
    const r = await runSim(['--query-gpu=gpu_name,clocks.sm,gpu_uuid', '--format=csv']);
    expect(lines(r.stdout)[0]).toBe('name, clocks.current.sm [MHz], uuid');
    expect(cellsOf(lines(r.stdout)[1])[0]).toBe('NVIDIA H100 80GB HBM3');
  });

  it('refuses an unknown field with the driver text and exit 2', async () => {
    const r = await runSim(['--query-gpu=index,bogus.field', '--format=csv']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(fixture('query-bogus.txt').split('\n').slice(0, 2).join('\n') + '\n');
    expect(r.stdout).toBe('Field "bogus.field" is not a valid field to query.\n\n');
  });

  it('shows the training phase at its offset in the trace, and again one loop later', async () => {
    const want = traceValuesBetween('utilization.gpu [%]', TRAINING_MS, TRAINING_MS + 2_000);
    expect([...want]).toEqual(['100 %']);
    const trace = gpuTrace();
    const last = trace.at(-1)?.offsetMs ?? 0;
    const durationMs = last + last / (trace.length - 1);
    for (const offset of [TRAINING_MS, durationMs + TRAINING_MS]) {
      const r = await runSim(['--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader'], atOffset(offset));
      expect(r.stdout).toBe('100 %, 3737 MiB\n');
    }
    const idle = await runSim(['--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader'], atOffset(5_000));
    expect(idle.stdout).toBe('0 %, 0 MiB\n');
    const held = await runSim(['--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader'], atOffset(65_000));
    expect(held.stdout).toBe('0 %, 3737 MiB\n');
  });
});

describe('nvidia-smi simulator: --query-compute-apps', () => {
  const APPS = ['--query-compute-apps=timestamp,gpu_uuid,pid,process_name,used_memory', '--format=csv'];

  it('lists python3 while training', async () => {
    const [header, row, ...rest] = lines((await runSim(APPS, atOffset(TRAINING_MS))).stdout);
    expect(header).toBe(lines(fixture('apps-idle.csv'))[0]);
    expect(cellsOf(row).slice(1)).toEqual(['GPU-f6ff1cff-b1da-fae8-5276-fbfc4b95eb47', '603', 'python3', '3728 MiB']);
    expect(rest).toEqual([]);
  });

  it('prints the header only while idle, exactly as apps-idle.csv', async () => {
    const r = await runSim(APPS, atOffset(5_000));
    expect(r).toMatchObject({ code: 0, stdout: fixture('apps-idle.csv') });
  });
});

describe('nvidia-smi simulator: loops, modes and errors', () => {
  it('-lms 100 streams rows with rising timestamps and stops cleanly on SIGTERM', async () => {
    const r = await runSim(['--query-gpu=timestamp,index', '--format=csv', '-lms', '100'], { NVIDIA_SMI_SIM_SPEEDUP: '5' },
      (child) => setTimeout(() => child.kill('SIGTERM'), 1_000));
    expect(r).toMatchObject({ code: 0, signal: null, stderr: '' });
    const [header, ...rows] = lines(r.stdout);
    expect(header).toBe('timestamp, index');
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const stamps = rows.map((row) => cellsOf(row)[0] ?? '');
    stamps.forEach((stamp) => expect(stamp).toMatch(STAMP));
    const ms = stamps.map((s) => Date.parse(`${s.slice(0, 10).replaceAll('/', '-')}T${s.slice(11)}`));
    ms.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(ms[i] ?? Infinity));
    expect((ms.at(-1) ?? 0) - (ms[0] ?? 0)).toBeLessThan(1_500);
  });

  it('no-driver mode prints the driver failure and exits 9', async () => {
    const r = await runSim(['-L'], { NVIDIA_SMI_SIM_MODE: 'no-driver' });
    expect(r.code).toBe(9);
    expect(r.stdout).toMatch(/^NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver\. Make sure that the latest NVIDIA driver is installed and running\.\n/);
  });

  it('garbage mode breaks the row shape', async () => {
    const r = await runSim(['--query-gpu=index,name,memory.used', '--format=csv,noheader'], { NVIDIA_SMI_SIM_MODE: 'garbage' });
    expect(r.code).toBe(0);
    expect(cellsOf(lines(r.stdout)[0])).not.toHaveLength(3);
  });

  it('hang mode says nothing until it is stopped', async () => {
    const r = await runSim(['-L'], { NVIDIA_SMI_SIM_MODE: 'hang' }, (child) => setTimeout(() => child.kill('SIGINT'), 500));
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('an unknown option is a usage error on stderr with exit 2, not a stack trace', async () => {
    const r = await runSim(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Please run 'nvidia-smi -h' for help.");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('the bin wrapper is executable and runs the simulator with NVIDIA_SMI_SIM_NODE', async () => {
    expect(statSync(WRAPPER).mode & 0o111).toBe(0o111);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(WRAPPER, ['-L'], { env: { ...process.env, NVIDIA_SMI_SIM_NODE: process.execPath, NVIDIA_SMI_SIM_GPUS: '2' } },
        (error, out) => (error ? reject(error) : resolve(out)));
    });
    expect(lines(stdout)).toHaveLength(2);
    expect(lines(stdout)[1]).toMatch(/^GPU 1: NVIDIA H100 80GB HBM3 \(UUID: GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$/);
  });
});
