import { RemoteGpuError } from '../core/errors';
import type { ChannelHost } from './channelHost';
import { cancelledError } from './sshErrors';
import { t } from '../shared/l10n';

export interface GuardOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** "exec on root@host", for messages. */
  readonly what: string;
}

/**
 * Makes an operation end exactly once, by whichever comes first: it finishes, the caller aborts, its time runs out,
 * or the connection drops. `onAbandon` runs for every end except a normal finish (to stop the remote side).
 */
export class OperationGuard {
  private done = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly untrack: () => void;
  private readonly onAbort = (): void => this.abandon(cancelledError(this.opts.what));

  constructor(
    h: ChannelHost,
    private readonly opts: GuardOptions,
    private readonly onAbandon: (e: RemoteGpuError) => void,
  ) {
    this.untrack = h.track((e) => this.abandon(e));
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (opts.timeoutMs !== undefined) {
      const seconds = Math.round(opts.timeoutMs) / 1000;
      this.timer = setTimeout(() => this.abandon(new RemoteGpuError('timeout', t('{0} did not finish within {1} s.', capitalize(opts.what), seconds))), opts.timeoutMs);
    }
  }

  get settled(): boolean {
    return this.done;
  }

  /** Marks a normal end; false when something else ended it first. */
  finish(): boolean {
    if (this.done) return false;
    this.done = true;
    clearTimeout(this.timer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.untrack();
    return true;
  }

  abandon(e: RemoteGpuError): void {
    if (this.finish()) this.onAbandon(e);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
