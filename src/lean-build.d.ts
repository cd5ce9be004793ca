/**
 * Set by the build (tsup.config.ts): true for the standard browser builds (`.` and `./polyfill`
 * under the `browser` condition, and the script tag), false for every other build, and false
 * in the tests (vitest.config.ts). The lean builds hold the standard class alone, so nothing in
 * them can reach the NON-SPEC extras: the parser's `maxEventSize`, `onError` and `onComment`, its
 * `lastEventId` seeds and its stop when a callback resets it,
 * the reasons the extended class's error events carry, the core's hooks (which only
 * ExtendedEventSource implements), Node's platform hooks. Code for those
 * sits behind `!LEAN_BUILD`, which the builds fold away; the parser's `data:` shortcut does too
 * (bytes count for more than speed there).
 */
declare const LEAN_BUILD: boolean;
