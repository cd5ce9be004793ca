/*
 * Page side of the browser suites: opens a source and records what it dispatches. Plain script,
 * no modern globals, so it runs unchanged in the page that emulates an old browser.
 *
 * recordSource(Ctor, url, init, options) resolves with
 *   { initialReadyState, url, withCredentials, log: [entry], readyState, timedOut }
 * where an entry is { type, readyState, data?, lastEventId?, origin?, via? }.
 * options:
 *   types            event types to listen for besides open, message and error
 *   onmessage        also record calls of the onmessage handler (via: "onmessage")
 *   until            close once the log has this many entries
 *   closeAtMessage   call close() inside the handler of this (1-based) message, then stay
 *                    `quiet` ms to see that nothing else is dispatched
 *   stopOnError      close at the first error (a reconnection would follow)
 *   timeout          bound in ms (default 10000): close and resolve with timedOut
 *   times            add `at` (performance.now()) to each entry
 * A fatal error (readyState CLOSED) always ends the recording.
 */
window.recordSource = (Ctor, url, init, options) => {
  options = options || {};
  return new Promise((resolve) => {
    var source = new Ctor(url, init);
    var log = [];
    var messages = 0;
    var finished = false;
    var result = {
      initialReadyState: source.readyState,
      url: source.url,
      withCredentials: source.withCredentials,
      log: log,
      timedOut: false,
    };
    function finish(delay) {
      if (finished) return;
      finished = true;
      source.close();
      setTimeout(() => {
        clearTimeout(bound);
        result.readyState = source.readyState;
        resolve(result);
      }, delay || 0);
    }
    var bound = setTimeout(() => {
      result.timedOut = true;
      finish();
    }, options.timeout || 10000);
    function entry(event, via) {
      var item = { type: event.type, readyState: source.readyState };
      if (typeof event.data === "string") {
        item.data = event.data;
        item.lastEventId = event.lastEventId;
        item.origin = event.origin;
      }
      if (via) item.via = via;
      if (options.times) item.at = performance.now();
      return item;
    }
    function listener(event) {
      if (finished && options.closeAtMessage === undefined) return;
      log.push(entry(event));
      if (event.type !== "open" && event.type !== "error") messages++;
      if (options.closeAtMessage !== undefined && messages === options.closeAtMessage) {
        source.close();
        // Stay a moment: anything still dispatched after close() would be recorded.
        finish(options.quiet || 200);
        return;
      }
      if (event.type === "error" && (source.readyState === 2 || options.stopOnError)) finish();
      else if (options.until !== undefined && log.length >= options.until) finish();
    }
    var types = ["open", "message", "error"].concat(options.types || []);
    types.forEach((type) => {
      source.addEventListener(type, listener);
    });
    if (options.onmessage) {
      source.onmessage = (event) => {
        log.push(entry(event, "onmessage"));
      };
    }
  });
};

/* Counts XMLHttpRequest opens, so a test can tell which transport ran. */
window.xhrOpens = 0;
(() => {
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (...args) {
    window.xhrOpens++;
    return open.apply(this, args);
  };
})();
