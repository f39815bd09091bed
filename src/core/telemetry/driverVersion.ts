import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import { nvidiaSmiFailure } from './nvidiaSmiExit';
import { t } from '../../shared/l10n';

/**
 * The driver version, the key under which a host's accepted field set is cached. `--query-gpu=driver_version` is
 * used rather than `--version`, which drivers before the 5xx series do not know; the parser reads both forms.
 */
export const driverVersionCommand: RemoteCommand<string> = {
  argv: ['nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader'],
  parse: parseDriverVersionResult,
};

const VERSION = /^\d+(?:\.\d+){1,3}$/;
const VERSION_LINE = /^DRIVER version\s*:\s*(\S+)\s*$/i;

/**
 * Reads a driver version from `--query-gpu=driver_version --format=csv,noheader` (one line per GPU, all equal) or
 * from `nvidia-smi --version` (`DRIVER version : 580.159.04`). Undefined when there is none.
 */
export function parseDriverVersion(text: string): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const labelled = VERSION_LINE.exec(line)?.[1];
    const candidate = labelled ?? line;
    if (VERSION.test(candidate)) return candidate;
  }
  return undefined;
}

export function parseDriverVersionResult(result: ExecResult): string {
  const failure = nvidiaSmiFailure(result);
  if (failure) throw failure;
  const version = parseDriverVersion(result.stdout);
  if (version === undefined) {
    throw new RemoteGpuError('invalidResponse', t('nvidia-smi did not report a driver version.'), result.stdout.slice(0, 200));
  }
  return version;
}

/**
 * A small per-driver-version memo (for the accepted field set, or the negotiated one). Pure: no I/O, no clock. The
 * catalogue signature is part of the key so changing the wanted fields in a new release never reuses an old answer.
 * Bounded, oldest entry evicted first, so a fleet of odd hosts cannot grow it without limit.
 */
export class DriverVersionCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly catalogueSignature: string,
    private readonly maxEntries = 32,
  ) {}

  get(driverVersion: string): T | undefined {
    return this.entries.get(this.key(driverVersion));
  }

  set(driverVersion: string, value: T): void {
    const key = this.key(driverVersion);
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private key(driverVersion: string): string {
    return `${driverVersion}\u0000${this.catalogueSignature}`;
  }
}
