import { z } from 'zod';

/**
 * The webviews' strings: the host turns this list into a dictionary for the display language (`vscode.l10n.t` on each
 * entry) and writes it into the page; the webview's `t()` (src/shared/l10n.ts) looks strings up there.
 * test/unit/l10n checks that every `t('...')` under webview/ is listed here and that nothing listed is unused; after
 * adding a webview string, add it here and to l10n/bundle.l10n.zh-cn.json.
 */
export const WEBVIEW_MESSAGES: readonly string[] = [
  'Age',
  'Auto-stop is off for this machine.',
  'Auto-stop: {0}',
  'Being written: {0}',
  'Burn rate',
  'Cadence',
  'Checkpoints',
  'Connecting (retry in {0})',
  'Connecting…',
  'Cost and auto-stop',
  'Daily budget',
  'Daily budget ({0})',
  'Download Latest',
  'Downloaded',
  'GPU memory',
  'GPU memory is in use, but the driver lists no processes for it (some drivers and virtualised GPUs do not report them).',
  'GPU {0} {1}, {2}',
  'In {0}',
  'In {0} (the scan hit its file limit: older checkpoints may be missing).',
  'Live',
  'Looking for checkpoints in {0}…',
  'Mem',
  'Memory',
  'Monitoring is stopped for this host.',
  'Monthly budget',
  'Monthly budget ({0})',
  'Name',
  'Newest',
  'No GPU samples from this host yet.',
  'No checkpoint in {0} yet.',
  'No compute processes are using the GPUs.',
  'No project folder for this host. Set remoteGpu.checkpoints.projectFolder (or hostFolders), open the folder with Remote-SSH, or run Download Latest Checkpoint once.',
  'Open Dashboard',
  'Open Terminal',
  'Overdue: the GPUs are busy and the next checkpoint is {0} late (cadence every {1}).',
  'Overdue: the GPUs are busy and this run has written no checkpoint (for {0} past the limit).',
  'P-state',
  'Power',
  'Processes',
  'Projected month',
  'Recent',
  'Reconnecting',
  'Reconnecting (retry in {0})',
  'Retry',
  'SM clock',
  'Select an instance in the Instances view to see its GPUs here.',
  'Show Logs',
  'Size',
  'Stale (last sample {0} ago)',
  'Stale (no sample yet)',
  'Step',
  'Stopped',
  'Temperature',
  'The driver reports 1 process using {0}, but {1}',
  'The driver reports 1 process, but {0}',
  'The driver reports {0} processes using {1}, but {2}',
  'The driver reports {0} processes, but {1}',
  'The last look at {0} failed: {1}',
  'The process list is not available right now: the process sampler is not running for this host.',
  'This host reports no GPUs.',
  'This machine',
  'This month',
  'Today',
  'Util',
  'Utilisation',
  'Waiting for the first sample from this host…',
  'Waiting for the first snapshot…',
  'Window',
  'every {0}',
  'last 24 hours',
  'last 5 minutes',
  'last hour',
  'memory used',
  'not yet',
  'power draw',
  'temperature',
  "their PIDs belong to another PID namespace (typical in rented containers), so they can't be listed here.",
  // Sent for src/shared/localeFormat's formatUsd, which the dashboard uses for money: not under webview/, so listed by hand.
  'under {0}',
  'utilisation',
  'yes',
  '{0} ago',
  '{0} h',
  '{0} h {1} min',
  '{0} min',
  '{0} min {1} s',
  '{0} of {1} ({2} %)',
  '{0} of {1} ({2} %), over the limit',
  '{0} of {1} ({2} %), past the {3} % alert',
  '{0} s',
  '{0}/h',
  '{0}: no data',
  '{0}: now {1}, min {2}, max {3}',
];

/** The id of the page's `<script type="application/json">` that carries the dictionary. */
export const L10N_ELEMENT_ID = 'remote-gpu-l10n';

/** What the host puts into the page: the display language and English source → translation. */
export const WebviewL10nSchema = z.object({
  locale: z.string().max(64),
  messages: z.record(z.string().max(2000), z.string().max(4000)),
});
export type WebviewL10n = z.infer<typeof WebviewL10nSchema>;

/** The page's JSON, validated like every message from the host; undefined (stay in English) if anything is off. */
export function parseWebviewL10n(text: string): WebviewL10n | undefined {
  try {
    const parsed = WebviewL10nSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * JSON that is safe inside `<script type="application/json">`: "<" (so no "</script>" or "<!--" can end the block),
 * ">" and "&" as \u escapes, plus the two line separators that older parsers treat as line ends.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
