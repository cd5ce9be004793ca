/**
 * The DOM event types of the public surface, under names of our own, so the published
 * declarations compile with lib.dom or with @types/node alone: @types/node's global
 * `MessageEvent` is not generic, and it has no global `AddEventListenerOptions` or
 * `EventListenerOrEventListenerObject`. Each is what lib.dom says, structurally.
 */

/** A `MessageEvent` whose `data` is a string (lib.dom's `MessageEvent<string>`). */
export type StringMessageEvent = Omit<MessageEvent, "data"> & { readonly data: string };

export interface EventListenerOptions {
  capture?: boolean;
}

export interface AddEventListenerOptions extends EventListenerOptions {
  once?: boolean;
  passive?: boolean;
  signal?: AbortSignal;
}

export type EventListenerOrEventListenerObject =
  | ((event: Event) => void)
  | { handleEvent(event: Event): void };
