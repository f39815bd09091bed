// Fakes for the telemetry service's unit tests: virtual time (Clock + Timers) and a scripted host (transport).
// Pure TypeScript, so they type-check with the core; they are not shipped (nothing outside tests imports them).
import { RemoteGpuError } from '../../errors';
import type { ExecOptions, ExecResult } from '../../remote/remoteCommand';
import { GPU_STREAM_FIELDS } from '../../telemetry/fields';
import type { TelemetryStream, TelemetryStreamExit, TelemetryStreamOptions, TelemetryTransport, TimerHandle, Timers } from './ports';

/** Lets promise chains of the code under test run to their next real wait. */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A clock and timers on virtual time: `advance` runs due timers in order, settling promises after each. */
export class VirtualTime implements Timers {
  private t = Date.UTC(2026, 0, 15, 12, 0, 0);
  private nextId = 1;
  private queue: { id: number; at: number; fn: () => void }[] = [];

  readonly clock = { now: (): number => this.t };

  get pending(): number {
    return this.queue.length;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.queue.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.queue = this.queue.filter((q) => q.id !== handle);
  }

  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      const due = this.queue.filter((q) => q.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.queue = this.queue.filter((q) => q !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', code: 0, signal: null });

/** `--help-query-gpu` text listing every catalogue field except `lacking`. */
export function helpText(lacking: readonly string[] = []): string {
  return GPU_STREAM_FIELDS.filter((f) => !lacking.includes(f.name))
    .map((f) => `"${f.name}"\nDescription of ${f.name}.\n`)
    .join('\n');
}

/** A stream the test drives: emit lines, end it as the remote side would. */
export class FakeStream implements TelemetryStream {
  closed = false;
  private ended = false;
  private resolveDone: (e: TelemetryStreamExit) => void = () => undefined;
  readonly done = new Promise<TelemetryStreamExit>((r) => (this.resolveDone = r));

  constructor(
    readonly argv: readonly string[],
    private readonly options: TelemetryStreamOptions,
  ) {}

  get isGpu(): boolean {
    return this.argv.some((a) => a.startsWith('--query-gpu='));
  }

  /** The `--query-gpu=` names in order. */
  get fields(): string[] {
    return (this.argv.find((a) => a.startsWith('--query-gpu='))?.slice('--query-gpu='.length) ?? '').split(',');
  }

  line(text: string): void {
    if (!this.ended) this.options.onLine(text);
  }

  stderr(text: string): void {
    if (!this.ended) this.options.onStderrLine?.(text);
  }

  exit(exit: TelemetryStreamExit): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onExit?.(exit);
    this.resolveDone(exit);
  }

  close(): void {
    this.closed = true;
    this.exit({ code: null, signal: null, error: new RemoteGpuError('cancelled', 'closed') });
  }
}

/** nvidia-smi's timestamp format in UTC (the fake host's `date +%z` says +0000). */
export function smiTime(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '').replace(/-/g, '/');
}

/** One row for `fields`, GPU `index`, at `t`; `util` fills utilization.gpu. */
export function gpuRow(fields: readonly string[], index: number, t: number, util = 42): string {
  const cell = (name: string): string => {
    if (name === 'timestamp') return smiTime(t);
    if (name === 'index') return String(index);
    if (name === 'uuid') return `GPU-fake-${index}`;
    if (name === 'name') return 'NVIDIA H100 80GB HBM3';
    if (name === 'pstate') return 'P0';
    if (name.startsWith('clocks_')) return '0x0000000000000001';
    if (name === 'utilization.gpu') return String(util);
    return '7';
  };
  return fields.map(cell).join(', ');
}

/** A scripted GPU host with `gpus` GPUs. Set the public fields to make it misbehave. */
export class FakeHost implements TelemetryTransport {
  readonly execs: string[][] = [];
  readonly streams: FakeStream[] = [];
  driver: ExecResult;
  help: ExecResult = ok(helpText());
  date: ExecResult = ok('+0000\n');
  ps: ExecResult = ok('    1\n  603\n');
  /** Rejects openStream with this, e.g. a lost connection. */
  openError: RemoteGpuError | undefined;

  constructor(gpus = 2) {
    this.driver = ok('580.159.04\n'.repeat(gpus));
  }

  get gpuStreams(): FakeStream[] {
    return this.streams.filter((s) => s.isGpu);
  }

  get appsStreams(): FakeStream[] {
    return this.streams.filter((s) => !s.isGpu);
  }

  get openStreams(): FakeStream[] {
    return this.streams.filter((s) => !s.closed);
  }

  /** How many times a command was run, by its first distinguishing word. */
  count(what: 'driver' | 'help' | 'date' | 'ps'): number {
    return this.execs.filter((argv) => this.kindOf(argv) === what).length;
  }

  async exec(argv: readonly string[], _options?: ExecOptions): Promise<ExecResult> {
    this.execs.push([...argv]);
    const kind = this.kindOf(argv);
    if (kind === undefined) throw new Error(`unexpected command ${argv.join(' ')}`);
    return this[kind];
  }

  async openStream(argv: readonly string[], options: TelemetryStreamOptions): Promise<TelemetryStream> {
    if (this.openError) throw this.openError;
    const stream = new FakeStream(argv, options);
    this.streams.push(stream);
    return stream;
  }

  private kindOf(argv: readonly string[]): 'driver' | 'help' | 'date' | 'ps' | undefined {
    if (argv[0] === 'date') return 'date';
    if (argv[0] === 'ps') return 'ps';
    if (argv[1] === '--help-query-gpu') return 'help';
    if (argv[1] === '--query-gpu=driver_version') return 'driver';
    return undefined;
  }
}
