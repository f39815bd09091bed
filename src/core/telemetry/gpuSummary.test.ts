import { describe, expect, it } from 'vitest';
import { formatGpuLive, summarizeGpus } from './gpuSummary';

describe('GPU summaries', () => {
  it('averages utilisation and sums memory across GPUs', () => {
    const s = summarizeGpus(
      [
        { utilizationGpu: 100, memoryUsedMiB: 3737, memoryTotalMiB: 81559 },
        { utilizationGpu: 50, memoryUsedMiB: 0, memoryTotalMiB: 81559 },
      ],
      'live',
    );
    expect(s.text).toBe('75% · 3.6/159 GiB');
    expect(s.warning).toBe(false);
  });

  it('leaves GPUs without a reading out instead of counting them as 0', () => {
    expect(summarizeGpus([{ utilizationGpu: 80 }, {}], 'live').text).toBe('80% · –');
  });

  it('says when the numbers are not live', () => {
    const s = summarizeGpus([{ utilizationGpu: 10, memoryUsedMiB: 1, memoryTotalMiB: 2048 }], 'stale');
    expect(s.text).toContain('(stale)');
    expect(s.warning).toBe(true);
    expect(summarizeGpus([], 'reconnecting').text).toBe('reconnecting');
    // A stream that keeps failing says so, with the reason, instead of "connecting" for ever.
    const failing = summarizeGpus([], 'connecting', 'nvidia-smi was not found on rig.');
    expect(failing.text).toBe('unavailable');
    expect(failing.tooltip).toBe('unavailable: nvidia-smi was not found on rig.');
    expect(summarizeGpus([], 'live', 'old error').text).toBe('no GPUs');
  });

  it('formats one GPU for the tree, with – for no value', () => {
    expect(formatGpuLive({ utilizationGpu: 97.4, memoryUsedMiB: 3737, memoryTotalMiB: 81559, temperatureGpuC: 64 })).toBe('97% · 3.6/80 GiB · 64°C');
    expect(formatGpuLive({})).toBe('– · – · –');
  });
});
