import type { ProcessesView } from '../../src/shared/telemetryProtocol';
import { formatGiB, NO_VALUE } from './format';
import { t } from '../../src/shared/l10n';

/** One row of the processes table, every cell already text. `name` is untrusted: rendered with textContent only. */
export interface ProcessRowText {
  readonly pid: string;
  readonly name: string;
  readonly memory: string;
  readonly gpu: string;
}

/** A table when there are rows to list; otherwise a sentence that says why (never an empty table). */
export type ProcessesDisplay = { readonly kind: 'table'; readonly rows: readonly ProcessRowText[] } | { readonly kind: 'text'; readonly text: string };

export function processesDisplay(p: ProcessesView): ProcessesDisplay {
  switch (p.kind) {
    case 'list':
      if (p.items.length === 0) return { kind: 'text', text: t('No compute processes are using the GPUs.') };
      return {
        kind: 'table',
        rows: p.items.map((r) => ({
          pid: String(r.pid),
          name: r.name,
          memory: formatGiB(r.usedMemoryMiB),
          gpu: r.gpuIndex === null ? shortUuid(r.gpuUuid) : `GPU ${r.gpuIndex}`,
        })),
      };
    case 'hiddenByContainer':
      return { kind: 'text', text: hiddenText(p.count, p.usedMemoryMiB) };
    case 'notReported':
      return {
        kind: 'text',
        text: t('GPU memory is in use, but the driver lists no processes for it (some drivers and virtualised GPUs do not report them).'),
      };
    case 'unavailable':
      return { kind: 'text', text: t('The process list is not available right now: the process sampler is not running for this host.') };
  }
}

function hiddenText(count: number, usedMemoryMiB: number | null): string {
  const why = t("their PIDs belong to another PID namespace (typical in rented containers), so they can't be listed here.");
  if (usedMemoryMiB === null) return count === 1 ? t('The driver reports 1 process, but {0}', why) : t('The driver reports {0} processes, but {1}', count, why);
  const used = formatGiB(usedMemoryMiB);
  return count === 1 ? t('The driver reports 1 process using {0}, but {1}', used, why) : t('The driver reports {0} processes using {1}, but {2}', count, used, why);
}

/** A process whose GPU index is unknown names the GPU by UUID; the first block is enough to tell cards apart. */
function shortUuid(uuid: string): string {
  return uuid === '' ? NO_VALUE : uuid.slice(0, 12);
}
