import { excerpt, isHeaderRow, parseNumberCell, splitCells } from './cellValues';
import type { RowParseError, RowParserOptions } from './sampleParser';
import { parseSmiTimestamp } from './timestamp';
import { unknownQueryField } from './nvidiaSmiExit';

/** One process with a CUDA context on one GPU, from `--query-compute-apps`. */
export interface ComputeApp {
  readonly t: number;
  readonly gpuUuid: string;
  /** As the driver reports it: in a container this is often a PID of the host's namespace, not ours. */
  readonly pid: number;
  /** Untrusted: any bytes the process put in its name. Kept as data; see displayProcessName for showing it. */
  readonly name: string;
  /** Undefined when the driver cannot say ([N/A]: WDDM, some containers), never 0. */
  readonly usedMemoryMiB: number | undefined;
}

export type ParsedAppLine =
  | { readonly kind: 'app'; readonly app: ComputeApp }
  | { readonly kind: 'header' }
  | { readonly kind: 'blank' }
  | { readonly kind: 'error'; readonly error: RowParseError };

const COLUMNS = 5;

/**
 * Parses rows of `--query-compute-apps=timestamp,gpu_uuid,pid,process_name,used_memory` (with or without header and
 * units). The name is the one free-text column and may hold commas, so it is whatever lies between pid and memory.
 */
export function parseComputeAppLine(raw: string, options: RowParserOptions): ParsedAppLine {
  const line = raw.trim();
  if (line === '') return { kind: 'blank' };
  const refused = unknownQueryField(line);
  if (refused !== undefined) return fail('unknownField', `nvidia-smi refused the field "${refused}"`, line);
  const cells = splitCells(line);
  if (isHeaderRow(cells, ['timestamp'])) return { kind: 'header' };
  if (cells.length < COLUMNS) return fail('columnCount', `expected ${COLUMNS} columns, got ${cells.length}`, line);
  const t = parseSmiTimestamp(cells[0] ?? '', options.utcOffsetMinutes);
  if (t === undefined) return fail('badTimestamp', 'not an nvidia-smi timestamp', line);
  const gpuUuid = cells[1] ?? '';
  const pidCell = cells[2] ?? '';
  if (gpuUuid === '' || gpuUuid.startsWith('[')) return fail('missingRequired', 'no GPU UUID', line);
  if (!/^\d{1,10}$/.test(pidCell) || Number(pidCell) === 0) return fail('badValue', `pid "${excerpt(pidCell)}" is not a process id`, line);
  const memory = parseNumberCell(cells[cells.length - 1] ?? '');
  if (!memory.ok) return fail('badValue', `used_memory is ${memory.why}`, line);
  const name = cells.slice(3, -1).join(', ');
  return { kind: 'app', app: { t, gpuUuid, pid: Number(pidCell), name, usedMemoryMiB: memory.value } };
}

function fail(reason: RowParseError['reason'], message: string, line: string): ParsedAppLine {
  return { kind: 'error', error: { reason, message, line: excerpt(line) } };
}

/** The process list at one tick. `t` is undefined when the list is empty because nothing was printed. */
export interface ComputeAppsSnapshot {
  readonly t: number | undefined;
  readonly apps: readonly ComputeApp[];
}

export interface ComputeAppsTrackerOptions extends RowParserOptions {
  /** The apps stream's interval. */
  readonly intervalMs: number;
  /** Local time (epoch ms) the stream started, from which silence counts. */
  readonly startedAt: number;
  /** Quiet time after a row before its tick counts as complete (rows of one tick arrive in one burst). */
  readonly settleMs?: number;
  readonly onRowError?: (error: RowParseError) => void;
}

/**
 * Turns the apps stream into "the processes now". nvidia-smi prints nothing at all for a tick without processes, so
 * an empty list cannot be read from a row: it is inferred from silence longer than 1.5 intervals. Rows are grouped
 * per tick by their nvidia-smi timestamp; receive times come from the caller's clock (`receivedAt`, `now`).
 */
export class ComputeAppsTracker {
  private pending: ComputeApp[] = [];
  private complete: ComputeApp[] | undefined;
  private lastRowAt: number | undefined;
  private readonly settleMs: number;

  constructor(private readonly options: ComputeAppsTrackerOptions) {
    this.settleMs = options.settleMs ?? Math.min(200, options.intervalMs / 4);
  }

  push(line: string, receivedAt: number): void {
    const parsed = parseComputeAppLine(line, this.options);
    if (parsed.kind === 'error') this.options.onRowError?.(parsed.error);
    if (parsed.kind !== 'app') return;
    const first = this.pending[0];
    if (first && Math.abs(parsed.app.t - first.t) > this.options.intervalMs / 2) this.promote();
    this.pending.push(parsed.app);
    this.lastRowAt = receivedAt;
  }

  /** The current list, [] when silence says there is none, or undefined while it is too early to tell. */
  current(now: number): ComputeAppsSnapshot | undefined {
    if (this.pending.length > 0 && this.lastRowAt !== undefined && now - this.lastRowAt >= this.settleMs) this.promote();
    const silentFor = now - (this.lastRowAt ?? this.options.startedAt);
    const fresh = this.options.intervalMs * 1.5 + this.settleMs;
    if (silentFor > fresh) return { t: undefined, apps: [] };
    if (this.complete) return { t: this.complete[0]?.t, apps: this.complete };
    return undefined;
  }

  private promote(): void {
    if (this.pending.length === 0) return;
    this.complete = this.pending;
    this.pending = [];
  }
}
