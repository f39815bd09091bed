import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import type { GpuFieldSpec, RequestedField } from './fields';
import { nvidiaSmiFailure } from './nvidiaSmiExit';
import { t } from '../../shared/l10n';

/** Every name (aliases included) that this driver's `--query-gpu` accepts. */
export interface AcceptedFields {
  readonly names: ReadonlySet<string>;
}

/** The result of checking the wanted fields against the driver: what to ask for, in order, and what was dropped. */
export interface NegotiatedFields {
  readonly fields: readonly RequestedField[];
  readonly dropped: readonly GpuFieldSpec[];
}

// A field line is only quoted names joined by " or ": `"uuid" or "gpu_uuid"`. Descriptions never start with a quote
// and section titles have none, so this cannot mistake prose for a field.
const FIELD_LINE = /^"[^"\s]+"(?:\s+or\s+"[^"\s]+")*$/;
const QUOTED = /"([^"\s]+)"/g;

/** Reads `nvidia-smi --help-query-gpu` (or `--help-query-compute-apps`) text into the set of accepted names. */
export function parseHelpQuery(text: string): AcceptedFields {
  const names = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!FIELD_LINE.test(line)) continue;
    for (const match of line.matchAll(QUOTED)) if (match[1] !== undefined) names.add(match[1]);
  }
  return { names };
}

/**
 * Picks, for each wanted field in order, the first of its names the driver accepts. A field the driver lacks is
 * dropped (an unknown field would fail the whole query with exit 2); a missing required field is fatal because no
 * sample could be attributed to a GPU and a time without it.
 */
export function negotiateFields(wanted: readonly GpuFieldSpec[], accepted: AcceptedFields): NegotiatedFields {
  const fields: RequestedField[] = [];
  const dropped: GpuFieldSpec[] = [];
  for (const spec of wanted) {
    const requestName = [spec.name, ...spec.fallbacks].find((n) => accepted.names.has(n));
    if (requestName !== undefined) fields.push({ spec, requestName });
    else dropped.push(spec);
  }
  const missingRequired = dropped.filter((s) => s.required).map((s) => s.name);
  if (missingRequired.length > 0) {
    throw new RemoteGpuError(
      'invalidResponse',
      t('This host\'s nvidia-smi does not offer {0}, which live telemetry needs.', missingRequired.map((n) => `"${n}"`).join(', ')),
      `accepted ${accepted.names.size} names`,
    );
  }
  return { fields, dropped };
}

/** `nvidia-smi --help-query-gpu`: which fields this driver accepts. Cache the answer per driver version. */
export const helpQueryGpuCommand: RemoteCommand<AcceptedFields> = {
  argv: ['nvidia-smi', '--help-query-gpu'],
  parse: parseHelpQueryResult,
};

export function parseHelpQueryResult(result: ExecResult): AcceptedFields {
  const failure = nvidiaSmiFailure(result);
  if (failure) throw failure;
  const accepted = parseHelpQuery(result.stdout);
  if (accepted.names.size === 0) {
    throw new RemoteGpuError('invalidResponse', t('nvidia-smi --help-query-gpu listed no fields.'), result.stdout.slice(0, 200));
  }
  return accepted;
}

/**
 * The same negotiation without a field the driver refused at run time (`Field "x" is not a valid field to query.`,
 * exit 2): the help listed it but the query did not take it. Throws like negotiateFields if that field is required.
 */
export function dropRefusedField(negotiated: NegotiatedFields, refusedName: string): NegotiatedFields {
  const refused = negotiated.fields.find((f) => f.requestName === refusedName);
  if (!refused) return negotiated;
  if (refused.spec.required) {
    throw new RemoteGpuError('invalidResponse', t('This host\'s nvidia-smi refuses "{0}", which live telemetry needs.', refusedName));
  }
  return { fields: negotiated.fields.filter((f) => f !== refused), dropped: [...negotiated.dropped, refused.spec] };
}

/** The names to put in `--query-gpu=`, in order. */
export function requestNames(negotiated: NegotiatedFields): string[] {
  return negotiated.fields.map((f) => f.requestName);
}
