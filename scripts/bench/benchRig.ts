// The OpenSSH rig as every benchmark entry sees it (test/rig/sshd.mjs hands these fields over as JSON), and how an
// entry connects to it: the extension's own host-key verifier (known_hosts only, never a prompt) and key file.
import type { SshHost } from '../../src/core/hosts/sshHost';
import { silentLogger, type Logger } from '../../src/core/logger';
import { HostKeyVerifier } from '../../src/remote/hostKeyVerifier';
import { SshConnection } from '../../src/remote/sshConnection';
import type { SshDeps } from '../../src/remote/sshDeps';

export interface BenchRig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly clientKeyPath: string;
  readonly knownHostsPath: string;
}

export function sshDeps(rig: BenchRig, logger: Logger = silentLogger): SshDeps {
  const prompt = { confirmUnknownHost: () => Promise.resolve(false) };
  return { logger, hostKeys: new HostKeyVerifier({ knownHostsFiles: [rig.knownHostsPath], prompt, logger }), agentSocket: '' };
}

/** One host entry for the rig; distinct ids give distinct pooled connections to the same sshd. */
export function rigHost(rig: BenchRig, id = 'bench'): SshHost {
  return { id, label: id, source: 'settings', hostname: rig.host, port: rig.port, user: rig.user, identityFiles: [rig.clientKeyPath], identitiesOnly: true };
}

/** One connection to the rig, outside any pool. */
export function connect(rig: BenchRig): Promise<SshConnection> {
  return SshConnection.connect(rigHost(rig), sshDeps(rig));
}
