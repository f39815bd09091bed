import type { IdleEffect } from './idleTypes';
import { auditReasonLabel } from './wording';
import { t } from '../../shared/l10n';

/**
 * One audit line per effect (for the log channel and the dashboard): what happened, when, and why. Made in the
 * display language when the effect happens. That is safe because the audit is kept in memory only, for the life of
 * the extension host, which VS Code restarts when the display language changes: no stored line can come back in
 * another language. Times are ISO 8601 UTC, which reads the same in every language and keeps seconds (test windows
 * are seconds long).
 */
export function describeEffect(e: IdleEffect): string {
  const at = new Date(e.at).toISOString();
  switch (e.kind) {
    case 'warn':
      return t('{0} warning ({1}): stop at {2}. {3}', at, auditReasonLabel(e.reason), new Date(e.stopAt).toISOString(), e.explanation);
    case 'cancelWarning':
      return t('{0} warning withdrawn ({1}). {2}', at, auditReasonLabel(e.reason), e.explanation);
    case 'stop':
      return t('{0} stop ({1}). {2}', at, auditReasonLabel(e.reason), e.explanation);
    case 'kept':
      return e.until === 'untilISay' ? t('{0} kept until told otherwise', at) : t('{0} kept until {1}', at, new Date(e.until).toISOString());
    case 'keepEnded':
      return t('{0} keep ended', at);
  }
}
