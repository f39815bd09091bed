import type { Advice } from './rulesOfThumb';
import type { PartKey } from './memoryEstimate';
import { t } from '../../shared/l10n';
import { formatDecimal } from '../../shared/localeFormat';

/** Decimal GB, as model cards and papers quote memory; the number in the display language's digits (Intl). */
export function formatGb(bytes: number): string {
  const gb = bytes / 1e9;
  return `${formatDecimal(gb, gb >= 100 ? 0 : gb >= 10 ? 1 : 2)} GB`;
}

/** Translated when asked (a function per part), so the labels follow the display language set at activation. */
const PART_LABELS: Record<PartKey, () => string> = {
  weights: () => t('weights'),
  quantConstants: () => t('quantisation scales'),
  loraWeights: () => t('LoRA adapters'),
  gradients: () => t('gradients'),
  optimizer: () => t('AdamW states'),
  masterWeights: () => t('FP32 master weights'),
  activations: () => t('activations'),
  logits: () => t('logits'),
  kvCache: () => t('KV cache'),
  cudaContext: () => t('CUDA context'),
  allocator: () => t('allocator overhead'),
};

export function partLabel(key: PartKey): string {
  return PART_LABELS[key]();
}

export function describeAdvice(advice: readonly Advice[]): string[] {
  return advice.map((a) => {
    const v = a.values;
    switch (a.code) {
      case 'shortRunOnDemand':
        return t('Under a week of work: rent on demand; no commitment pays off that fast.');
      case 'longRunReservedOrSpot':
        return t('Long runs: reserved capacity, or spot with checkpoints, cost far less than on-demand.');
      case 'spotNeedsCheckpoints':
        return t('Spot only with checkpoints more often than interruptions (assume one every {0} min).', String(v['interruptionMinutes']));
      case 'spotCadenceOk':
        return t('Checkpoints every {0} min beat interruptions every {1} min: spot is safe.', String(v['cadenceMinutes']), String(v['interruptionMinutes']));
      case 'spotCadenceTooSlow':
        return t('Checkpoints every {0} min are slower than interruptions every {1} min: stay on demand.', String(v['cadenceMinutes']), String(v['interruptionMinutes']));
      case 'modelParallelNeedsFastLinks':
        return t('Splitting across {0} GPUs wants NVLink/SXM boards; PCIe cards slow tensor parallelism.', String(v['gpus']));
      case 'estimateNotMeasurement':
        return t('An estimate, not a measurement: the dashboard shows the real memory once it runs.');
    }
  });
}
