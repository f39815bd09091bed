import type { ActivitySource, StopReason } from './idleTypes';
import { t } from '../../shared/l10n';

/**
 * The idle rule's data values as words for people. The values themselves ('terminalInput', 'maxRuntime') are data:
 * stored, compared and logged as they are, never put into a sentence a person reads.
 */

/** What the person did, inside "activity in VS Code 2 min ago ({0})". */
export function activitySourceLabel(source: ActivitySource): string {
  switch (source) {
    case 'remoteWindowFocus': return t('a Remote-SSH window in focus');
    case 'terminalInput': return t('typing in a terminal');
    case 'terminalOutput': return t('terminal output');
    case 'dashboardFocus': return t('the dashboard in focus');
    case 'editorEdit': return t('editing a file');
  }
}

/** A stop reason inside an audit line. Short nouns, so an English line still reads "stop (budget)". */
export function auditReasonLabel(reason: StopReason): string {
  switch (reason) {
    case 'idle': return t('idle');
    case 'maxRuntime': return t('maximum runtime');
    case 'budget': return t('budget');
    case 'user': return t('on request');
  }
}
