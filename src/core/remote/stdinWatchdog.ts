/**
 * The script that runs a remote command and ends it when the SSH channel closes. OpenSSH's sshd does not end a
 * command when the client closes its channel: the command lives on until its next write fails (SIGPIPE), which for a
 * silent one (`sleep`, `--query-compute-apps` on a host with no GPU process) is never, and its session keeps counting
 * against sshd's MaxSessions (10) meanwhile. OpenSSH refuses the "signal" request for root logins, so the channel's
 * own stdin is the one signal we can rely on: sshd closes it when the channel or the connection goes away.
 * Used by the telemetry streams and by every exec that can be cancelled or time out (src/remote/execChannel.ts).
 *
 * Line by line: keep the real stdin as fd 3 (a background job's stdin would be /dev/null); start the command; a
 * watcher waits for EOF on fd 3 and then TERMs the command; wait for the command and pass its exit status on
 * (127 when it is not installed, 2 for a refused field). The watcher writes nowhere, so it never holds the
 * channel's stdout or stderr open after the command is gone.
 *
 * What it changes for the command: its stdin is /dev/null (nothing we run reads it; unwrapped it would be a pipe
 * nobody writes); one killed by a signal reports the shell's 128+n exit code instead of the signal; only the command
 * itself gets the TERM, so a `sh -c` script's own children end at their next write or on their own.
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
