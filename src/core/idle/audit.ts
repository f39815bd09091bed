import type { IdleEffect } from './idleTypes';
import { t } from '../../shared/l10n';

/** One audit line per effect (for the log channel and the dashboard): what happened, when, and why. */
export function describeEffect(e: IdleEffect): string {
  const at = new Date(e.at).toISOString();
  switch (e.kind) {
    case 'warn':
      return t('{0} warning ({1}): stop at {2}. {3}', at, e.reason, new Date(e.stopAt).toISOString(), e.explanation);
    case 'cancelWarning':
      return t('{0} warning withdrawn ({1}). {2}', at, e.reason, e.explanation);
    case 'stop':
      return t('{0} stop ({1}). {2}', at, e.reason, e.explanation);
    case 'kept':
      return e.until === 'untilISay' ? t('{0} kept until told otherwise', at) : t('{0} kept until {1}', at, new Date(e.until).toISOString());
    case 'keepEnded':
      return t('{0} keep ended', at);
  }
}
