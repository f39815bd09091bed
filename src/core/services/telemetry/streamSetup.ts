import { RemoteGpuError } from '../../errors';
import type { Logger } from '../../logger';
import type { ExecResult } from '../../remote/remoteCommand';
import { runRemote } from '../../remote/remoteCommand';
import type { DriverVersionCache } from '../../telemetry/driverVersion';
import { driverVersionCommand, parseDriverVersion, parseDriverVersionResult } from '../../telemetry/driverVersion';
import { catalogueSignature, GPU_STREAM_FIELDS } from '../../telemetry/fields';
import type { NegotiatedFields } from '../../telemetry/helpQueryGpu';
import { helpQueryGpuCommand, negotiateFields } from '../../telemetry/helpQueryGpu';
import { utcOffsetCommand } from '../../telemetry/timestamp';
import { throwOnExitFailure } from './failures';
import type { TelemetryTransport } from './ports';

/** Negotiated field sets per driver version, shared by every host (TelemetryHub owns one). */
export type FieldCache = DriverVersionCache<NegotiatedFields>;

/** The catalogue signature the field cache is keyed with. */
export const FIELD_CACHE_SIGNATURE = catalogueSignature(GPU_STREAM_FIELDS);

/** What a host's streams need to know before they start. */
export interface StreamSetup {
  readonly driverVersion: string;
  /** GPUs on the host: the driver-version query prints one line per GPU, so this costs no extra command. */
  readonly gpuCount: number | undefined;
  readonly negotiated: NegotiatedFields;
  readonly utcOffsetMinutes: number;
}

export interface SetupDeps {
  readonly transport: TelemetryTransport;
  readonly fieldCache: FieldCache;
  readonly timeoutMs: number;
  readonly log: Logger;
}

/**
 * The adapter recipe of src/core/telemetry: driver version (and GPU count), the field set for that driver (from the
 * shared cache, or `--help-query-gpu` on a miss) and the host's UTC offset. Driver and offset run side by side, on
 * two channels of the same connection, because a reconnect waits for both.
 */
export async function setUpStream(deps: SetupDeps): Promise<StreamSetup> {
  const options = { timeoutMs: deps.timeoutMs };
  const [driver, utcOffsetMinutes] = await Promise.all([
    deps.transport.exec(driverVersionCommand.argv, options).then(readDriver),
    readUtcOffset(deps),
  ]);
  let negotiated = deps.fieldCache.get(driver.version);
  if (!negotiated) {
    const help = await deps.transport.exec(helpQueryGpuCommand.argv, options);
    throwOnExitFailure(help);
    negotiated = negotiateFields(GPU_STREAM_FIELDS, helpQueryGpuCommand.parse(help));
    deps.fieldCache.set(driver.version, negotiated);
    if (negotiated.dropped.length > 0) {
      deps.log.info(`driver ${driver.version} lacks ${negotiated.dropped.map((f) => f.name).join(', ')}; streaming without them`);
    }
  }
  return { driverVersion: driver.version, gpuCount: driver.gpuCount, negotiated, utcOffsetMinutes };
}

function readDriver(result: ExecResult): { version: string; gpuCount: number | undefined } {
  throwOnExitFailure(result);
  const version = parseDriverVersionResult(result);
  const lines = result.stdout.split(/\r?\n/).filter((l) => parseDriverVersion(l) !== undefined).length;
  return { version, gpuCount: lines > 0 ? lines : undefined };
}

/**
 * A host without `date` (or with an odd one) still streams: the offset only groups rows into ticks and measures
 * latency, while history and staleness use the local clock. UTC is what cloud images run in.
 */
async function readUtcOffset(deps: SetupDeps): Promise<number> {
  try {
    return await runRemote(deps.transport, utcOffsetCommand, { timeoutMs: deps.timeoutMs });
  } catch (e) {
    // A dropped connection must fail the attempt; only a bad answer falls back.
    if (e instanceof RemoteGpuError && e.reason === 'invalidResponse') {
      deps.log.warn(`could not read the host's UTC offset, assuming UTC: ${e.detail ?? e.message}`);
      return 0;
    }
    throw e;
  }
}
