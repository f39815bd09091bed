import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RemoteGpuError } from '../core/errors';
import type { Logger } from '../core/logger';
import { ensureInclude } from '../core/sshConfig/includeLine';
import { pruneManaged, upsertManaged } from '../core/sshConfig/managedConfig';
import type { ManagedEntry } from '../core/sshConfig/managedConfig';
import type { ManagedHostSpec, ManagedPaths } from '../core/sshConfig/managedHost';
import { entryMatchesName, parseKnownHosts } from './knownHosts';
import { loadSshConfigHosts } from './sshConfigHosts';
import { t } from '../shared/l10n';

export interface ManagedSshConfigOptions {
  readonly home: string;
  readonly localUser: string;
  /** The user's config; default ~/.ssh/config. */
  readonly userConfig?: string;
  readonly logger: Logger;
}

export interface ConnectEntryResult {
  readonly alias: string;
  /** Which files this call actually rewrote (empty on a repeat). */
  readonly wrote: readonly string[];
}

/** ~/.ssh/remote-gpu/config: also what the SSH host list leaves out (its hosts are listed under their provider). */
export function managedConfigPath(home: string): string {
  return join(home, '.ssh', 'remote-gpu', 'config');
}

const LOCK_WAIT_MS = 5_000;
const LOCK_STALE_MS = 30_000;

/**
 * The file I/O around src/core/sshConfig: Remote GPU's own ~/.ssh/remote-gpu/config (one Host block per instance),
 * the Include line in the user's ~/.ssh/config, and the managed known_hosts. Every write is temp file + rename in
 * the same directory (a crash leaves the old or the new file, never half of one); files we create are 0600;
 * the user's file keeps its mode, is written through a symlink to its target, and is copied to
 * config.remote-gpu.bak the first time we change it, never again. Writers are serialised in this process and,
 * through a lock file, across VS Code windows.
 */
export class ManagedSshConfig {
  readonly paths: ManagedPaths;
  readonly userConfig: string;
  readonly backup: string;
  private readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ManagedSshConfigOptions) {
    this.dir = dirname(managedConfigPath(opts.home));
    this.paths = { config: sshPath(join(this.dir, 'config')), knownHosts: sshPath(join(this.dir, 'known_hosts')) };
    this.userConfig = opts.userConfig ?? join(opts.home, '.ssh', 'config');
    this.backup = `${this.userConfig}.remote-gpu.bak`;
  }

  /** The managed file's path as the OS spells it (for skipFiles and watchers). */
  get configFile(): string {
    return join(this.dir, 'config');
  }

  /** Writes (or refreshes) the host's block and makes sure ~/.ssh/config includes it. Returns the alias to open. */
  upsert(spec: ManagedHostSpec): Promise<ConnectEntryResult> {
    return this.exclusive(async () => {
      const wrote: string[] = [];
      const userAliases = await this.userAliases();
      const current = await readOptional(this.configFile);
      const next = upsertManaged(current ?? '', spec, userAliases, this.paths);
      if (next.changed || current === undefined) {
        await atomicWrite(this.configFile, next.text, 0o600);
        wrote.push(this.configFile);
      }
      if (await this.ensureIncluded()) wrote.push(this.userConfig);
      this.opts.logger.info(`ssh config: ${spec.id} as Host ${next.alias}${wrote.length ? ` (wrote ${wrote.join(', ')})` : ' (unchanged)'}`);
      return { alias: next.alias, wrote };
    });
  }

  /**
   * Removes the blocks `keep` refuses (instances that no longer exist) and their stored host keys. Never touches
   * ~/.ssh/config. Callers pass a predicate scoped to what they listed: a provider whose listing failed keeps its
   * entries.
   */
  prune(keep: (id: string) => boolean): Promise<readonly ManagedEntry[]> {
    return this.exclusive(async () => {
      const current = await readOptional(this.configFile);
      if (current === undefined) return [];
      const { text, removed } = pruneManaged(current, keep);
      if (removed.length === 0) return removed;
      await atomicWrite(this.configFile, text, 0o600);
      await this.forgetHostKeys(removed.map((e) => e.alias));
      this.opts.logger.info(`ssh config: removed ${removed.map((e) => e.alias).join(', ')}`);
      return removed;
    });
  }

  /** Concrete Host names of the user's own config (our file left out): a new alias must not shadow one of them. */
  private async userAliases(): Promise<Set<string>> {
    const { home, localUser } = this.opts;
    const { hosts } = await loadSshConfigHosts(this.userConfig, { home, localUser, skipFiles: [this.configFile] });
    return new Set(hosts.flatMap((h) => (h.sshConfigAlias ? [h.sshConfigAlias.toLowerCase()] : [])));
  }

  private async ensureIncluded(): Promise<boolean> {
    const target = await realpath(this.userConfig).catch(() => this.userConfig);
    const current = await readOptional(target);
    const tilde = '~/.ssh/remote-gpu/config';
    const { text, changed } = ensureInclude(current, [this.paths.config, tilde, join(this.opts.home, '.ssh', 'remote-gpu', 'config')]);
    if (!changed) return false;
    let mode = 0o600;
    if (current !== undefined) {
      mode = (await stat(target)).mode & 0o777;
      // The first copy is the user's file as it was before Remote GPU ever touched it; later runs must not replace it.
      await copyFile(target, this.backup, constants.COPYFILE_EXCL).then(
        () => chmod(this.backup, 0o600),
        (e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw fileError(t('Could not back up {0} ({1}).', target, codeOf(e)), e);
        },
      );
    }
    await atomicWrite(target, text, mode);
    return true;
  }

  private async forgetHostKeys(aliases: readonly string[]): Promise<void> {
    const file = join(this.dir, 'known_hosts');
    const text = await readOptional(file);
    if (text === undefined) return;
    const drop = new Set(parseKnownHosts(text, file).entries.filter((e) => aliases.some((a) => entryMatchesName(e, a))).map((e) => e.line));
    if (drop.size === 0) return;
    const kept = text.split('\n').filter((_l, i) => !drop.has(i + 1));
    await atomicWrite(file, kept.join('\n'), 0o600);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.withLock(work));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const lock = join(this.dir, '.lock');
    const until = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await writeFile(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(t('Could not lock {0} ({1}).', lock, codeOf(e)), e);
        const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
        // A window that crashed mid-write leaves its lock behind; no write takes anywhere near this long.
        if (age > LOCK_STALE_MS) await rm(lock, { force: true });
        else if (Date.now() > until) throw new RemoteGpuError('unavailable', t('Another VS Code window is updating the SSH config; try again.'), lock);
        else await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      return await work();
    } finally {
      await rm(lock, { force: true });
    }
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(t('Could not read {0} ({1}).', path, codeOf(e)), e);
  }
}

/** Temp file in the same directory (rename is atomic only within one file system), then rename over the target. */
export async function atomicWrite(path: string, text: string, mode: number): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.remote-gpu.tmp`);
  try {
    await writeFile(tmp, text, { mode, flag: 'wx' });
    await chmod(tmp, mode); // writeFile's mode is filtered by the umask
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw fileError(t('Could not write {0} ({1}).', path, codeOf(e)), e);
  }
}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

/** `message` is one whole translated sentence per operation (never an English verb spliced into one). */
function fileError(message: string, e: unknown): RemoteGpuError {
  return new RemoteGpuError('config', message, e instanceof Error ? e.message : String(e), { cause: e });
}

/** ssh_config takes forward slashes on Windows too, and backslashes are escape characters inside its quotes. */
function sshPath(p: string): string {
  return process.platform === 'win32' ? p.replace(/\\/g, '/') : p;
}
