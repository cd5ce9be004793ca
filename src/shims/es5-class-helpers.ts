/**
 * The class helpers of the script-tag build (IIFE). swc lowers its classes to ES5 with
 * `externalHelpers`, which imports each helper from `@swc/helpers/_/_name`; tsup.config.ts
 * resolves those imports to the exports here, named in camelCase (`_create_class` →
 * `createClass`). A helper swc asks for that is missing here fails the build.
 *
 * swc's own helpers are written for any class; these only for ours, which are:
 * - EventSource extending a plain function: the ES5 stand-in EventTarget from es5-globals.ts,
 *   or the native one behind a function that constructs it (`super()` is `Base.call(this)`,
 *   swc's `superIsCallableConstructor`);
 * - the stand-in MessageEvent extending the stand-in Event (a class extending a native one
 *   directly would fail: a native constructor cannot be called without `new`);
 * - methods, getters and setters on the prototype, and static members.
 */

/** A class as swc lowers it: a function with a prototype. */
type ClassFunction = {
  new (...args: never[]): object;
  prototype: object;
};

/** One member as swc lists it for `_create_class`: a property descriptor with its name. */
interface Member extends PropertyDescriptor {
  key: PropertyKey;
}

/**
 * `class Derived extends Base`: instances of Derived inherit Base's prototype, and Derived
 * Base's statics, through `__proto__` (Annex B: every engine with the native bases, and IE11;
 * not Object.setPrototypeOf, which IE11 lacks). Node's EventTarget, for one, knows its instances
 * by a static of their constructor. Where `__proto__` is an ordinary property (IE10) the
 * assignment is harmless: `super()` calls the base by name, not through the constructor.
 */
export function inherits(derived: ClassFunction, base: ClassFunction): void {
  derived.prototype = Object.create(base.prototype, {
    constructor: { value: derived, writable: true, configurable: true },
  });
  // biome-ignore lint/suspicious/noProto: IE11 and ES5 contexts lack Object.setPrototypeOf.
  (derived as { __proto__?: unknown }).__proto__ = base;
}

/** Class members as the class syntax defines them: non-enumerable, configurable. */
function defineMembers(target: object, members: Member[] | undefined): void {
  if (!members) return;
  for (let i = 0; i < members.length; i++) {
    const member = members[i] as Member;
    member.configurable = true;
    // Methods are writable; accessors cannot say so. `key` is ignored by defineProperty.
    if ("value" in member) member.writable = true;
    Object.defineProperty(target, member.key, member);
  }
}

/** The methods and accessors of a class (on its prototype) and its static members. */
export function createClass(
  classFunction: ClassFunction,
  prototypeMembers?: Member[],
  staticMembers?: Member[],
): ClassFunction {
  defineMembers(classFunction.prototype, prototypeMembers);
  defineMembers(classFunction, staticMembers);
  return classFunction;
}
