import type { CheckpointEntry, CheckpointStatus } from '../../src/shared/checkpointStatus';
import { t } from '../../src/shared/l10n';
import { formatBytes } from '../../src/shared/localeFormat';
import { formatDuration } from '../shared/format';

/** One checkpoint as text. `path` comes from the instance's file system: untrusted, rendered with textContent. */
export interface CheckpointRowText {
  readonly path: string;
  readonly step: string;
  readonly size: string;
  readonly age: string;
}

/** Everything the checkpoint section shows, as plain strings; null hides that part. */
export interface CheckpointSectionText {
  /** One sentence about the state (looking, no folder, failed), or null when the facts speak for themselves. */
  readonly status: string | null;
  readonly overdue: string | null;
  readonly newest: readonly { readonly label: string; readonly value: string }[] | null;
  readonly writing: string | null;
  readonly recent: readonly CheckpointRowText[];
  readonly canDownload: boolean;
}

function rowOf(e: CheckpointEntry): CheckpointRowText {
  return { path: e.path, step: e.step === undefined ? '—' : String(e.step), size: formatBytes(e.sizeBytes), age: t('{0} ago', formatDuration(e.ageMs)) };
}

function statusSentence(s: CheckpointStatus): string | null {
  switch (s.state) {
    case 'noFolder':
      return t('No project folder for this host. Set remoteGpu.checkpoints.projectFolder (or hostFolders), open the folder with Remote-SSH, or run Download Latest Checkpoint once.');
    case 'scanning':
      return t('Looking for checkpoints in {0}…', s.root);
    case 'error':
      return t('The last look at {0} failed: {1}', s.root, s.error ?? '');
    case 'ready':
      if (s.recent.length === 0 && s.writing.length === 0) return t('No checkpoint in {0} yet.', s.root);
      return s.truncated ? t('In {0} (the scan hit its file limit: older checkpoints may be missing).', s.root) : t('In {0}', s.root);
  }
}

export function checkpointSectionText(s: CheckpointStatus): CheckpointSectionText {
  const n = s.newest;
  const overdue = s.overdue
    ? s.overdue.why === 'noneYet'
      ? t('Overdue: the GPUs are busy and this run has written no checkpoint (for {0} past the limit).', formatDuration(s.overdue.forMs))
      : t('Overdue: the GPUs are busy and the next checkpoint is {0} late (cadence every {1}).', formatDuration(s.overdue.forMs), formatDuration(s.cadenceMs ?? 0))
    : null;
  return {
    status: statusSentence(s),
    overdue,
    newest: n
      ? [
          { label: t('Newest'), value: n.path },
          { label: t('Step'), value: n.step === undefined ? '—' : String(n.step) },
          { label: t('Size'), value: formatBytes(n.sizeBytes) },
          { label: t('Age'), value: t('{0} ago', formatDuration(n.ageMs)) },
          { label: t('Cadence'), value: s.cadenceMs === undefined ? '—' : t('every {0}', formatDuration(s.cadenceMs)) },
          { label: t('Downloaded'), value: s.newestDownloaded ? t('yes') : t('not yet') },
        ]
      : null,
    writing: s.writing.length > 0 ? t('Being written: {0}', s.writing.map((w) => `${w.path} (${formatBytes(w.sizeBytes)})`).join(', ')) : null,
    recent: s.recent.map(rowOf),
    canDownload: n !== undefined,
  };
}
