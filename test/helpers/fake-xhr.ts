/**
 * A scripted XMLHttpRequest: records what the transport asks for, and lets a test play the
 * server (headers, body text arriving in pieces, the end, a network error). Plain properties
 * and callbacks only, so it also serves code running in an ES5-only `vm` context.
 */
export class FakeXHR {
  static created: FakeXHR[] = [];

  readyState = 0;
  status = 0;
  responseText = "";
  responseURL = "";
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  onprogress: (() => void) | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;

  method = "";
  url = "";
  headers: Record<string, string> = {};
  mimeType: string | undefined;
  body: unknown;
  sent = false;
  aborted = false;
  responseHeaders: Record<string, string> = {};

  constructor() {
    FakeXHR.created.push(this);
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }
  overrideMimeType(type: string): void {
    this.mimeType = type;
  }
  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  send(body?: unknown): void {
    this.body = body;
    this.sent = true;
  }
  abort(): void {
    this.aborted = true;
  }

  // --- the server's side ---

  /** HEADERS_RECEIVED. */
  respond(status = 200, headers: Record<string, string> = { "content-type": "text/event-stream" }) {
    this.status = status;
    this.responseHeaders = headers;
    this.readyState = 2;
    this.onreadystatechange?.();
  }
  /** LOADING, with more body text. */
  receive(text: string): void {
    this.responseText += text;
    this.readyState = 3;
    this.onreadystatechange?.();
    this.onprogress?.();
  }
  /** DONE, normally. */
  finish(): void {
    this.readyState = 4;
    this.onreadystatechange?.();
    this.onload?.();
  }
  /** DONE, network error: the status reads 0, as XHR makes it. */
  fail(): void {
    this.readyState = 4;
    this.status = 0;
    this.onreadystatechange?.();
    this.onerror?.();
  }
}
