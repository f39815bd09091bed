import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../errors';
import { formatGpuMemory, gpuInventoryCommand, parseGpuInventory } from './gpuInventory';

const ok = (stdout: string) => ({ stdout, stderr: '', code: 0, signal: null });

describe('gpu inventory', () => {
  it('asks nvidia-smi for exactly the four fields, as separate argv elements', () => {
    expect(gpuInventoryCommand.argv).toEqual(['nvidia-smi', '--query-gpu=index,name,memory.total,uuid', '--format=csv,noheader,nounits']);
  });

  it('parses the real H100 capture', () => {
    // The same four columns, taken from the real nounits capture (index, name, memory.total, uuid positions).
    const cells = readFileSync('test/fixtures/nvidia-smi/h100-driver580/query-nounits.csv', 'utf8').trim().split(', ');
    const row = [cells[1], cells[3], cells[9], cells[2]].join(', ');
    expect(parseGpuInventory(ok(`${row}\n`))).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, uuid: 'GPU-f6ff1cff-b1da-fae8-5276-fbfc4b95eb47' },
    ]);
  });

  it('parses several GPUs, CRLF and [N/A] memory', () => {
    const out = '0, NVIDIA A100-SXM4-40GB, 40960, GPU-a\r\n1, NVIDIA A100-SXM4-40GB, [N/A], GPU-b\r\n';
    const gpus = parseGpuInventory(ok(out));
    expect(gpus.map((g) => g.index)).toEqual([0, 1]);
    expect(gpus[1]?.memoryTotalMiB).toBeUndefined();
  });

  it('keeps a comma inside a GPU name', () => {
    expect(parseGpuInventory(ok('3, Odd, Name GPU, 1024, GPU-x\n'))[0]?.name).toBe('Odd, Name GPU');
  });

  it('returns no GPUs for empty output', () => {
    expect(parseGpuInventory(ok(''))).toEqual([]);
  });

  it('says nvidia-smi is missing on exit 127', () => {
    const error = catchError(() => parseGpuInventory({ stdout: '', stderr: 'sh: 1: nvidia-smi: not found', code: 127, signal: null }));
    expect(error.reason).toBe('commandNotFound');
    expect(error.message).toMatch(/nvidia-smi was not found/);
  });

  it('reports the driver message when nvidia-smi fails', () => {
    const msg = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.";
    const error = catchError(() => parseGpuInventory({ stdout: `${msg}\n`, stderr: '', code: 9, signal: null }));
    expect(error.reason).toBe('remoteFailed');
    expect(error.message).toContain(msg);
  });

  it('rejects garbage as invalidResponse instead of inventing numbers', () => {
    for (const bad of ['hello\n', 'x, NVIDIA H100, 80, GPU-1\n', '0, NVIDIA H100, lots, GPU-1\n', '0, , 80, GPU-1\n']) {
      expect(catchError(() => parseGpuInventory(ok(bad))).reason).toBe('invalidResponse');
    }
  });

  it('formats memory the way GPUs are sold', () => {
    expect(formatGpuMemory(81559)).toBe('80 GB');
    expect(formatGpuMemory(24576)).toBe('24 GB');
    expect(formatGpuMemory(4096)).toBe('4.0 GB');
    expect(formatGpuMemory(undefined)).toBe('memory unknown');
  });
});

function catchError(fn: () => unknown): RemoteGpuError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RemoteGpuError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
