// The domain runs on Node and in tests, but is type-checked without Node or DOM types (tsconfig.core.json) so it
// cannot reach for I/O. It still needs the shape of AbortSignal to accept cancellation; these declarations merge
// with the full ones when Node's types are present.
interface AbortSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
