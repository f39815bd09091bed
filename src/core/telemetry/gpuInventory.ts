import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import { t } from '../../shared/l10n';

/** One GPU as the tree lists it. */
export interface GpuInfo {
  readonly index: number;
  readonly name: string;
  /** MiB, as nvidia-smi reports it; undefined when the driver says [N/A]. */
  readonly memoryTotalMiB: number | undefined;
  readonly uuid: string;
}

/** nvidia-smi prints these for values it cannot read; they mean "no value", never 0. */
const NO_VALUE = new Set(['[N/A]', '[Not Supported]', '[Unknown Error]', '[Insufficient Permissions]', 'N/A']);

/** Exit status a POSIX shell gives when the program is not on PATH. */
const EXIT_COMMAND_NOT_FOUND = 127;

export const gpuInventoryCommand: RemoteCommand<GpuInfo[]> = {
  argv: ['nvidia-smi', '--query-gpu=index,name,memory.total,uuid', '--format=csv,noheader,nounits'],
  parse: parseGpuInventory,
};

export function parseGpuInventory(result: ExecResult): GpuInfo[] {
  if (result.code === EXIT_COMMAND_NOT_FOUND) {
    throw new RemoteGpuError('commandNotFound', t('nvidia-smi was not found on this host (no NVIDIA driver, or not on PATH).'), result.stderr.trim());
  }
  if (result.code !== 0) {
    const said = firstLine(result.stdout) || firstLine(result.stderr) || `exit ${result.code ?? result.signal ?? '?'}`;
    throw new RemoteGpuError('remoteFailed', t('nvidia-smi failed: {0}', said), `exit=${result.code} signal=${result.signal} stderr=${result.stderr.trim()}`);
  }
  const rows = result.stdout.split(/\r?\n/).filter((line) => line.trim() !== '');
  return rows.map((row, i) => parseRow(row, i));
}

function parseRow(row: string, lineIndex: number): GpuInfo {
  const cells = row.split(',').map((c) => c.trim());
  // A GPU name could in principle hold a comma; index is first and memory/uuid are last, so the middle is the name.
  if (cells.length < 4) throw invalid(lineIndex, row, 'expected 4 columns');
  const indexCell = cells[0] ?? '';
  const uuid = cells[cells.length - 1] ?? '';
  const memoryCell = cells[cells.length - 2] ?? '';
  const name = cells.slice(1, -2).join(', ');
  if (!/^\d+$/.test(indexCell)) throw invalid(lineIndex, row, `index "${indexCell}" is not a number`);
  if (name === '') throw invalid(lineIndex, row, 'empty GPU name');
  return { index: Number(indexCell), name, memoryTotalMiB: parseMiB(memoryCell, lineIndex, row), uuid };
}

function parseMiB(cell: string, lineIndex: number, row: string): number | undefined {
  if (NO_VALUE.has(cell)) return undefined;
  const value = Number(cell.replace(/\s*MiB$/, ''));
  if (!Number.isFinite(value) || value < 0) throw invalid(lineIndex, row, `memory.total "${cell}" is not a number`);
  return value;
}

function invalid(lineIndex: number, row: string, why: string): RemoteGpuError {
  return new RemoteGpuError('invalidResponse', t('nvidia-smi answered in an unexpected format (line {0}: {1}).', lineIndex + 1, why), row.slice(0, 200));
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
}

/** "80 GB" for 81559 MiB: GPU memory is marketed in decimal-ish GB, and users recognise 80 GB, not 79.6 GiB. */
export function formatGpuMemory(mib: number | undefined): string {
  if (mib === undefined) return t('memory unknown');
  const gb = mib / 1024;
  return gb >= 10 ? `${Math.round(gb)} GB` : `${gb.toFixed(1)} GB`;
}
