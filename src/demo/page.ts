/**
 * The demo's browser page: loads the built IIFE polyfill and appends each event to a list.
 * The inline script is ES5, like the IIFE, so the page works in the browsers the IIFE serves.
 * Hooks for tests: `body[data-implementation]`, `#state[data-state]`, and one
 * `li[data-event-type][data-event-id]` per event, newest first.
 */

export const IIFE_PATH = "/universal-eventsource.iife.min.js";
export const EVENTS_PATH = "/events";

export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>universal-eventsource demo</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 46em; padding: 0 1em; }
  #state { font-weight: bold; }
  [data-state="open"] { color: #070; }
  [data-state="connecting"], [data-state="closed"] { color: #a00; }
  ol { list-style: none; padding: 0; font-family: ui-monospace, monospace; }
  li { padding: 2px 0; border-bottom: 1px solid #eee; white-space: pre-wrap; }
  li[data-event-type="price"] .type { color: #06c; }
  li[data-event-type="message"] .type { color: #840; }
  li[data-event-type="status"] { color: #888; }
</style>
<script src="${IIFE_PATH}"></script>
</head>
<body>
<h1>universal-eventsource demo</h1>
<p>A price feed from this server; every few seconds the server drops the connection and the
client comes back with <code>Last-Event-ID</code>, so no event is lost.</p>
<p>Implementation: <span id="implementation">none</span> · State: <span id="state" data-state="connecting">connecting</span></p>
<ol id="log"></ol>
<script>
(function () {
  var MAX_ITEMS = 200;
  var Source = window.UniversalEventSource;
  var log = document.getElementById("log");
  var state = document.getElementById("state");
  var implementation = document.getElementById("implementation");

  function add(type, id, text) {
    var item = document.createElement("li");
    item.setAttribute("data-event-type", type);
    if (id) item.setAttribute("data-event-id", id);
    var label = document.createElement("span");
    label.className = "type";
    label.appendChild(document.createTextNode(type + (id ? " [" + id + "] " : " ")));
    item.appendChild(label);
    item.appendChild(document.createTextNode(text));
    log.insertBefore(item, log.firstChild);
    while (log.childNodes.length > MAX_ITEMS) log.removeChild(log.lastChild);
  }
  function setState(name) {
    state.setAttribute("data-state", name);
    state.textContent = name;
  }

  if (typeof Source !== "function") {
    document.body.setAttribute("data-implementation", "missing");
    implementation.textContent = "missing: run npm run build";
    setState("closed");
    return;
  }
  document.body.setAttribute("data-implementation", "universal-eventsource");
  implementation.textContent = "universal-eventsource (IIFE)";

  var source = new Source("${EVENTS_PATH}");
  function onEvent(event) { add(event.type, event.lastEventId, event.data); }
  source.addEventListener("price", onEvent);
  source.onmessage = onEvent;
  source.onopen = function () { setState("open"); };
  source.onerror = function (event) {
    setState(source.readyState === 2 ? "closed" : "connecting");
    add("status", "", "error: " + (event.message || "connection lost") +
      (source.readyState === 2 ? "; closed" : "; reconnecting"));
  };
})();
</script>
</body>
</html>
`;
