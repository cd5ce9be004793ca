/**
 * NON-SPEC: the `browserLifecycle` option. [R3] lets a client wait for the network to come
 * back; this does the converse and skips the wait: when the browser reports it is `online`
 * again, or shows a page restored from the back/forward cache (`pageshow` with `persisted`),
 * a source waiting to reconnect reconnects at once. Hiding the page does nothing: a hidden tab
 * keeps its stream, as the platform's EventSource does.
 */
export function watchBrowserLifecycle(wake: () => void): () => void {
  const scope = globalThis as {
    addEventListener?: (type: string, listener: (event: Event) => void) => void;
    removeEventListener?: (type: string, listener: (event: Event) => void) => void;
  };
  // Outside a window (Node, a worker without these events) there is nothing to watch.
  if (typeof scope.addEventListener !== "function") return () => {};
  const onOnline = (): void => wake();
  const onPageShow = (event: Event): void => {
    if ((event as { persisted?: boolean }).persisted === true) wake();
  };
  scope.addEventListener("online", onOnline);
  scope.addEventListener("pageshow", onPageShow);
  return () => {
    scope.removeEventListener?.("online", onOnline);
    scope.removeEventListener?.("pageshow", onPageShow);
  };
}
