import type { IdleEffect } from './idleTypes';

/** One audit line per effect (for the log channel and the dashboard): what happened, when, and why. */
export function describeEffect(e: IdleEffect): string {
  const at = new Date(e.at).toISOString();
  switch (e.kind) {
    case 'warn':
      return `${at} warning (${e.reason}): stop at ${new Date(e.stopAt).toISOString()}. ${e.explanation}`;
    case 'cancelWarning':
      return `${at} warning withdrawn (${e.reason}). ${e.explanation}`;
    case 'stop':
      return `${at} stop (${e.reason}). ${e.explanation}`;
    case 'kept':
      return `${at} kept ${e.until === 'untilISay' ? 'until told otherwise' : `until ${new Date(e.until).toISOString()}`}`;
    case 'keepEnded':
      return `${at} keep ended`;
  }
}
