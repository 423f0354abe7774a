/**
 * Evaluated once in every sandbox context, after the prelude and before any
 * app code. A warm context serves many invocations, so nothing an invocation
 * can write may outlive it:
 * - every object reachable from the global object (built-ins, `fazt.*`,
 *   `respond`, ...) is frozen; the global object itself is restored after each
 *   invocation by the prelude's reset();
 * - the properties code commonly assigns on its own objects (`err.name = ...`,
 *   `Foo.prototype.toString = ...`) become accessors that define the property
 *   on the object written to, so freezing the built-ins does not break them;
 * - code cannot be compiled at run time (eval, the Function constructors), and
 *   FinalizationRegistry is gone: it could run a callback in a later request.
 */
export const LOCKDOWN = String.raw`(function (G) {
'use strict';
const { ownKeys, getOwnPropertyDescriptor: gopd, defineProperty: defProp, getPrototypeOf: getProto } = Reflect;
const freeze = Object.freeze, hasOwn = Object.hasOwn;
const unavailable = (what, why) => new Error(what + ' is not available in fazt apps; ' + why);
const noCompile = 'app code is compiled once per deploy, not at run time';
const kinds = [
  ['Function', getProto(function () {})],
  ['AsyncFunction', getProto(async function () {})],
  ['GeneratorFunction', getProto(function* () {})],
  ['AsyncGeneratorFunction', getProto(async function* () {})],
];
for (const [name, proto] of kinds) {
  const stub = { [name]: function () { throw unavailable(name === 'Function' ? 'new Function' : name, noCompile); } }[name];
  defProp(stub, 'prototype', { value: proto, writable: false });
  defProp(proto, 'constructor', { value: stub, writable: true, enumerable: false, configurable: true });
  if (name === 'Function') G.Function = stub;
}
G.eval = { eval: function () { throw unavailable('eval', noCompile); } }.eval;
G.FinalizationRegistry = { FinalizationRegistry: function () { throw unavailable('FinalizationRegistry', 'its callbacks could run during a later request'); } }.FinalizationRegistry;

const TAMED = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'toJSON', 'name', 'message'];
const tame = (o, k) => {
  const d = gopd(o, k);
  if (!d || !('value' in d) || !d.writable || !d.configurable) return;
  const value = d.value;
  defProp(o, k, {
    get() { return value; },
    set(v) {
      if (this === o) throw new TypeError('Cannot assign to read only property \'' + String(k) + '\' of a built-in object');
      if ((typeof this === 'object' && this !== null) || typeof this === 'function') defProp(this, k, { value: v, writable: true, enumerable: true, configurable: true });
    },
    enumerable: d.enumerable,
    configurable: false,
  });
};
const seen = new Set([G]);
const visit = (o) => {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
  seen.add(o);
  // Prototypes (they own a constructor) are what instances inherit these names from.
  if (typeof o === 'object' && hasOwn(o, 'constructor')) for (const k of TAMED) tame(o, k);
  for (const k of ownKeys(o)) {
    const d = gopd(o, k);
    if ('value' in d) visit(d.value);
    else { visit(d.get); visit(d.set); }
  }
  visit(getProto(o));
  freeze(o);
};
for (const k of ownKeys(G)) {
  const d = gopd(G, k);
  if ('value' in d) visit(d.value);
  else { visit(d.get); visit(d.set); }
}
visit(getProto(G));
})`;
