import type { ConnectionState, ConnectionView } from '../../src/shared/telemetryProtocol';
import { formatDuration } from './format';

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
      return 'Live';
    case 'connecting':
      return 'Connecting…';
    case 'stopped':
      return 'Stopped';
    case 'reconnecting':
      return c.retryInMs === null ? 'Reconnecting' : `Reconnecting (retry in ${formatDuration(c.retryInMs)})`;
    case 'stale':
      return c.lastSampleAgeMs === null ? 'Stale (no sample yet)' : `Stale (last sample ${formatDuration(c.lastSampleAgeMs)} ago)`;
  }
}
