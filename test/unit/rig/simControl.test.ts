import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atOffset, runSim } from './simHarness';

const QUERY = ['--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader'];
const APPS = ['--query-compute-apps=gpu_uuid,process_name,used_memory', '--format=csv,noheader'];
// Inside training, 4 s from the nearest checkpoint dip: the trace alone says 100 % here for the next few seconds.
const TRAINING_MS = 31_000;
const lines = (text: string): string[] => text.split('\n').slice(0, -1);
/** Consecutive equal rows folded into one: the phases a stream went through, in order. */
const phases = (rows: string[]): string[] => rows.filter((row, i) => row !== rows[i - 1]);

describe('nvidia-smi simulator: NVIDIA_SMI_SIM_CONTROL', () => {
  let dir = '';
  let control = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sim-control-'));
    control = join(dir, 'control');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a running -lms stream goes idle (memory still held) and back to the trace when the file is rewritten', async () => {
    writeFileSync(control, 'trace\n');
    const r = await runSim([...QUERY, '-lms', '100'], atOffset(TRAINING_MS, { NVIDIA_SMI_SIM_CONTROL: control }), (child) => {
      setTimeout(() => writeFileSync(control, 'idle\n'), 700);
      setTimeout(() => writeFileSync(control, 'trace'), 1_600);
      setTimeout(() => child.kill('SIGTERM'), 2_500);
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(phases(lines(r.stdout))).toEqual(['100 %, 3737 MiB', '0 %, 3737 MiB', '100 %, 3737 MiB']);
  });

  it('idle holds every GPU at 0 % with the job process still listed, holding its memory', async () => {
    writeFileSync(control, 'idle');
    const env = atOffset(TRAINING_MS, { NVIDIA_SMI_SIM_CONTROL: control, NVIDIA_SMI_SIM_GPUS: '2' });
    expect((await runSim(QUERY, env)).stdout).toBe('0 %, 3737 MiB\n0 %, 3737 MiB\n');
    const apps = lines((await runSim(APPS, env)).stdout);
    expect(apps).toHaveLength(2);
    for (const row of apps) expect(row).toMatch(/^GPU-[0-9a-f-]+, python3, 3728 MiB$/);
    // Without the control the same moment is training.
    const free = atOffset(TRAINING_MS, { NVIDIA_SMI_SIM_GPUS: '1' });
    expect((await runSim(QUERY, free)).stdout).toBe('100 %, 3737 MiB\n');
  });

  it('a control file not written yet follows the trace; unknown content says so on stderr and follows the trace', async () => {
    const missing = await runSim(QUERY, atOffset(TRAINING_MS, { NVIDIA_SMI_SIM_CONTROL: control }));
    expect(missing).toMatchObject({ code: 0, stdout: '100 %, 3737 MiB\n', stderr: '' });
    writeFileSync(control, 'quiet');
    const typo = await runSim(QUERY, atOffset(TRAINING_MS, { NVIDIA_SMI_SIM_CONTROL: control }));
    expect(typo).toMatchObject({ code: 0, stdout: '100 %, 3737 MiB\n' });
    expect(typo.stderr).toBe(`nvidia-smi simulator: ${control} says "quiet"; expected one of trace, idle (following the trace)\n`);
  });
});
