/** One entry the scan saw, path relative to the scanned root ('/'-separated). Folders are not listed: a folder
 * checkpoint is known by the files inside it. */
export interface ScanEntry {
  readonly path: string;
  readonly size: number;
  /** Remote modification time, milliseconds since the epoch. */
  readonly mtimeMs: number;
}

/** What a scan returns, whichever way it ran (find or SFTP). */
export interface ScanResult {
  readonly root: string;
  readonly entries: readonly ScanEntry[];
  /** Log files for the idle rule's progress signal (ScanFilter.progress), when the filter asked for them. */
  readonly logs?: readonly ScanEntry[];
  /** True when the count bound was reached: there may be more (older or deeper) files than listed. */
  readonly truncated: boolean;
  /** Remote clock at scan time (ms), so ages do not depend on the local clock agreeing with the instance's. */
  readonly remoteNowMs: number | undefined;
  readonly via: 'find' | 'sftp';
}

export type CheckpointFormat = 'huggingface' | 'deepspeed' | 'lightning' | 'safetensors' | 'pytorch' | 'custom';

export interface CheckpointFile {
  readonly path: string;
  readonly size: number;
}

/** A checkpoint: one file, a set of shards, or a folder (Hugging Face, DeepSpeed). Size is the sum of its files. */
export interface Checkpoint {
  /** Relative path of the file, the folder, or the shard set's common prefix ("out/model-*-of-00004.safetensors"). */
  readonly path: string;
  readonly kind: 'file' | 'folder' | 'shards';
  readonly format: CheckpointFormat;
  readonly step?: number;
  readonly epoch?: number;
  /** Lightning's last.ckpt, DeepSpeed's folder named by `latest`. */
  readonly tag?: 'last' | 'latest';
  readonly sizeBytes: number;
  /** Newest mtime of its files. */
  readonly mtimeMs: number;
  readonly files: readonly CheckpointFile[];
  /** False for a shard set with shards missing (still being written, or broken). */
  readonly complete: boolean;
}
