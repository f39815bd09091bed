import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LambdaProvider } from '../../../src/providers/lambda/provider';
import { ConnectionPool } from '../../../src/remote/connectionPool';
import { listLocalPublicKeys } from '../../../src/remote/localPublicKeys';
import { tcpConnect } from '../../../src/remote/sshReadyProbe';
import { startLambdaFake } from '../../fakes/lambdaFake.mjs';
import { startSshd, type SshdRig } from '../../rig/sshd.mjs';
import { makeDeps, scriptedPrompt } from '../sshTestKit';
import { depsFor } from '../providers/harness';
import { runWizardOnRig } from './rigWizard';
import { choose, press, ScriptedUi, type } from '../../unit/provisioning/wizardKit';

type Fake = Awaited<ReturnType<typeof startLambdaFake>>;

/** The wizard end to end below the UI: the real Lambda client on the fake API, and readiness by a real SSH handshake. */
describe('provisioning on the fake Lambda, until OpenSSH answers', () => {
  let rig: SshdRig;
  let fake: Fake;
  let pool: ConnectionPool | undefined;
  let scratch: string;

  beforeAll(async () => {
    rig = await startSshd();
    scratch = await mkdtemp(join(tmpdir(), 'rgpu-prov-'));
  });
  afterAll(async () => {
    await rig?.stop();
    await rm(scratch, { recursive: true, force: true });
  });
  afterEach(async () => {
    pool?.dispose();
    await fake?.stop();
  });

  const script = (name: string) => [
    ['filters', choose(/^GPU model/)],
    ['filter.gpuModel', choose(/^A10$/)],
    ['filters', choose(/^Show/)],
    ['offer', choose(/A10/)],
    ['image', choose(/default/)],
    ['sshKey', choose(/client_ed25519\.pub/)],
    ['name', type(name)],
    ['confirm', press('confirm')],
  ] as Array<[string, (s: never) => unknown]>;

  async function wizard(ui: ScriptedUi, knownHostsFiles: string[], answer = false) {
    fake = await startLambdaFake({ sshEndpoint: { host: rig.host, port: rig.port }, timings: { bootMs: 300, terminateMs: 100 } });
    const provider = new LambdaProvider(depsFor(fake.apiKey), { baseUrl: fake.baseUrl, ssh: { port: fake.sshPort, user: rig.user } });
    const prompt = scriptedPrompt(answer);
    pool = new ConnectionPool(makeDeps({ knownHostsFiles, prompt }));
    return { ...(await runWizardOnRig(ui, provider, pool, rig.dir)), prompt };
  }

  it('uploads the local key, launches once, follows booting → active and returns when the SSH handshake succeeds', async () => {
    const ui = new ScriptedUi([...script('fake-a10'), ['inform', press('Connect')]]);
    const { outcome, prompt, ms } = await wizard(ui, [rig.knownHostsPath]);
    expect(ui.remaining).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'ready', action: 'connect', instance: { state: 'running', ssh: { host: rig.host, port: rig.port } } });
    expect(prompt.asked).toEqual([]);
    const launched = [...fake.state.instances.values()];
    expect(launched.map((i) => [i.name, i.phase])).toEqual([['fake-a10', 'active']]);
    const uploaded = fake.state.sshKeys.find((k) => launched[0]?.sshKeyNames.includes(k.name));
    expect(uploaded?.public_key.split(' ').slice(0, 2)).toEqual((await listLocalPublicKeys(rig.dir)).find((k) => k.privateKeyPath === rig.clientKeyPath)?.publicKey.split(' ').slice(0, 2));
    expect(fake.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/launch'))).toHaveLength(1);
    expect(ui.progressLog).toContain('  waiting for SSH on ' + `${rig.user}@${rig.host}:${rig.port}`);
    console.log(`provisioned on the fake Lambda and SSH answered in ${ms} ms (boot 300 ms)`);
  });

  it('an unknown host key is asked about; refused, it is not waited out, and Terminate ends the instance', async () => {
    const empty = join(scratch, 'known_hosts');
    await writeFile(empty, '');
    const ui = new ScriptedUi([...script('fake-unknown-key'), ['warn', press('Terminate')]]);
    const { outcome, prompt } = await wizard(ui, [empty], false);
    expect(prompt.asked.map((a) => a.port)).toEqual([rig.port]);
    expect(outcome).toMatchObject({ kind: 'notReady', terminated: true, error: { reason: 'hostKeyRejected' } });
    expect(ui.seen.at(-1)?.message).toMatch(/fake-unknown-key exists on Lambda Cloud and bills \$0\.\d\d\/h until you terminate it\./);
    expect([...fake.state.instances.values()].map((i) => i.phase)).not.toContain('active');
  });

  it('the TCP check reports a closed port as unreachable, quickly', async () => {
    const started = Date.now();
    await expect(tcpConnect('127.0.0.1', 1, 2_000, new AbortController().signal)).rejects.toMatchObject({ reason: 'unreachable' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lists only public keys that have their private key beside them', async () => {
    const dir = join(scratch, 'ssh');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    await writeFile(join(dir, 'id_rsa.pub'), 'ssh-rsa AAAAB3Nza me@x\n');
    await writeFile(join(dir, 'id_rsa'), 'private');
    await writeFile(join(dir, 'id_ed25519.pub'), 'ssh-ed25519 AAAAC3Nz me@y\n');
    await writeFile(join(dir, 'id_ed25519'), 'private');
    await writeFile(join(dir, 'orphan.pub'), 'ssh-ed25519 AAAAC3Nz orphan\n');
    await writeFile(join(dir, 'junk.pub'), 'not a key');
    await writeFile(join(dir, 'junk'), 'x');
    const keys = await listLocalPublicKeys(dir);
    expect(keys.map((k) => k.publicKeyPath.slice(dir.length + 1))).toEqual(['id_ed25519.pub', 'id_rsa.pub']);
    expect(await listLocalPublicKeys(join(dir, 'missing'))).toEqual([]);
  });
});
