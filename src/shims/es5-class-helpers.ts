/**
 * The class helpers of the script-tag build (IIFE). swc lowers its classes to ES5 with
 * `externalHelpers`, which imports each helper from `@swc/helpers/_/_name`; tsup.config.ts
 * resolves those imports to the exports here, named in camelCase (`_call_super` →
 * `callSuper`). A helper swc asks for that is missing here fails the build.
 *
 * swc's own helpers are written for any class; these only for ours, which are:
 * - EventSource extending the native EventTarget where it is constructible (needs
 *   `Reflect.construct`), or else the ES5 stand-in from es5-globals.ts (a plain function);
 * - the stand-in and error event classes extending each other or the native Event;
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
 * assignment is harmless, and {@link callSuper} finds the base through the prototype anyway.
 */
export function inherits(derived: ClassFunction, base: ClassFunction): void {
  derived.prototype = Object.create(base.prototype, {
    constructor: { value: derived, writable: true, configurable: true },
  });
  // biome-ignore lint/suspicious/noProto: IE11 and ES5 contexts lack Object.setPrototypeOf.
  (derived as { __proto__?: unknown }).__proto__ = base;
}

/**
 * `super(...args)` in Derived's constructor, whose `this` is `self`: returns the object the
 * constructor goes on with. A native base (EventTarget, Event) throws unless called by `new`,
 * and its instance must get the prototype of the class actually constructed (Derived, or a
 * user's subclass of it): `Reflect.construct` with that class as `new.target`. Where there is no
 * Reflect (IE), no native base is used (es5-globals.ts checks), so the base is an ES5 function
 * that can run on `self` itself.
 */
export function callSuper(self: object, derived: ClassFunction, args?: unknown[]): object {
  const base = (Object.getPrototypeOf(derived.prototype) as { constructor: ClassFunction })
    .constructor;
  if (typeof Reflect === "object") {
    return Reflect.construct(
      base,
      args || [],
      (self as { constructor: ClassFunction }).constructor,
    );
  }
  (base as unknown as (...args: unknown[]) => void).apply(self, args || []);
  return self;
}

/** Class members as the class syntax defines them: non-enumerable, configurable. */
function defineMembers(target: object, members: Member[] | undefined): void {
  if (!members) return;
  for (const member of members) {
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
