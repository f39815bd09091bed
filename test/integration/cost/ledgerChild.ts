// A VS Code window's cost ledger in a process of its own, for ledgerTwoProcesses.test.ts. Bundled with esbuild and
// forked; ticks the real file store and lease until told to stop (or killed), reporting its role to the parent.
import { CostLedger } from '../../../src/core/cost/costLedger';
import { silentLogger } from '../../../src/core/logger';
import { FileLease } from '../../../src/remote/cost/fileLease';
import { FileLedgerStore } from '../../../src/remote/cost/fileLedgerStore';

const [dir = '.', tickMs = '10', createdAt = '0', ttlMs = '400'] = process.argv.slice(2);
const store = new FileLedgerStore(`${dir}/cost-ledger.jsonl`);
const lease = new FileLease({ path: `${dir}/cost-ledger.lease`, ttlMs: Number(ttlMs) });
const ledger = new CostLedger(store, lease, silentLogger);
const observed = [{ key: 'runpod:p1', provider: 'runpod', name: 'p1', rate: { microsPerHour: 3_600_000, basis: 'running' as const }, createdAt: Number(createdAt) }];
let stopping = false;
let role = '';

process.on('message', (m) => {
  if (m === 'stop') stopping = true;
});

async function main(): Promise<void> {
  while (!stopping) {
    const now = await ledger.tick({ observed, listedProviders: new Set(['runpod']), now: Date.now() });
    if (now !== role) {
      role = now;
      process.send?.({ role, leaseId: lease.id });
    }
    await new Promise((r) => setTimeout(r, Number(tickMs)));
  }
  await ledger.dispose();
  process.send?.({ done: true, leaseId: lease.id }, () => process.exit(0));
}

void main();
