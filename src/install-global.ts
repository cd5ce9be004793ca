/**
 * Installs a constructor as the global `EventSource` where the runtime has none, with the
 * attributes a WebIDL interface object has (writable, configurable, not enumerable). An
 * existing `EventSource` is left alone: the native one is the one to use where there is one.
 */
export function installEventSource(EventSource: unknown): void {
  const scope = globalThis as { EventSource?: unknown };
  if (!scope.EventSource) {
    Object.defineProperty(scope, "EventSource", {
      value: EventSource,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}
