/**
 * Coalesces renders to one per animation frame, keeping only the newest value. Snapshots are full state, so when
 * several arrive within one frame (a burst after a reconnect, a fast interval) drawing the last is exactly right.
 */
export function latestPerFrame<T>(render: (value: T) => void, schedule: (callback: () => void) => void): (value: T) => void {
  let pending = false;
  let latest: T | undefined;
  const flush = (): void => {
    pending = false;
    const value = latest as T;
    latest = undefined;
    render(value);
  };
  return (value: T): void => {
    latest = value;
    if (!pending) {
      pending = true;
      schedule(flush);
    }
  };
}
