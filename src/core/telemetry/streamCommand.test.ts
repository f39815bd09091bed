import { describe, expect, it } from 'vitest';
import { buildComputeAppsArgv, buildGpuStreamArgv, clampIntervalMs } from './streamCommand';

describe('stream commands', () => {
  it('builds the GPU stream argv as separate elements', () => {
    expect(buildGpuStreamArgv(['timestamp', 'index', 'utilization.gpu'], 1000)).toEqual([
      'nvidia-smi',
      '--query-gpu=timestamp,index,utilization.gpu',
      '--format=csv,noheader,nounits',
      '-lms',
      '1000',
    ]);
  });

  it('clamps the interval to 100..60000 ms and rounds it', () => {
    expect(clampIntervalMs(10)).toBe(100);
    expect(clampIntervalMs(60_001)).toBe(60_000);
    expect(clampIntervalMs(250.4)).toBe(250);
    expect(clampIntervalMs(Number.NaN)).toBe(1000);
    expect(buildGpuStreamArgv(['index'], 5).at(-1)).toBe('100');
  });

  it('refuses field names that are not plain identifiers, and empty lists', () => {
    expect(() => buildGpuStreamArgv(['index;rm -rf ~'], 1000)).toThrow(TypeError);
    expect(() => buildGpuStreamArgv(['a b'], 1000)).toThrow(TypeError);
    expect(() => buildGpuStreamArgv([], 1000)).toThrow(TypeError);
  });

  it('builds the compute-apps stream, 5 s by default', () => {
    expect(buildComputeAppsArgv()).toEqual([
      'nvidia-smi',
      '--query-compute-apps=timestamp,gpu_uuid,pid,process_name,used_memory',
      '--format=csv,noheader,nounits',
      '-lms',
      '5000',
    ]);
    expect(buildComputeAppsArgv(2000).at(-1)).toBe('2000');
  });
});
