import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRemoteGpuError } from '../../src/core/errors';
import type { SshHost } from '../../src/core/hosts/sshHost';
import type { Logger } from '../../src/core/logger';
import { HostKeyVerifier } from '../../src/remote/hostKeyVerifier';
import type { HostKeyPrompt, UnknownHostInfo } from '../../src/remote/hostKeyVerifier';
import type { SshDeps } from '../../src/remote/sshDeps';
import type { SshdRig } from '../rig/sshd.mjs';

/** A logger that keeps every line, so tests can assert what was (and was not) logged. */
export function recordingLogger(lines: string[] = [], component = 'test'): Logger & { lines: string[] } {
  const at = (level: string) => (message: string, error?: unknown) => {
    lines.push(`${level} [${component}] ${message}${error === undefined ? '' : ` ${String(error)}`}`);
  };
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (c: string) => recordingLogger(lines, c),
  };
}

/** A prompt that answers as told and records every question. */
export function scriptedPrompt(answer: boolean): HostKeyPrompt & { asked: UnknownHostInfo[] } {
  const asked: UnknownHostInfo[] = [];
  return {
    asked,
    confirmUnknownHost: (info) => {
      asked.push(info);
      return Promise.resolve(answer);
    },
  };
}

export interface DepsOptions {
  readonly knownHostsFiles: string[];
  readonly prompt?: HostKeyPrompt;
  readonly agentSocket?: string;
  readonly readyTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
}

/** Deps with no agent unless one is given: the developer's own SSH_AUTH_SOCK must never leak into a test. */
export function makeDeps(o: DepsOptions): SshDeps & { prompt: HostKeyPrompt & { asked: UnknownHostInfo[] }; logger: Logger & { lines: string[] } } {
  const logger = recordingLogger();
  const prompt = (o.prompt as HostKeyPrompt & { asked: UnknownHostInfo[] } | undefined) ?? scriptedPrompt(false);
  return {
    logger,
    prompt,
    hostKeys: new HostKeyVerifier({ knownHostsFiles: o.knownHostsFiles, prompt, logger }),
    agentSocket: o.agentSocket ?? '',
    readyTimeoutMs: o.readyTimeoutMs ?? 10_000,
    keepaliveIntervalMs: o.keepaliveIntervalMs ?? 5_000,
  };
}

export function rigHost(rig: SshdRig, over: Partial<SshHost> = {}): SshHost {
  return {
    id: `rig-${rig.port}`,
    label: 'rig',
    source: 'settings',
    hostname: rig.host,
    port: rig.port,
    user: rig.user,
    identityFiles: [rig.clientKeyPath],
    identitiesOnly: false,
    ...over,
  };
}

/** A scratch dir removed by the returned cleanup. */
export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'remote-gpu-it-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A bin dir with one executable shell script. */
export async function fakeBin(dir: string, name: string, script: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return dir;
}

/** The reason of the RemoteGpuError `p` rejects with; fails when it resolves or rejects with anything else. */
export async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isRemoteGpuError(e)) return e.reason;
    throw e;
  }
  throw new Error('expected a rejection');
}
