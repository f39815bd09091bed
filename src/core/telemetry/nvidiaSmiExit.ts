import { RemoteGpuError } from '../errors';
import type { ExecResult } from '../remote/remoteCommand';
import { t } from '../../shared/l10n';

/** Exit status a POSIX shell gives when the program is not on PATH. */
const EXIT_COMMAND_NOT_FOUND = 127;
/** nvidia-smi: invalid argument, including an unknown `--query-*` field. */
const EXIT_INVALID_ARGUMENT = 2;
/** nvidia-smi: no devices matched (`-i` with a missing GPU, or none at all). */
const EXIT_NO_DEVICES = 6;
/** nvidia-smi: the NVIDIA driver is not loaded or cannot be reached. */
const EXIT_DRIVER_NOT_LOADED = 9;

const UNKNOWN_FIELD = /^Field "([^"]{1,200})" is not a valid field to query\.?\s*$/;

/**
 * The field nvidia-smi refused, from its one-line answer to an unknown `--query-gpu` field
 * (`Field "bogus.field" is not a valid field to query.`, exit 2), or undefined when the text is something else.
 * The stream adapter uses it to drop that field and renegotiate instead of failing the whole stream.
 */
export function unknownQueryField(text: string): string | undefined {
  // Called on every streamed row: a substring test first keeps the common case (a data row) to one scan.
  if (!text.includes('is not a valid field')) return undefined;
  for (const line of text.split(/\r?\n/)) {
    const match = UNKNOWN_FIELD.exec(line.trim());
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Classifies how an nvidia-smi invocation ended. Undefined for exit 0 (or a stream we stopped ourselves, which the
 * caller knows); otherwise a RemoteGpuError whose message is safe to show and whose detail carries the raw output.
 */
export function nvidiaSmiFailure(result: ExecResult): RemoteGpuError | undefined {
  if (result.code === 0) return undefined;
  const detail = `exit=${result.code} signal=${result.signal} stdout=${result.stdout.slice(0, 300).trim()} stderr=${result.stderr.slice(0, 300).trim()}`;
  if (result.code === EXIT_COMMAND_NOT_FOUND) {
    return new RemoteGpuError('commandNotFound', t('nvidia-smi was not found on this host (no NVIDIA driver, or not on PATH).'), detail);
  }
  const field = unknownQueryField(result.stdout) ?? unknownQueryField(result.stderr);
  if (result.code === EXIT_INVALID_ARGUMENT && field !== undefined) {
    return new RemoteGpuError('remoteFailed', t('This host\'s nvidia-smi does not know the field "{0}".', field), detail);
  }
  if (result.code === EXIT_NO_DEVICES) return new RemoteGpuError('notFound', t('nvidia-smi found no GPU on this host.'), detail);
  if (result.code === EXIT_DRIVER_NOT_LOADED) {
    return new RemoteGpuError('remoteFailed', t('nvidia-smi cannot talk to the NVIDIA driver on this host (driver not loaded?).'), detail);
  }
  const said = firstLine(result.stdout) || firstLine(result.stderr) || `exit ${result.code ?? result.signal ?? '?'}`;
  return new RemoteGpuError('remoteFailed', t('nvidia-smi failed: {0}', said.slice(0, 200)), detail);
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
}
