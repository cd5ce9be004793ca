/**
 * Cheap `MessageEvent`s. The platforms' MessageEvent constructors convert their init dictionary
 * slowly: 520–670 ns more per event than this on Node 24 and 26 (three times the dispatch) and
 * several microseconds in Chromium. An event made by `Event`'s constructor, on a prototype chain
 * that runs through `MessageEvent.prototype`, is `instanceof MessageEvent`, dispatches through
 * the platform's EventTarget like any event, and costs a plain Event. Its own getters shadow
 * MessageEvent's, whose brand checks it would fail.
 *
 * For the ES2020 builds only: lowered to ES5 (the IIFE), the subclass would call the native
 * Event constructor without `new`, which throws.
 */

const DATA = Symbol("data");
const ORIGIN = Symbol("origin");
const LAST_EVENT_ID = Symbol("lastEventId");
/** `ports` of an event no port came with: one frozen empty array, as the platform's FrozenArray. */
const NO_PORTS: readonly MessagePort[] = Object.freeze([]);

class EventStreamMessageEvent extends Event {
  declare [DATA]: string;
  declare [ORIGIN]: string;
  declare [LAST_EVENT_ID]: string;

  constructor(type: string, data: string, origin: string, lastEventId: string) {
    // [D8] not bubbling, not cancelable: Event's defaults.
    super(type);
    this[DATA] = data;
    this[ORIGIN] = origin;
    this[LAST_EVENT_ID] = lastEventId;
  }

  get data(): string {
    return this[DATA];
  }
  get origin(): string {
    return this[ORIGIN];
  }
  get lastEventId(): string {
    return this[LAST_EVENT_ID];
  }
  get source(): null {
    return null;
  }
  get ports(): readonly MessagePort[] {
    return NO_PORTS;
  }
}

// The accessors stay where the platform has them (on the prototype, enumerable), so
// `for…in` and `"data" in event` see what they see on a native MessageEvent.
for (const name of ["data", "origin", "lastEventId", "source", "ports"]) {
  const descriptor = Object.getOwnPropertyDescriptor(EventStreamMessageEvent.prototype, name);
  if (descriptor !== undefined) {
    descriptor.enumerable = true;
    Object.defineProperty(EventStreamMessageEvent.prototype, name, descriptor);
  }
}
Object.setPrototypeOf(EventStreamMessageEvent.prototype, MessageEvent.prototype);
// What Object.prototype.toString shows for a native one: Deno's tag follows the object's brand,
// not its prototype chain, so it is copied here.
Object.defineProperty(EventStreamMessageEvent.prototype, Symbol.toStringTag, {
  value: Object.prototype.toString.call(new MessageEvent("message")).slice(8, -1),
  configurable: true,
});

/** [D8] a `MessageEvent` of `type` with `data`, `origin` and `lastEventId`. */
export function createMessageEvent(
  type: string,
  data: string,
  origin: string,
  lastEventId: string,
): MessageEvent<string> {
  return new EventStreamMessageEvent(
    type,
    data,
    origin,
    lastEventId,
  ) as unknown as MessageEvent<string>;
}
