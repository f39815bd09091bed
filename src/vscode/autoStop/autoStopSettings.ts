import { bucketMsFor, DEFAULT_IDLE_POLICY, validateIdlePolicy, type IdlePolicy } from '../../core/idle/policy';

/**
 * The auto-stop settings as plain values (read from `remoteGpu.autoStop.*` by the caller), and the pure rules that
 * turn them into a policy per machine. No `vscode` here, so the rules are unit-tested.
 */
export interface AutoStopSettings {
  /** The global opt-in: every instance and SSH host, unless `enabledFor` says otherwise. */
  readonly enabled: boolean;
  /** Per provider ("runpod", "ssh"), per instance ("runpod:abc123") or per SSH host ("ssh:<host id>"); most specific wins. */
  readonly enabledFor: Readonly<Record<string, boolean>>;
  readonly gpuThresholdPercent: number;
  readonly idleMinutes: number;
  readonly personMinutes: number;
  readonly warningMinutes: number;
  /** The warning's "Keep N min" button (30 by default). */
  readonly keepMinutes: number;
  /** 0 = off. */
  readonly maxRuntimeHours: number;
  /** Per provider: whether an automatic stop may terminate where the provider cannot stop (Lambda). */
  readonly terminateAllowed: Readonly<Record<string, boolean>>;
  /** Per SSH host id: the argv that stops that machine (run over SSH). Without one an SSH host is never stopped. */
  readonly sshStopCommands: Readonly<Record<string, readonly string[]>>;
}

const MINUTE = 60_000;

/**
 * Whether auto-stop watches this machine (ledger key "provider:id" or "ssh:hostId"). The name the tree shows works
 * too ("ssh:lab-box", "runpod:trainer"), since nobody knows a host's internal id by heart.
 */
export function autoStopEnabled(s: AutoStopSettings, key: string, label?: string): boolean {
  const provider = key.slice(0, key.indexOf(':'));
  return s.enabledFor[key] ?? (label === undefined ? undefined : s.enabledFor[`${provider}:${label}`]) ?? s.enabledFor[provider] ?? s.enabled;
}

/**
 * The idle policy from the settings. Fractions of a minute are allowed (a demo or a test with a short window); the
 * GPU bucket shrinks with a short window so the rule still sees several buckets. Numbers the rule cannot use fall
 * back to the defaults, with the problems for the log.
 */
export function policyFromSettings(s: AutoStopSettings): { policy: IdlePolicy; problems: string[] } {
  const idleWindowMs = Math.round(s.idleMinutes * MINUTE);
  const policy: IdlePolicy = {
    ...DEFAULT_IDLE_POLICY,
    gpuBusyPercent: s.gpuThresholdPercent,
    bucketMs: bucketMsFor(idleWindowMs),
    idleWindowMs,
    personWindowMs: Math.round(s.personMinutes * MINUTE),
    warnAheadMs: Math.round(s.warningMinutes * MINUTE),
    keepMs: Math.round(s.keepMinutes * MINUTE),
    ...(s.maxRuntimeHours > 0 ? { maxRuntimeMs: Math.round(s.maxRuntimeHours * 60 * MINUTE) } : {}),
  };
  const problems = validateIdlePolicy(policy);
  return problems.length === 0 ? { policy, problems } : { policy: DEFAULT_IDLE_POLICY, problems };
}

/**
 * The policy that enforces only a budget on a machine whose idle auto-stop is off: the idle window never ends, so
 * the budget's warning and stop are the only ones that can come.
 */
export function budgetOnlyPolicy(p: IdlePolicy): IdlePolicy {
  const { maxRuntimeMs: _off, ...rest } = p;
  return { ...rest, idleWindowMs: Number.MAX_SAFE_INTEGER / 4 };
}
