/**
 * The script that runs a stream command and ends it when the SSH channel closes. Without it a stopped stream's
 * nvidia-smi lives on until its next write fails (SIGPIPE): one interval for the GPU stream, but forever for
 * `--query-compute-apps` on a host with no GPU process, which prints nothing at all. OpenSSH refuses the "signal"
 * request for root logins, so the channel's own stdin is the one signal we can rely on: sshd closes it when the
 * channel or the connection goes away.
 *
 * Line by line: keep the real stdin as fd 3 (a background job's stdin would be /dev/null); start the command; a
 * watcher waits for EOF on fd 3 and then TERMs the command; wait for the command and pass its exit status on
 * (127 when it is not installed, 2 for a refused field). The watcher writes nowhere, so it never holds the
 * channel's stdout or stderr open after the command is gone.
 */
const WATCHDOG_SCRIPT = [
  'exec 3<&0',
  '"$@" &',
  'p=$!',
  '( cat <&3 >/dev/null 2>&1; kill "$p" 2>/dev/null ) >/dev/null 2>&1 &',
  'w=$!',
  'exec 3<&-',
  'wait "$p"',
  's=$?',
  'kill "$w" 2>/dev/null',
  'exit "$s"',
].join('\n');

/** `argv` wrapped so it stops when the channel's stdin closes; the exit status is the command's own. */
export function withStdinWatchdog(argv: readonly string[]): string[] {
  if (argv.length === 0) throw new TypeError('withStdinWatchdog needs a command');
  return ['sh', '-c', WATCHDOG_SCRIPT, 'sh', ...argv];
}
