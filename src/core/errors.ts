import { t } from '../shared/l10n';
/**
 * Every failure the extension can explain to a user carries one of these reasons. The UI maps a reason to a message
 * and an action; code never matches on message text.
 */
export type ErrorReason =
  | 'auth' // key refused, agent empty, API key wrong
  | 'hostKeyChanged' // the server's key differs from the one we trust: never accepted silently
  | 'hostKeyRejected' // the user declined an unknown key
  | 'unreachable' // DNS, refused, reset, no route
  | 'timeout'
  | 'cancelled' // silent in the UI
  | 'connectionLost' // an established connection dropped mid-operation
  | 'notFound'
  | 'commandNotFound' // remote program missing (exit 127), e.g. no nvidia-smi
  | 'remoteFailed' // remote program ran and failed
  | 'invalidResponse' // output or payload of an unexpected shape
  | 'config' // bad user configuration
  | 'quota'
  | 'capacity'
  | 'rateLimited'
  | 'unavailable'
  | 'internal';

/** A typed error: `reason` classifies it, `message` is safe to show (no secrets, no stack), `detail` goes to the log. */
export class RemoteGpuError extends Error {
  override readonly name = 'RemoteGpuError';
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRemoteGpuError(e: unknown): e is RemoteGpuError {
  return e instanceof RemoteGpuError;
}

/** Classifies anything thrown into a RemoteGpuError, keeping typed ones as they are. */
export function toRemoteGpuError(e: unknown): RemoteGpuError {
  if (isRemoteGpuError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') return new RemoteGpuError('cancelled', t('Cancelled.'), undefined, { cause: e });
  const detail = e instanceof Error ? e.message : String(e);
  return new RemoteGpuError('internal', t('Something went wrong inside Remote GPU.'), detail, { cause: e });
}
