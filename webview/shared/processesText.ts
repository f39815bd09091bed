import type { ProcessesView } from '../../src/shared/telemetryProtocol';
import { formatGiB, NO_VALUE } from './format';

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
      if (p.items.length === 0) return { kind: 'text', text: 'No compute processes are using the GPUs.' };
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
        text: 'GPU memory is in use, but the driver lists no processes for it (some drivers and virtualised GPUs do not report them).',
      };
    case 'unavailable':
      return { kind: 'text', text: 'The process list is not available right now: the process sampler is not running for this host.' };
  }
}

function hiddenText(count: number, usedMemoryMiB: number | null): string {
  const what = count === 1 ? '1 process' : `${count} processes`;
  const using = usedMemoryMiB === null ? '' : ` using ${formatGiB(usedMemoryMiB)}`;
  return (
    `The driver reports ${what}${using}, but their PIDs belong to another PID namespace ` +
    "(typical in rented containers), so they can't be listed here."
  );
}

/** A process whose GPU index is unknown names the GPU by UUID; the first block is enough to tell cards apart. */
function shortUuid(uuid: string): string {
  return uuid === '' ? NO_VALUE : uuid.slice(0, 12);
}
