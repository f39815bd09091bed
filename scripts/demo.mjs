// @ts-check
// `npm run demo`: the extension on a built-in demo, no cloud account needed. A real OpenSSH server on loopback with a
// simulated 2-GPU nvidia-smi on its PATH, a throwaway HOME whose ~/.ssh/config names it `rig-gpu`, and the packaged
// .vsix installed into code-server. Prints the URL and runs until Ctrl-C.
//   npm run demo -- --port 8080 --host 0.0.0.0 --gpus 4
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureCodeServer, installVsix, REPO_ROOT, startCodeServer } from '../test/rig/codeServer.mjs';
import { startWorld } from '../test/rig/world.mjs';

/** @param {string} name @param {string} fallback */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** @param {string} cmd @param {string[]} args */
async function run(cmd, args) {
  await new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

const gpus = Number(arg('gpus', '2'));
const port = arg('port', '');
const host = arg('host', '127.0.0.1');

/** @type {Array<() => Promise<unknown>>} */
const cleanups = [];
let stopping = false;
async function shutdown(/** @type {number} */ code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the demo...');
  for (const fn of cleanups.reverse()) await fn().catch((e) => console.error(`cleanup: ${e}`));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  console.log('demo: packaging the extension (npm run package)...');
  await run('npm', ['run', '--silent', 'package']);
  await ensureCodeServer();
  // Realistic speed: the simulator replays its captured trace in real time.
  // Cloud fakes boot in 20 s: long enough to watch an instance go through its states, short enough to wait for.
  const world = await startWorld({ gpus, speedup: 1, cloudBootMs: 20_000 });
  cleanups.push(world.stop);
  const userDataDir = path.join(world.root, 'code-server-data');
  const extensionsDir = path.join(world.root, 'code-server-extensions');
  const workspace = path.join(world.root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  await installVsix(path.join(REPO_ROOT, 'dist', 'remote-gpu.vsix'), { userDataDir, extensionsDir });
  const server = await startCodeServer({
    home: world.home,
    userDataDir,
    extensionsDir,
    workspace,
    settings: world.settings,
    host,
    ...(port ? { port: Number(port) } : {}),
  });
  cleanups.push(server.stop);
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(
    [
      '',
      'Remote GPU demo is running.',
      `  Open:     ${url}`,
      `  Then:     click the Remote GPU icon in the activity bar and expand "rig-gpu" (${gpus} simulated H100 GPUs over SSH).`,
      `  SSH host: ${world.gpuRig.user}@127.0.0.1 port ${world.gpuRig.port} (OpenSSH with a simulated nvidia-smi)`,
      ...(world.cloud
        ? [
            '  Clouds:   fake Lambda Cloud, RunPod, Vast.ai and AWS EC2 APIs on loopback, one running instance each, whose SSH',
            '            lands on the same simulated host. Click "API key missing" under a provider (or run "Remote GPU: Set API',
            '            Key...") and paste its fake key; keys go to VS Code secret storage, never settings:',
            `              Lambda Cloud: ${world.cloud.lambdaKey}`,
            `              RunPod:       ${world.cloud.runpodKey}`,
            `              Vast.ai:      ${world.cloud.vastKey}`,
            `              AWS EC2:      access key ID ${world.cloud.ec2Key.split(':')[0]}, secret ${world.cloud.ec2Key.split(':').slice(1).join(':')}`,
          ]
        : []),
      `  HOME:     ${world.home} (throwaway; your own ~/.ssh is not used)`,
      `  Logs:     ${server.logPath}`,
      host === '127.0.0.1'
        ? `  Remote machine? Forward the port: ssh -L ${server.port}:127.0.0.1:${server.port} <machine>`
        : '  Warning: code-server runs with auth none and listens beyond loopback.',
      '',
      'Press Ctrl-C to stop.',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );
  // Keep the event loop alive until a signal arrives; the servers are detached process groups.
  setInterval(() => undefined, 60_000);
} catch (e) {
  console.error(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  await shutdown(1);
}
