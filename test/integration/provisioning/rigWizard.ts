import { silentLogger } from '../../../src/core/logger';
import type { CloudProvider } from '../../../src/core/providers/provider';
import type { ProvisionOutcome } from '../../../src/core/provisioning/launch';
import type { ProvisionUi } from '../../../src/core/provisioning/provisionUi';
import { runProvisionWizard } from '../../../src/core/provisioning/provisionWizard';
import type { ConnectionPool } from '../../../src/remote/connectionPool';
import { nodeSleep, systemClock } from '../../../src/remote/http/nodeTimers';
import { listLocalPublicKeys } from '../../../src/remote/localPublicKeys';
import { poolSshProbe } from '../../../src/remote/sshReadyProbe';

/**
 * The Provision wizard as the extension wires it, minus VS Code: the rig's keys as the local keys, readiness by a
 * real SSH handshake through `pool`, the real clock, short polls. Returns the outcome and how long it took.
 */
export async function runWizardOnRig(ui: ProvisionUi, provider: CloudProvider, pool: ConnectionPool, keyDir: string): Promise<{ outcome: ProvisionOutcome; ms: number }> {
  const started = Date.now();
  const outcome = await runProvisionWizard({
    ui,
    providers: async () => [provider],
    localKeys: () => listLocalPublicKeys(keyDir),
    sshProbe: poolSshProbe(pool),
    clock: systemClock,
    sleep: nodeSleep,
    logger: silentLogger,
    timing: { pollIntervalMs: 100, sshIntervalMs: 200, sshTimeoutMs: 15_000, instanceTimeoutMs: 30_000 },
  });
  return { outcome, ms: Date.now() - started };
}
