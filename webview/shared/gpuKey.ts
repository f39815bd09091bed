import type { GpuSnapshot } from '../../src/shared/telemetryProtocol';

/** Keeps a GPU's card between snapshots. Index and UUID together: the protocol does not promise unique UUIDs. */
export function gpuKey(gpu: GpuSnapshot): string {
  return `${gpu.index}:${gpu.uuid}`;
}
