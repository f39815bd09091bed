import { OpenSSHAgent } from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, IdentityCallback, ParsedKey, PublicKeyEntry } from 'ssh2';
import { RemoteGpuError } from '../core/errors';
import type { Logger } from '../core/logger';
import { loadPrivateKey } from './privateKeys';
import type { LoadedKey } from './privateKeys';
import { t } from '../shared/l10n';

/** Which keys to offer for one login, prepared before connecting so a hopeless case fails without a round trip. */
export interface AuthPlan {
  /** Pass as ssh2's `authHandler`: agent first, then each identity file, then give up. */
  readonly authHandler: AuthHandlerMiddleware;
  /** The error for "the server refused every key", naming what was tried (paths only, never key material). */
  failure(target: string, detail?: string): RemoteGpuError;
}

export interface AuthInput {
  readonly user: string;
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
  readonly agentSocket: string | undefined;
  readonly logger: Logger;
}

/**
 * An agent that offers only some of its keys (ssh's IdentitiesOnly: agent keys are used only when they belong to a
 * configured IdentityFile) and remembers how many it offered, for the error message.
 */
class CountingAgent extends OpenSSHAgent {
  offered = 0;
  constructor(socketPath: string, private readonly allowed: readonly Buffer[] | undefined) {
    super(socketPath);
  }
  override getIdentities(cb: IdentityCallback<ParsedKey>): void {
    super.getIdentities((err, keys) => {
      if (err || !keys) return cb(err ?? new Error('no identities'));
      const allowed = this.allowed;
      const kept = allowed ? keys.filter((k) => allowed.some((a) => blobOf(k)?.equals(a) === true)) : keys;
      this.offered = kept.length;
      cb(undefined, kept);
    });
  }
}

/** OpenSSHAgent hands back parsed keys; the typings also allow wrapper entries, which carry no blob we can compare. */
function blobOf(k: ParsedKey | PublicKeyEntry): Buffer | undefined {
  return 'getPublicSSH' in k ? k.getPublicSSH() : undefined;
}

export async function prepareAuth(input: AuthInput, target: string): Promise<AuthPlan> {
  const log = input.logger.child('auth');
  const keys = await Promise.all(input.identityFiles.map(loadPrivateKey));
  for (const k of keys) if (k.kind === 'unreadable') log.debug(`identity ${k.path} skipped: ${k.why}`);
  const usable = keys.filter((k): k is Extract<LoadedKey, { kind: 'usable' }> => k.kind === 'usable');
  const encrypted = keys.filter((k) => k.kind === 'encrypted');
  const allowed = input.identitiesOnly ? keys.flatMap((k) => (k.kind !== 'unreadable' && k.publicBlob ? [k.publicBlob] : [])) : undefined;
  const agent = input.agentSocket && (!allowed || allowed.length > 0) ? new CountingAgent(input.agentSocket, allowed) : undefined;

  // One translated sentence per part; the key count and the number of protected keys pick whole sentences.
  const failure = (target: string, detail?: string): RemoteGpuError => {
    const agentLabel = agent ? [agent.offered === 1 ? t('ssh-agent (1 key)') : t('ssh-agent ({0} keys)', agent.offered)] : [];
    const tried = [...agentLabel, ...usable.map((k) => k.path)];
    const parts = [t('The server refused authentication for {0}.', target), tried.length > 0 ? t('Tried: {0}.', tried.join(', ')) : t('No usable SSH key was found.')];
    if (encrypted.length > 0) {
      const paths = encrypted.map((k) => k.path).join(' ');
      parts.push(encrypted.length === 1 ? t('{0} is passphrase-protected: add it to ssh-agent (ssh-add {0}).', paths) : t('{0} are passphrase-protected: add them to ssh-agent (ssh-add {0}).', paths));
    }
    const missing = keys.filter((k) => k.kind === 'unreadable').map((k) => `${k.path} (${k.kind === 'unreadable' ? k.why : ''})`);
    return new RemoteGpuError('auth', parts.join(' '), [detail, missing.length ? `skipped: ${missing.join(', ')}` : undefined].filter(Boolean).join('; ') || undefined);
  };

  if (!agent && usable.length === 0) throw failure(target, 'nothing to offer: no agent socket and no readable unencrypted identity file');

  const queue: AnyAuthMethod[] = [
    ...(agent ? [{ type: 'agent' as const, username: input.user, agent }] : []),
    ...usable.map((k) => ({ type: 'publickey' as const, username: input.user, key: k.data })),
  ];
  const authHandler: AuthHandlerMiddleware = (_left, _partial, next) => {
    const method = queue.shift();
    log.debug(method ? `offering ${method.type === 'agent' ? 'ssh-agent keys' : 'an identity file'} for ${target}` : `no more keys for ${target}`);
    // ssh2 reads `false` as "stop, authentication failed"; its typings only list the method forms.
    (next as (m: AnyAuthMethod | false) => void)(method ?? false);
  };
  return { authHandler, failure };
}
