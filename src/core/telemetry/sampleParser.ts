import type { GpuMetricKey, GpuMetrics } from '../../shared/gpuMetrics';
import { excerpt, isHeaderRow, parseHexCell, parseNumberCell, parseStringCell, splitCells } from './cellValues';
import type { CellResult } from './cellValues';
import type { GpuFieldSpec, RequestedField } from './fields';
import { unknownQueryField } from './nvidiaSmiExit';
import { parseSmiTimestamp } from './timestamp';

/** One GPU at one instant, as one stream row says it. */
export interface GpuSample {
  /** nvidia-smi's timestamp as epoch ms (see parseSmiTimestamp for the time zone). */
  readonly t: number;
  readonly index: number;
  readonly uuid: string;
  /** Untrusted text from the host; render as text only. */
  readonly name: string;
  readonly pstate: string | undefined;
  readonly metrics: GpuMetrics;
}

export type RowErrorReason = 'columnCount' | 'badValue' | 'missingRequired' | 'badTimestamp' | 'unknownField';

/** Why one line was not a sample. Reported and skipped: a bad line never stops the stream or becomes a number. */
export interface RowParseError {
  readonly reason: RowErrorReason;
  readonly message: string;
  /** The offending line, cut to 200 characters, for the log. */
  readonly line: string;
  /** The field concerned (for `unknownField`: the one the driver refused). */
  readonly field?: string;
}

export type ParsedGpuLine =
  | { readonly kind: 'sample'; readonly sample: GpuSample }
  | { readonly kind: 'header' }
  | { readonly kind: 'blank' }
  | { readonly kind: 'error'; readonly error: RowParseError };

export interface RowParserOptions {
  /** The GPU host's offset from UTC in minutes (`date +%z`), used to read nvidia-smi's zone-less timestamps. */
  readonly utcOffsetMinutes: number;
}

/** Mutable twin of GpuSample, filled column by column. */
type Draft = { t?: number; index?: number; uuid?: string; name?: string; pstate?: string; metrics: { [K in GpuMetricKey]?: number } };

/**
 * Returns a line parser for a stream queried with exactly `fields`, in that order. Columns are mapped by position,
 * never by header text (headers rename fields). Header lines of `--format=csv` are recognised and skipped; units are
 * tolerated in any mode; `[N/A]` and friends become a missing value, never 0.
 */
export function createGpuRowParser(fields: readonly RequestedField[], options: RowParserOptions): (line: string) => ParsedGpuLine {
  const specs = fields.map((f) => f.spec);
  const first = fields[0];
  const firstNames = first ? [first.requestName, first.spec.name, ...first.spec.fallbacks] : [];
  const nameColumn = specs.findIndex((s) => s.target === 'name');
  return (raw) => {
    const line = raw.trim();
    if (line === '') return { kind: 'blank' };
    const refused = unknownQueryField(line);
    if (refused !== undefined) return fail('unknownField', `nvidia-smi refused the field "${refused}"`, line, refused);
    const cells = fitColumns(splitCells(line), specs.length, nameColumn);
    if (isHeaderRow(cells, firstNames)) return { kind: 'header' };
    if (cells.length !== specs.length) return fail('columnCount', `expected ${specs.length} columns, got ${cells.length}`, line);
    return parseCells(cells, specs, line, options);
  };
}

/** A GPU name may hold commas: it is the one free-text column, so surplus cells are glued back into it. */
function fitColumns(cells: string[], expected: number, nameColumn: number): string[] {
  const surplus = cells.length - expected;
  if (surplus <= 0 || nameColumn < 0) return cells;
  const name = cells.slice(nameColumn, nameColumn + surplus + 1).join(', ');
  return [...cells.slice(0, nameColumn), name, ...cells.slice(nameColumn + surplus + 1)];
}

function parseCells(cells: readonly string[], specs: readonly GpuFieldSpec[], line: string, options: RowParserOptions): ParsedGpuLine {
  const draft: Draft = { metrics: {} };
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as GpuFieldSpec;
    const cell = cells[i] ?? '';
    if (spec.kind === 'timestamp') {
      const t = parseSmiTimestamp(cell, options.utcOffsetMinutes);
      if (t === undefined) return fail('badTimestamp', `"${excerpt(cell)}" is not an nvidia-smi timestamp`, line, spec.name);
      draft.t = t;
      continue;
    }
    const parsed = parseCell(spec, cell);
    if (!parsed.ok) return fail('badValue', `${spec.name}: "${excerpt(cell)}" is ${parsed.why}`, line, spec.name);
    if (parsed.value === undefined) {
      if (spec.required) return fail('missingRequired', `${spec.name} has no value`, line, spec.name);
      continue;
    }
    const error = assign(draft, spec, parsed.value);
    if (error !== undefined) return fail('badValue', `${spec.name}: ${error}`, line, spec.name);
  }
  return finish(draft, line);
}

function parseCell(spec: GpuFieldSpec, cell: string): CellResult<number | string> {
  if (spec.kind === 'number') return parseNumberCell(cell);
  if (spec.kind === 'hexBitmask') return parseHexCell(cell);
  return parseStringCell(cell);
}

function assign(draft: Draft, spec: GpuFieldSpec, value: number | string): string | undefined {
  switch (spec.target) {
    case 'timestamp':
      return 'is not a metric';
    case 'index':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return `"${value}" is not a GPU index`;
      draft.index = value;
      return undefined;
    case 'unused':
      return undefined;
    case 'uuid':
    case 'name':
    case 'pstate':
      draft[spec.target] = String(value);
      return undefined;
    default:
      if (typeof value !== 'number') return 'is not a number';
      draft.metrics[spec.target] = value;
      return undefined;
  }
}

function finish(draft: Draft, line: string): ParsedGpuLine {
  const { t, index, uuid, name } = draft;
  // Only reachable when the field list itself lacks an identity field; negotiateFields never produces one.
  if (t === undefined || index === undefined || uuid === undefined || name === undefined) {
    return fail('missingRequired', 'the row lacks timestamp, index, uuid or name', line);
  }
  return { kind: 'sample', sample: { t, index, uuid, name, pstate: draft.pstate, metrics: draft.metrics } };
}

function fail(reason: RowErrorReason, message: string, line: string, field?: string): ParsedGpuLine {
  const error: RowParseError = field === undefined ? { reason, message, line: excerpt(line) } : { reason, message, line: excerpt(line), field };
  return { kind: 'error', error };
}
