/**
 * NON-SPEC: the `signal` option. Aborting closes the source, as `close()` would (no event);
 * the listener is removed when the source closes, so a long-lived signal shared by many
 * sources keeps none of them alive.
 */
export function closeOnAbort(signal: AbortSignal, close: () => void): () => void {
  const onAbort = (): void => close();
  signal.addEventListener("abort", onAbort);
  return () => signal.removeEventListener("abort", onAbort);
}
