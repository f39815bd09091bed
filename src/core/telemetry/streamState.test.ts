import { describe, expect, it } from 'vitest';
import { connectionSchema } from '../../shared/telemetryProtocol';
import { initialStreamState, reduceStreamState, staleAfterMs, toConnectionView } from './streamState';
import type { StreamEvent, StreamState } from './streamState';

const config = { intervalMs: 1000 };
const run = (events: StreamEvent[], from: StreamState = initialStreamState(0)) => events.reduce((s, e) => reduceStreamState(s, e, config), from);

describe('stream state', () => {
  it('goes connecting → live → stale after 3 silent intervals → live again', () => {
    let s = run([{ type: 'connecting', at: 0 }]);
    expect(s.phase).toBe('connecting');
    s = run([{ type: 'connected', at: 100 }, { type: 'tick', now: 1500 }], s);
    expect(s.phase).toBe('connecting');
    s = run([{ type: 'sample', at: 1600 }], s);
    expect(s.phase).toBe('live');
    s = run([{ type: 'tick', now: 4600 }], s);
    expect(s.phase).toBe('live');
    s = run([{ type: 'tick', now: 4601 }], s);
    expect(s.phase).toBe('stale');
    expect(toConnectionView(s)).toEqual({ state: 'stale', lastSampleAgeMs: 3001, retryInMs: null, error: null });
    s = run([{ type: 'sample', at: 4700 }], s);
    expect(s.phase).toBe('live');
  });

  it('goes stale when connected but no first sample comes', () => {
    const s = run([{ type: 'connecting', at: 0 }, { type: 'connected', at: 0 }, { type: 'tick', now: 3001 }]);
    expect(s.phase).toBe('stale');
    expect(toConnectionView(s).lastSampleAgeMs).toBeNull();
  });

  it('shows reconnecting with the countdown and the reason, keeps the sample age, and clears the error on data', () => {
    let s = run([{ type: 'connecting', at: 0 }, { type: 'connected', at: 0 }, { type: 'sample', at: 1000 }]);
    s = run([{ type: 'error', at: 2000, error: { reason: 'connectionLost', message: 'The connection dropped.' }, retryInMs: 4000 }, { type: 'tick', now: 3000 }], s);
    expect(s.phase).toBe('reconnecting');
    expect(toConnectionView(s)).toEqual({ state: 'reconnecting', lastSampleAgeMs: 2000, retryInMs: 3000, error: { reason: 'connectionLost', message: 'The connection dropped.' } });
    s = run([{ type: 'tick', now: 6000 }, { type: 'connecting', at: 6000 }], s);
    expect(s.phase).toBe('reconnecting');
    s = run([{ type: 'connected', at: 6500 }], s);
    expect(s.phase).toBe('reconnecting');
    s = run([{ type: 'sample', at: 7000 }], s);
    expect(s.phase).toBe('live');
    expect(toConnectionView(s).error).toBeNull();
  });

  it('stops without retry on a fatal error or on purpose', () => {
    const fatal = run([{ type: 'connecting', at: 0 }, { type: 'error', at: 10, error: { reason: 'commandNotFound', message: 'nvidia-smi was not found.' } }]);
    expect(fatal.phase).toBe('stopped');
    expect(toConnectionView(fatal).error?.reason).toBe('commandNotFound');
    const closed = run([{ type: 'connecting', at: 0 }, { type: 'connected', at: 5 }, { type: 'closed', at: 10 }]);
    expect(closed.phase).toBe('stopped');
    // Never delivered a sample: restarting it is still connecting, not "reconnecting".
    const restarting = run([{ type: 'closed', at: 10, retryInMs: 100 }], closed);
    expect(restarting.phase).toBe('connecting');
  });

  it('keeps a first attempt that fails "connecting" with the countdown and the reason; only a stream that was live reconnects', () => {
    const refused = { reason: 'unreachable' as const, message: 'Connection refused.' };
    let s = run([{ type: 'connecting', at: 0 }, { type: 'error', at: 100, error: refused, retryInMs: 1000 }, { type: 'tick', now: 600 }]);
    expect(s.phase).toBe('connecting');
    expect(toConnectionView(s)).toEqual({ state: 'connecting', lastSampleAgeMs: null, retryInMs: 500, error: refused });
    s = run([{ type: 'tick', now: 1100 }, { type: 'connecting', at: 1100 }, { type: 'connected', at: 1200 }], s);
    expect(s.phase).toBe('connecting');
    s = run([{ type: 'sample', at: 1500 }], s);
    expect(s.phase).toBe('live');
    // The same failure once the stream delivered: now it is a reconnect, at every step until data flows again.
    s = run([{ type: 'error', at: 2000, error: refused, retryInMs: 1000 }], s);
    expect(toConnectionView(s)).toMatchObject({ state: 'reconnecting', retryInMs: 1000, lastSampleAgeMs: 500 });
    s = run([{ type: 'connecting', at: 3000 }], s);
    expect(s.phase).toBe('reconnecting');
    s = run([{ type: 'connected', at: 3100 }], s);
    expect(s.phase).toBe('reconnecting');
  });

  it('never moves time backwards, and its view passes the protocol schema', () => {
    const s = run([{ type: 'connecting', at: 0 }, { type: 'connected', at: 0 }, { type: 'sample', at: 5000 }, { type: 'tick', now: 1000 }]);
    expect(s.now).toBe(5000);
    expect(connectionSchema.safeParse(toConnectionView(s)).success).toBe(true);
  });

  it('uses a 2 s floor for fast intervals', () => {
    expect(staleAfterMs(100)).toBe(2000);
    expect(staleAfterMs(5000)).toBe(15000);
  });
});
