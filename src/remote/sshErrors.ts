import { RemoteGpuError, isRemoteGpuError } from '../core/errors';
import { t } from '../shared/l10n';

/** Where a failure happened, for a message that names the right host. */
export interface ErrorContext {
  /** "user@host:port" as the user would type it. */
  readonly target: string;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** ssh2 tags its errors with `level`; node:net with `code`. Both are read as data, never the message text. */
function field(e: unknown, name: 'code' | 'level'): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const v = (e as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

function technical(e: unknown): string {
  const code = field(e, 'code');
  const level = field(e, 'level');
  const msg = e instanceof Error ? e.message : String(e);
  return [level && `level=${level}`, code && `code=${code}`, msg].filter(Boolean).join(' ');
}

/** Maps an error from ssh2 or node:net during connect to a RemoteGpuError; typed errors pass through. */
export function mapConnectError(e: unknown, ctx: ErrorContext): RemoteGpuError {
  if (isRemoteGpuError(e)) return e;
  const code = field(e, 'code');
  const level = field(e, 'level');
  const detail = technical(e);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || level === 'client-dns') {
    return new RemoteGpuError('unreachable', t('Cannot resolve the host name of {0}.', ctx.target), detail, { cause: e });
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new RemoteGpuError('unreachable', t('Cannot reach {0} ({1}).', ctx.target, code), detail, { cause: e });
  }
  if ((code !== undefined && TIMEOUT_CODES.has(code)) || level === 'client-timeout') {
    return new RemoteGpuError('timeout', t('Timed out connecting to {0}.', ctx.target), detail, { cause: e });
  }
  if (level === 'client-authentication') {
    return new RemoteGpuError('auth', t('The server refused authentication for {0}.', ctx.target), detail, { cause: e });
  }
  if (level === 'handshake' || level === 'protocol') {
    return new RemoteGpuError('unreachable', t('The SSH handshake with {0} failed.', ctx.target), detail, { cause: e });
  }
  if (level === 'client-socket') {
    return new RemoteGpuError('unreachable', t('The connection to {0} failed.', ctx.target), detail, { cause: e });
  }
  return new RemoteGpuError('internal', t('Unexpected SSH error with {0}.', ctx.target), detail, { cause: e });
}

export function cancelledError(what: string): RemoteGpuError {
  return new RemoteGpuError('cancelled', t('Cancelled.'), what);
}

export function connectionLostError(target: string, cause?: unknown): RemoteGpuError {
  return new RemoteGpuError(
    'connectionLost',
    t('The SSH connection to {0} was lost.', target),
    cause === undefined ? undefined : technical(cause),
    cause === undefined ? undefined : { cause },
  );
}
