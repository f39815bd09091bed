import type { GpuSnapshot } from '../../src/shared/telemetryProtocol';
import { formatMemory, formatPercent } from '../shared/format';
import { t } from '../../src/shared/l10n';

/** One sidebar line: which GPU, and the numbers beside its two sparklines. `name` is untrusted text. */
export interface MonitorRowText {
  readonly title: string;
  readonly name: string;
  readonly utilisation: string;
  readonly memory: string;
}

export function monitorRowText(gpu: GpuSnapshot): MonitorRowText {
  const c = gpu.current;
  return { title: `GPU ${gpu.index}`, name: gpu.name, utilisation: formatPercent(c.utilizationGpu), memory: formatMemory(c.memoryUsedMiB, c.memoryTotalMiB) };
}

/** Shown before the host has sent anything: the monitor follows the instance selected in the Instances view. */
export const NO_HOST_TEXT = t('Select an instance in the Instances view to see its GPUs here.');
