// @ts-check
/**
 * A real OpenSSH sshd on loopback for integration tests and demo scripts. Node built-ins only, so plain `node`
 * scripts and vitest can both import it. It never touches the real ~/.ssh: keys, authorized_keys, known_hosts and
 * the config all live in a fresh temp dir.
 *
 * Session PATH: `SetEnv PATH=<binDirs>:<system>` reaches `exec` requests (the user's own rc files may still put
 * their dirs in front, as on any server). An interactive login shell runs /etc/profile, which on Debian resets PATH;
 * so SetEnv also passes PROMPT_COMMAND (bash) and ENV (POSIX sh) pointing at an rc file that puts binDirs back in
 * front. A ForceCommand wrapper would be simpler but changes sshd's behaviour: it refuses "signal" channel requests
 * for forced-command sessions, and cancellation tests need those.
 */
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

export const INSTALL_HINT = 'apt-get install -y --no-install-recommends openssh-server openssh-client';
const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * @typedef {object} SshdOptions
 * @property {string[]} [binDirs] prepended to PATH in every session (exec and interactive shell)
 * @property {Record<string, string>} [env] extra variables for every session
 * @property {string} [dir] working dir to use instead of a fresh temp dir (it is not removed by stop())
 * @property {number} [port] listen on this port instead of a free one
 * @property {string} [sshdPath] default /usr/sbin/sshd (tests of the rig itself point it elsewhere)
 * @property {string} [sshKeygenPath] default /usr/bin/ssh-keygen
 */

/**
 * @typedef {object} SshdRig
 * @property {'127.0.0.1'} host
 * @property {number} port
 * @property {string} user the current user, e.g. root
 * @property {string} dir
 * @property {string} hostKeyPath
 * @property {string} hostPublicKey "ssh-ed25519 AAAA..."
 * @property {string} clientKeyPath private key whose public half is in authorized_keys (no passphrase)
 * @property {string} knownHostsPath a known_hosts file with the correct `[127.0.0.1]:port` line
 * @property {string} authorizedKeysPath sshd's AuthorizedKeysFile; append a public key to authorize it
 * @property {string} logPath sshd's own log (-e)
 * @property {() => Promise<void>} stop kills sshd and every session it started; removes a temp dir it created
 * @property {() => Promise<number>} killConnections kills the per-connection sshd processes (a dropped
 *   connection for the client) and keeps listening; resolves with how many were killed
 * @property {() => Promise<number[]>} connectionPids the per-connection sshd processes (e.g. to SIGSTOP one and
 *   see the client's keepalive notice)
 * @property {() => Promise<void>} halt stops sshd and every session but keeps the dir, keys and port for restart()
 * @property {() => Promise<void>} restart (re)starts sshd on the same port with the same keys, halted or not
 * @property {() => number | undefined} pid the listening sshd's pid while it runs
 */

/**
 * Starts sshd on 127.0.0.1 and resolves once it accepts connections.
 * @param {SshdOptions} [opts]
 * @returns {Promise<SshdRig>}
 */
export async function startSshd(opts = {}) {
  const bins = { sshd: opts.sshdPath ?? SSHD, keygen: opts.sshKeygenPath ?? SSH_KEYGEN };
  await requireBinaries(bins);
  validateSessionOptions(opts);
  await ensurePrivsepDir();
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'remote-gpu-sshd-')));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const user = userInfo().username;
  const keys = await makeKeys(dir, bins.keygen);
  const rcPath = await writeSessionRc(dir, opts.binDirs ?? []);
  const logPath = join(dir, 'sshd.log');

  /** @type {{ child: import('node:child_process').ChildProcess | undefined, port: number }} */
  const state = { child: undefined, port: opts.port ?? 0 };
  const removeExitHook = installExitHook(() => state.child?.pid);

  const launch = async () => {
    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? state.port ?? 0;
      const chosen = port || (await freePort());
      // Sessions get a HOME of their own unless the caller picks one: the machine's ~/.bashrc (pyenv init and its
      // shim lock, say) must not run in every test session, nor can a killed session leave a lock that stalls the next.
      const sessionHome = join(dir, 'session-home');
      await mkdir(sessionHome, { recursive: true });
      const env = { HOME: sessionHome, ...(opts.env ?? {}) };
      const configPath = await writeConfig(dir, { ...keys, port: chosen, rcPath, binDirs: opts.binDirs ?? [], env });
      try {
        state.child = await spawnSshd(bins.sshd, configPath, logPath, chosen);
        state.port = chosen;
        return;
      } catch (e) {
        // A free port can be taken between probing and binding; only then is another port worth a try.
        if (port || attempt >= 3) throw e;
      }
    }
  };
  try {
    await launch();
  } catch (e) {
    removeExitHook();
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const knownHostsPath = join(dir, 'known_hosts');
  await writeFile(knownHostsPath, `[127.0.0.1]:${state.port} ${keys.hostPublicKey}\n`, { mode: 0o600 });

  const connectionPids = async () => {
    const pid = state.child?.pid;
    return pid === undefined ? [] : (await processTable()).filter((p) => p.ppid === pid).map((p) => p.pid);
  };
  const halt = async () => {
    const child = state.child;
    state.child = undefined;
    if (child?.pid !== undefined) await killTree(child.pid, child);
  };

  return {
    host: '127.0.0.1',
    get port() {
      return state.port;
    },
    user,
    dir,
    hostKeyPath: keys.hostKeyPath,
    hostPublicKey: keys.hostPublicKey,
    clientKeyPath: keys.clientKeyPath,
    knownHostsPath,
    authorizedKeysPath: keys.authorizedKeysPath,
    logPath,
    pid: () => state.child?.pid,
    async stop() {
      await halt();
      removeExitHook();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
    connectionPids,
    async killConnections() {
      const children = await connectionPids();
      for (const c of children) await killTree(c);
      return children.length;
    },
    halt,
    async restart() {
      await halt();
      await launch();
    },
  };
}

/**
 * Values end up inside double quotes in sshd_config and in single quotes in the rc file; refuse what would break out.
 * @param {SshdOptions} opts
 */
function validateSessionOptions(opts) {
  for (const d of opts.binDirs ?? []) assertSafeValue('binDirs entry', d);
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || k === 'PATH') throw new Error(`startSshd: bad env name ${JSON.stringify(k)}`);
    assertSafeValue(`env ${k}`, v);
  }
}

/** @param {{ sshd: string, keygen: string }} bins */
async function requireBinaries(bins) {
  for (const bin of [bins.sshd, bins.keygen]) {
    if (!existsSync(bin)) {
      throw new Error(`${bin} is missing; the SSH test rig needs OpenSSH. Install it with: ${INSTALL_HINT}`);
    }
  }
}

/** sshd refuses to start without its privilege-separation dir, and /run is fresh on every boot. */
async function ensurePrivsepDir() {
  try {
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    await chmod('/run/sshd', 0o755);
  } catch (e) {
    throw new Error(`Cannot create /run/sshd (needed by sshd; run as root or create it once): ${String(e)}`);
  }
}

/**
 * @param {string} dir
 * @param {string} keygen
 * @returns {Promise<{ hostKeyPath: string, hostPublicKey: string, clientKeyPath: string, authorizedKeysPath: string }>}
 */
async function makeKeys(dir, keygen) {
  const hostKeyPath = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  for (const path of [hostKeyPath, clientKeyPath]) {
    if (!existsSync(path)) await run(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', 'remote-gpu-rig', '-f', path]);
  }
  const hostPublicKey = publicKeyOnly(await readFile(`${hostKeyPath}.pub`, 'utf8'));
  const authorizedKeysPath = join(dir, 'authorized_keys');
  await writeFile(authorizedKeysPath, await readFile(`${clientKeyPath}.pub`, 'utf8'), { mode: 0o600 });
  return { hostKeyPath, hostPublicKey, clientKeyPath, authorizedKeysPath };
}

/** @param {string} line "type base64 comment" → "type base64" */
function publicKeyOnly(line) {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

/**
 * The rc file that puts binDirs back in front of PATH in interactive shells, after /etc/profile has reset it. bash
 * runs it through PROMPT_COMMAND (before the first prompt, so before anything typed runs), POSIX sh through ENV.
 * @param {string} dir
 * @param {string[]} binDirs
 */
async function writeSessionRc(dir, binDirs) {
  const prefix = binDirs.map((d) => `${d}:`).join('');
  const rcPath = join(dir, 'session.rc');
  assertSafeValue('dir', rcPath);
  await writeFile(rcPath, prefix ? `case "$PATH" in ${shq(prefix)}*) ;; *) PATH=${shq(prefix)}"$PATH"; export PATH;; esac\n` : '');
  return rcPath;
}

/**
 * @param {string} dir
 * @param {{ hostKeyPath: string, authorizedKeysPath: string, port: number, rcPath: string, binDirs: string[], env: Record<string, string> }} o
 */
async function writeConfig(dir, o) {
  // Node's own dir goes last so simulator scripts with `#!/usr/bin/env node` run even where node is not in /usr/bin.
  const path = [...o.binDirs, SYSTEM_PATH, dirname(process.execPath)].join(':');
  const setEnv = [`PATH=${path}`];
  if (o.binDirs.length > 0) setEnv.push(`PROMPT_COMMAND=. ${o.rcPath}`, `ENV=${o.rcPath}`);
  for (const [k, v] of Object.entries(o.env)) setEnv.push(`${k}=${v}`);
  const lines = [
    'ListenAddress 127.0.0.1',
    `Port ${o.port}`,
    `HostKey ${o.hostKeyPath}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${o.authorizedKeysPath}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // Keys live under /tmp, whose modes StrictModes rejects ("bad ownership or modes for directory /tmp").
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding yes',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    `SetEnv ${setEnv.map((kv) => `"${kv}"`).join(' ')}`,
    '',
  ];
  const configPath = join(dir, 'sshd_config');
  await writeFile(configPath, lines.join('\n'), { mode: 0o600 });
  return configPath;
}

/** @param {string} what @param {string} v */
function assertSafeValue(what, v) {
  // The value goes into sshd_config inside double quotes; these characters would break out of them.
  if (/["\n\r\0\\]/.test(v)) throw new Error(`startSshd: ${what} must not contain quotes, backslashes or newlines`);
}

/** @param {string} s single-quotes for /bin/sh */
function shq(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * @param {string} sshd
 * @param {string} configPath
 * @param {string} logPath
 * @param {number} port
 */
async function spawnSshd(sshd, configPath, logPath, port) {
  await run(sshd, ['-t', '-f', configPath]);
  const logFd = openSync(logPath, 'a');
  // Own process group, so stop() can take the listener down with one signal.
  const child = spawn(sshd, ['-D', '-e', '-f', configPath], { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  /** @type {{ code: number | null } | undefined} */
  let exited;
  child.once('exit', (code) => (exited = { code }));
  const deadline = Date.now() + 10_000;
  const needle = `Server listening on 127.0.0.1 port ${port}`;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`sshd exited (${exited.code}) before listening on ${port}:\n${await tail(logPath)}`);
    const log = await readFile(logPath, 'utf8').catch(() => '');
    if (log.includes(needle) && (await accepts(port))) return child;
    await sleep(25);
  }
  await killTree(child.pid ?? -1, child);
  throw new Error(`sshd did not start listening on ${port} within 10 s:\n${await tail(logPath)}`);
}

/** @param {string} path */
async function tail(path) {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').slice(-20).join('\n');
}

/** @param {number} port */
function accepts(port) {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** @returns {Promise<number>} */
async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** @returns {Promise<{ pid: number, ppid: number }[]>} Linux /proc process table. */
async function processTable() {
  const out = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // The command name is in parentheses and may contain spaces; fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest.length > 2) out.push({ pid: Number(name), ppid: Number(rest[1]) });
  }
  return out;
}

/**
 * Kills pid and all its descendants. Per-connection sshd processes start their own sessions (setsid), so a
 * process-group kill of the listener alone would leave established connections running.
 * @param {number} pid
 * @param {import('node:child_process').ChildProcess} [child] when given, waits for its exit
 */
async function killTree(pid, child) {
  const table = await processTable();
  const victims = [pid];
  for (let i = 0; i < victims.length; i++) {
    for (const p of table) if (p.ppid === victims[i]) victims.push(p.pid);
  }
  const exited = child && child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined;
  if (child) signal(-pid, 'SIGKILL');
  for (const v of victims.reverse()) signal(v, 'SIGKILL');
  if (exited) await exited;
  // Without a ChildProcess to wait on, poll until the processes are gone so the caller sees the effect.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && victims.some((v) => existsSync(`/proc/${v}`) && !isZombie(v))) await sleep(10);
}

/** @param {number} pid */
function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** @param {number} pid @param {NodeJS.Signals} sig */
function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone: that is the goal.
  }
}

/**
 * A crashed test run must not leave sshd listening; a synchronous kill is all an 'exit' handler may do.
 * @param {() => number | undefined} pid
 */
function installExitHook(pid) {
  const hook = () => {
    const p = pid();
    if (p !== undefined) signal(-p, 'SIGKILL');
  };
  process.on('exit', hook);
  return () => process.off('exit', hook);
}

/** @param {string} file @param {string[]} args */
function run(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, (err, stdout, stderr) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
  });
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
