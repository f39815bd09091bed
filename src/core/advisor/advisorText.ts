import type { Advice } from './rulesOfThumb';
import type { PartKey } from './memoryEstimate';

/** Decimal GB, as model cards and papers quote memory. */
export function formatGb(bytes: number): string {
  const gb = bytes / 1e9;
  return `${gb >= 100 ? gb.toFixed(0) : gb >= 10 ? gb.toFixed(1) : gb.toFixed(2)} GB`;
}

const PART_LABELS: Record<PartKey, string> = {
  weights: 'weights',
  quantConstants: 'quantisation scales',
  loraWeights: 'LoRA adapters',
  gradients: 'gradients',
  optimizer: 'AdamW states',
  masterWeights: 'FP32 master weights',
  activations: 'activations',
  logits: 'logits',
  kvCache: 'KV cache',
  cudaContext: 'CUDA context',
  allocator: 'allocator overhead',
};

export function partLabel(key: PartKey): string {
  return PART_LABELS[key];
}

export function describeAdvice(advice: readonly Advice[]): string[] {
  return advice.map((a) => {
    const v = a.values;
    switch (a.code) {
      case 'shortRunOnDemand':
        return 'Under a week of work: rent on demand; no commitment pays off that fast.';
      case 'longRunReservedOrSpot':
        return 'Long runs: reserved capacity, or spot with checkpoints, cost far less than on-demand.';
      case 'spotNeedsCheckpoints':
        return `Spot only with checkpoints more often than interruptions (assume one every ${v['interruptionMinutes']} min).`;
      case 'spotCadenceOk':
        return `Checkpoints every ${v['cadenceMinutes']} min beat interruptions every ${v['interruptionMinutes']} min: spot is safe.`;
      case 'spotCadenceTooSlow':
        return `Checkpoints every ${v['cadenceMinutes']} min are slower than interruptions every ${v['interruptionMinutes']} min: stay on demand.`;
      case 'modelParallelNeedsFastLinks':
        return `Splitting across ${v['gpus']} GPUs wants NVLink/SXM boards; PCIe cards slow tensor parallelism.`;
      case 'estimateNotMeasurement':
        return 'An estimate, not a measurement: the dashboard shows the real memory once it runs.';
    }
  });
}
