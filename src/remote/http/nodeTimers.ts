import { RemoteGpuError } from '../../core/errors';
import type { Clock, Random, Sleep } from '../../core/providers/time';
import { t } from '../../shared/l10n';

/** The real clock for the Clock port. */
export const systemClock: Clock = { now: () => Date.now() };

/** Math.random for the Random port (backoff jitter needs no cryptographic quality). */
export const systemRandom: Random = () => Math.random();

/** The Sleep port over setTimeout; an abort clears the timer and rejects with 'cancelled' at once. */
export const nodeSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RemoteGpuError('cancelled', t('Cancelled.')));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new RemoteGpuError('cancelled', t('Cancelled.')));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
