import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RemoteGpuError } from '../core/errors';
import { knownHostsName } from '../core/hosts/sshHost';
import type { Logger } from '../core/logger';
import { fingerprintSha256, keyTypeOfBlob } from './keyBlob';
import { checkHostKey, formatKnownHostLine, parseKnownHosts } from './knownHosts';
import type { KnownHostEntry } from './knownHosts';
import { t } from '../shared/l10n';

/** What the user is shown before trusting a host for the first time (the same facts `ssh` prints). */
export interface UnknownHostInfo {
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  /** "SHA256:base64-no-padding", exactly like `ssh-keygen -lf`. */
  readonly fingerprintSha256: string;
}

/** The UI port for trust-on-first-use. Resolving false refuses the connection. */
export interface HostKeyPrompt {
  confirmUnknownHost(info: UnknownHostInfo): Promise<boolean>;
}

export interface HostKeyVerifierOptions {
  /** Read in order; the first is where newly trusted keys are appended (e.g. ~/.ssh/known_hosts). */
  readonly knownHostsFiles: readonly string[];
  readonly prompt: HostKeyPrompt;
  readonly logger: Logger;
}

/** Hooks a connect attempt passes in, so its own timeout can pause while a person reads a prompt. */
export interface VerifyHooks {
  readonly onPromptOpen?: (open: boolean) => void;
}

/** Accept, or refuse with the typed error the connect attempt should reject with. */
export type VerifyOutcome = { readonly ok: true } | { readonly ok: false; readonly error: RemoteGpuError };

/**
 * Checks every server host key against known_hosts: known and equal → accept; known with a different key of the same
 * type → refuse (hostKeyChanged); revoked → refuse; otherwise ask the prompt and remember a yes. Nothing is accepted
 * without either a known_hosts line or an explicit yes.
 */
export class HostKeyVerifier {
  private readonly log: Logger;
  /**
   * Checks for one known_hosts name run one after another, so two parallel connects to a new host ask once: the
   * second reads the file after the first has written the user's answer.
   */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: HostKeyVerifierOptions) {
    if (opts.knownHostsFiles.length === 0) throw new TypeError('HostKeyVerifier needs at least one known_hosts file.');
    this.log = opts.logger.child('hostKeys');
  }

  verify(hostname: string, port: number, key: Buffer, hooks: VerifyHooks = {}): Promise<VerifyOutcome> {
    const name = knownHostsName(hostname, port);
    const previous = this.queues.get(name);
    // Waiting behind another connect's prompt is waiting for a person too: the caller's timer pauses.
    if (previous) hooks.onPromptOpen?.(true);
    const next = (previous ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        if (previous) hooks.onPromptOpen?.(false);
        return this.verifyNow(name, hostname, port, key, hooks);
      });
    this.queues.set(name, next);
    void next.finally(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    }).catch(() => undefined);
    return next;
  }

  private async verifyNow(name: string, hostname: string, port: number, key: Buffer, hooks: VerifyHooks): Promise<VerifyOutcome> {
    const fingerprint = fingerprintSha256(key);
    const keyType = keyTypeOfBlob(key) ?? 'unknown';
    const status = checkHostKey(await this.loadEntries(), name, key);
    switch (status.kind) {
      case 'trusted':
        this.log.debug(`${name}: ${keyType} ${fingerprint} matches ${status.entry.source}:${status.entry.line}`);
        return { ok: true };
      case 'revoked':
        this.log.error(`${name}: presented revoked key ${fingerprint} (${status.entry.source}:${status.entry.line})`);
        return { ok: false, error: revokedError(name, fingerprint, status.entry) };
      case 'changed':
        this.log.error(`${name}: HOST KEY CHANGED, now ${keyType} ${fingerprint}; refusing`);
        return { ok: false, error: changedError(name, keyType, fingerprint, status.entries) };
      case 'otherTypes':
        this.log.warn(`${name}: known only with ${status.knownTypes.join(', ')}; the server offered ${keyType}, asking the user`);
        break;
      case 'unknown':
        this.log.info(`${name}: unknown host, ${keyType} ${fingerprint}; asking the user`);
        break;
    }
    return this.askAndRemember(name, key, { host: hostname, port, keyType, fingerprintSha256: fingerprint }, hooks);
  }

  private async askAndRemember(name: string, key: Buffer, info: UnknownHostInfo, hooks: VerifyHooks): Promise<VerifyOutcome> {
    hooks.onPromptOpen?.(true);
    let yes: boolean;
    try {
      yes = await this.opts.prompt.confirmUnknownHost(info);
    } finally {
      hooks.onPromptOpen?.(false);
    }
    if (!yes) {
      this.log.info(`${name}: the user declined ${info.fingerprintSha256}`);
      return {
        ok: false,
        error: new RemoteGpuError('hostKeyRejected', t('You did not trust the host key of {0}; not connected.', name), `${info.keyType} ${info.fingerprintSha256}`),
      };
    }
    // A yes for a connect that was cancelled meanwhile still reflects the user's decision about this key.
    await this.remember(name, key);
    return { ok: true };
  }

  private async remember(name: string, key: Buffer): Promise<void> {
    const file = this.opts.knownHostsFiles[0] as string;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    let prefix = '';
    const existing = await stat(file).catch(() => undefined);
    if (existing && existing.size > 0) {
      const text = await readFile(file, 'utf8');
      if (!text.endsWith('\n')) prefix = '\n';
    }
    await appendFile(file, `${prefix}${formatKnownHostLine(name, key)}\n`, { mode: 0o600 });
    this.log.info(`${name}: added ${keyTypeOfBlob(key) ?? ''} key to ${file}`);
  }

  /** Re-read on every connect: the user may have run ssh-keygen -R or ssh meanwhile. Missing files are fine. */
  private async loadEntries(): Promise<KnownHostEntry[]> {
    const all: KnownHostEntry[] = [];
    for (const file of this.opts.knownHostsFiles) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`cannot read ${file}: ${String(e)}`);
        continue;
      }
      const { entries, problems } = parseKnownHosts(text, file);
      for (const p of problems) this.log.warn(`skipped malformed known_hosts line ${p}`);
      all.push(...entries);
    }
    return all;
  }
}

function changedError(name: string, keyType: string, fingerprint: string, known: readonly KnownHostEntry[]): RemoteGpuError {
  const where = known.map((e) => `${e.source}:${e.line}`).join(', ');
  return new RemoteGpuError(
    'hostKeyChanged',
    t("The host key of {0} has CHANGED (now {1} {2}). Someone could be intercepting the connection, or the server was reinstalled. If you are sure the new key is right, run: ssh-keygen -R '{0}'", name, keyType, fingerprint),
    `known key at ${where}`,
  );
}

function revokedError(name: string, fingerprint: string, entry: KnownHostEntry): RemoteGpuError {
  return new RemoteGpuError(
    'hostKeyChanged',
    t('The host key of {0} ({1}) is marked @revoked in {2}; refusing to connect.', name, fingerprint, entry.source),
    `${entry.source}:${entry.line}`,
  );
}
