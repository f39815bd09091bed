import type { ConnectionState, ConnectionView } from '../../src/shared/telemetryProtocol';
import { formatDuration } from './format';
import { t } from '../../src/shared/l10n';

/** What the state badge says. `error` is the host's safe message (rendered as text); Retry shows only with one. */
export interface ConnectionText {
  readonly state: ConnectionState;
  readonly label: string;
  readonly error: string | null;
  readonly canRetry: boolean;
}

export function connectionText(c: ConnectionView): ConnectionText {
  const error = c.error?.message ?? null;
  return { state: c.state, label: stateLabel(c), error, canRetry: error !== null };
}

function stateLabel(c: ConnectionView): string {
  switch (c.state) {
    case 'live':
      return t('Live');
    case 'connecting':
      // A first attempt that failed waits for its retry, like a reconnect, but never delivered: no "re".
      return c.retryInMs === null ? t('Connecting…') : t('Connecting (retry in {0})', formatDuration(c.retryInMs));
    case 'stopped':
      return t('Stopped');
    case 'reconnecting':
      return c.retryInMs === null ? t('Reconnecting') : t('Reconnecting (retry in {0})', formatDuration(c.retryInMs));
    case 'stale':
      return c.lastSampleAgeMs === null ? t('Stale (no sample yet)') : t('Stale (last sample {0} ago)', formatDuration(c.lastSampleAgeMs));
  }
}
