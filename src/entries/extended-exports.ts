/** What every entry with the extended class exports besides its own `EventSource`. */
export { EventSourceErrorEvent } from "../error-event.js";
export type {
  ExtendedEventSourceEventMap as EventSourceEventMap,
  ExtendedEventSourceInit as EventSourceInit,
  ReconnectOptions,
} from "../extended-event-source.js";
export { type MessagesOptions, messages } from "../iterate.js";
