// @ts-check
import { readFileSync } from 'node:fs';

/**
 * Where `idle` holds every GPU: the middle of the trace's 59-79 s phase, in which the job's process still holds
 * 3.7 GB on the GPU at 0 % utilisation (fixture README). So an idle GPU here also shows that memory held is not work.
 */
export const IDLE_HOLD_MS = 69_000;

/** What the control file may say; an absent or empty file means `trace`. */
export const CONTROL_MODES = ['trace', 'idle'];

/**
 * The runtime switch behind NVIDIA_SMI_SIM_CONTROL. sshd hands a session a fixed environment, so a test cannot change
 * an env var of a host that is already up; it rewrites this file instead, and every invocation (and every tick of a
 * running `-lms` stream) reads it again, so one host's GPUs go quiet without restarting sshd or the streams.
 * Reading a few bytes per tick is cheap next to formatting the row.
 *
 * @param {string | undefined} file
 * @param {(message: string) => void} warn told once per unreadable content (a test's typo must not pass unnoticed)
 * @returns {() => number | undefined} the replay position to hold every GPU at, or undefined to follow the trace
 */
export function controlledHold(file, warn) {
  if (!file) return () => undefined;
  let warned = '';
  return () => {
    const mode = readMode(file);
    if (mode === 'idle') return IDLE_HOLD_MS;
    if (mode !== 'trace' && mode !== warned) {
      warned = mode;
      warn(`nvidia-smi simulator: ${file} says ${JSON.stringify(mode)}; expected one of ${CONTROL_MODES.join(', ')} (following the trace)\n`);
    }
    return undefined;
  };
}

/**
 * @param {string} file
 * @returns {string}
 */
function readMode(file) {
  try {
    return readFileSync(file, 'utf8').trim() || 'trace';
  } catch (e) {
    // Not written yet: the trace, as without a control file.
    if (/** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT') return 'trace';
    throw e;
  }
}
