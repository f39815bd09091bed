import type { ErrorReason } from '../../errors';
import { RemoteGpuError, toRemoteGpuError } from '../../errors';
import type { ExecResult } from '../../remote/remoteCommand';
import { nvidiaSmiFailure } from '../../telemetry/nvidiaSmiExit';
import type { StreamError } from '../../telemetry/streamState';
import { t } from '../../../shared/l10n';

/** Why a stream attempt ended, and whether trying again soon could help. */
export interface Failure {
  readonly error: RemoteGpuError;
  /** True when retrying in a few seconds cannot help (no nvidia-smi, no driver, key refused). */
  readonly permanent: boolean;
}

/**
 * nvidia-smi exits that only a person can fix: 127 not installed, 9 driver not loaded, 6 no GPU. The reason of the
 * RemoteGpuError cannot tell "driver not loaded" (remoteFailed) from a one-off failure, so the exit code decides.
 */
const PERMANENT_EXITS: ReadonlySet<number> = new Set([127, 9, 6]);

/** Reasons that do not fix themselves within a backoff: credentials, trust, configuration, a wrong-shaped driver. */
const PERMANENT_REASONS: ReadonlySet<ErrorReason> = new Set<ErrorReason>([
  'auth',
  'hostKeyChanged',
  'hostKeyRejected',
  'config',
  'commandNotFound',
  'notFound',
  'invalidResponse',
]);

/** A failure whose permanence was decided where the facts were (an exit code), carried through a rejection. */
export class TelemetryFailure extends Error {
  override readonly name = 'TelemetryFailure';
  constructor(readonly failure: Failure) {
    super(failure.error.message);
  }
}

/** Classifies anything an attempt threw. */
export function classifyFailure(e: unknown): Failure {
  if (e instanceof TelemetryFailure) return e.failure;
  const error = toRemoteGpuError(e);
  return { error, permanent: PERMANENT_REASONS.has(error.reason) };
}

/** The failure of an nvidia-smi exec or stream that exited non-zero; undefined for exit 0. */
export function exitFailure(result: ExecResult): Failure | undefined {
  const error = nvidiaSmiFailure(result);
  if (!error) return undefined;
  return { error, permanent: result.code !== null && PERMANENT_EXITS.has(result.code) };
}

/** Throws TelemetryFailure when an nvidia-smi exec failed, so the exit code's verdict survives the rejection. */
export function throwOnExitFailure(result: ExecResult): void {
  const failure = exitFailure(result);
  if (failure) throw new TelemetryFailure(failure);
}

/** A stream that ended although nobody stopped it, with exit 0 or a signal: someone killed nvidia-smi. */
export function streamEndedFailure(code: number | null, signal: string | null): Failure {
  const how = signal !== null ? `signal ${signal}` : `exit ${code ?? '?'}`;
  return { error: new RemoteGpuError('remoteFailed', t('The nvidia-smi stream stopped ({0}).', how)), permanent: false };
}

/** The part of a failure the stream state and the UI show. */
export function toStreamError(error: RemoteGpuError): StreamError {
  return { reason: error.reason, message: error.message };
}
