/**
 * JavaScript evaluated first in every sandbox context. It builds the `fazt.*`
 * API on top of one host function and returns the object the host drives the
 * invocation with; that object and the host function are never reachable from
 * app code. Every value crosses the boundary as JSON (bytes as an ArrayBuffer),
 * and no call carries an app id: the host binds the scope.
 */
export const PRELUDE = String.raw`(function (host, init) {
'use strict';
const G = globalThis, J = JSON, fnSource = Function.prototype.toString;
const call = (name, args, bytes) => {
  const r = bytes === undefined ? host(name, J.stringify(args)) : host(name, J.stringify(args), bytes);
  if (r === undefined) return undefined;
  if (typeof r === 'string') return J.parse(r);
  const o = J.parse(r[0]);
  if (o && r[1]) o.data = new Uint8Array(r[1]);
  return o;
};
const pending = new Map();
let asyncSeq = 0;
// A host call answered later: the host starts it now and settles the promise from settleAsync.
const callAsync = (name, args) => new Promise((resolve, reject) => {
  const id = ++asyncSeq;
  pending.set(id, { resolve, reject });
  try { host('async', J.stringify([id, name, args])); } catch (e) { pending.delete(id); throw e; }
});
const toBytes = (d) => d instanceof ArrayBuffer ? d : ArrayBuffer.isView(d) ? d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) : undefined;
const storage = (scope) => {
  const p = scope + '.';
  return Object.freeze({
    kv: Object.freeze({
      get: (key) => call(p + 'kv.get', [key]),
      set: (key, value, ttlMs) => { call(p + 'kv.set', [key, value === undefined ? null : value, ttlMs]); },
      delete: (key) => call(p + 'kv.delete', [key]),
      list: (prefix, limit) => call(p + 'kv.list', [prefix, limit]),
    }),
    ds: Object.freeze({
      insert: (coll, doc) => call(p + 'ds.insert', [coll, doc]),
      find: (coll, query, opts) => call(p + 'ds.find', [coll, query, opts]),
      findOne: (coll, query) => call(p + 'ds.findOne', [coll, query]),
      update: (coll, query, changes) => call(p + 'ds.update', [coll, query, changes]),
      delete: (coll, query) => call(p + 'ds.delete', [coll, query]),
      count: (coll, query) => call(p + 'ds.count', [coll, query]),
    }),
    s3: Object.freeze({
      put(path, data, mime) {
        const b = toBytes(data);
        if (b) return call(p + 's3.put', [path, null, mime], b);
        return call(p + 's3.put', [path, typeof data === 'string' ? data : J.stringify(data), mime]);
      },
      get: (path) => call(p + 's3.get', [path]),
      delete: (path) => call(p + 's3.delete', [path]),
      list: (prefix, limit) => call(p + 's3.list', [prefix, limit]),
    }),
  });
};
const app = storage('app');
const user = storage('user');
let sealed = false;
const tools = new Map(), resources = new Map(), subscriptions = [];
const atTop = (what) => { if (sealed) throw new Error(what + ' must be called at the top level of api/main.js, not inside a handler'); };
const log = (level) => (message, fields) => { call('log', [level, typeof message === 'string' ? message : J.stringify(message), fields]); };
const fmt = (args) => args.map((a) => typeof a === 'string' ? a : (() => { try { return J.stringify(a); } catch (e) { return String(a); } })()).join(' ');
const fazt = {
  app: Object.freeze({
    id: init.app.id, name: init.app.name, slug: init.app.slug, env: Object.freeze(init.app.env),
    kv: app.kv, ds: app.ds, s3: app.s3,
    user: Object.freeze({ get id() { return call('user.id', []); }, kv: user.kv, ds: user.ds, s3: user.s3 }),
  }),
  // Deprecated alias of fazt.app.{kv,ds,s3}: the same functions, so results never differ.
  // Copies, not the same objects: sharing them made QuickJS abort when a reused context was freed.
  storage: Object.freeze({ kv: Object.freeze({ ...app.kv }), ds: Object.freeze({ ...app.ds }), s3: Object.freeze({ ...app.s3 }) }),
  log: Object.freeze({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }),
  events: Object.freeze({
    emit: (type, data) => call('events.emit', [type, data === undefined ? null : data]),
    on(pattern, handler) {
      atTop('fazt.events.on');
      if (typeof pattern !== 'string' || typeof handler !== 'function') throw new TypeError('fazt.events.on(pattern, handler) needs a string pattern and a function');
      if (subscriptions.length >= 50) throw new Error('an app may register at most 50 event subscriptions');
      subscriptions.push({ pattern, handler });
    },
  }),
  ai: Object.freeze({
    complete: (request) => callAsync('ai.complete', [typeof request === 'string' ? { prompt: request } : request]),
    embed: (input) => callAsync('ai.embed', [input]),
  }),
  mcp: Object.freeze({
    tool(name, spec) {
      atTop('fazt.mcp.tool');
      if (typeof name !== 'string') throw new TypeError('fazt.mcp.tool(name, spec): name must be a string');
      if (!spec || typeof spec.handler !== 'function') throw new TypeError('fazt.mcp.tool("' + name + '", spec): spec.handler must be a function');
      if (tools.has(name)) throw new Error('the tool "' + name + '" is registered twice');
      tools.set(name, spec);
    },
    resource(uriTemplate, spec) {
      atTop('fazt.mcp.resource');
      if (typeof uriTemplate !== 'string') throw new TypeError('fazt.mcp.resource(uriTemplate, spec): uriTemplate must be a string');
      if (!spec || typeof spec.handler !== 'function') throw new TypeError('fazt.mcp.resource("' + uriTemplate + '", spec): spec.handler must be a function');
      if (resources.has(uriTemplate)) throw new Error('the resource "' + uriTemplate + '" is registered twice');
      resources.set(uriTemplate, spec);
    },
  }),
};
G.fazt = Object.freeze(fazt);
G.console = Object.freeze({
  log: (...a) => log('info')(fmt(a)), info: (...a) => log('info')(fmt(a)), debug: (...a) => log('debug')(fmt(a)),
  warn: (...a) => log('warn')(fmt(a)), error: (...a) => log('error')(fmt(a)),
});
const unavailable = (what, hint) => new Error(what + ' is not available in fazt apps; ' + hint);
G.require = function require() { throw unavailable('require', 'use fazt.* (fazt.app.kv, fazt.app.ds, fazt.app.s3, fazt.log, fazt.events)'); };
G.process = new Proxy({}, { get() { throw unavailable('process', 'use fazt.app.env for configuration'); } });
G.setInterval = function setInterval() { throw unavailable('setInterval', 'an invocation ends with its response; use storage or fazt.events for work that outlives it'); };
const timers = new Map();
let timerSeq = 0;
G.setTimeout = function setTimeout(fn, ms, ...args) {
  if (typeof fn !== 'function') throw new TypeError('setTimeout needs a function');
  const id = ++timerSeq;
  timers.set(id, () => fn(...args));
  call('timer', [id, Number(ms) || 0]);
  return id;
};
G.clearTimeout = function clearTimeout(id) { timers.delete(id); };
G.queueMicrotask = (fn) => { Promise.resolve().then(fn); };

let response = null, current = undefined;
// The request of the running invocation; a fixed accessor, so the global object never changes shape.
Object.defineProperty(G, 'request', { get() { return current; }, set(v) { current = v; }, enumerable: true, configurable: false });
G.respond = function respond(a, b, c) {
  if (arguments.length <= 1) { response = { status: 200, body: a, headers: {} }; return; }
  if (typeof a !== 'number' || !Number.isInteger(a) || a < 100 || a > 599) throw new TypeError('respond(status, body, headers): status must be an HTTP status code (100-599)');
  response = { status: a, body: b, headers: c || {} };
};
const isResponse = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer) && ('status' in v || 'body' in v || 'headers' in v);
const encode = (r) => {
  const status = r.status === undefined ? 200 : r.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) throw new TypeError('a response status must be an HTTP status code (100-599), got ' + J.stringify(status));
  const headers = {};
  if (r.headers && typeof r.headers === 'object') for (const k of Object.keys(r.headers)) headers[k.toLowerCase()] = String(r.headers[k]);
  const body = r.body;
  if (body === undefined) return [J.stringify({ status, headers, type: 'empty' }), ''];
  if (typeof body === 'string') return [J.stringify({ status, headers, type: 'text' }), body];
  const b = toBytes(body);
  if (b) return [J.stringify({ status, headers, type: 'bytes' }), b];
  const text = J.stringify(body);
  return [J.stringify({ status, headers, type: 'json' }), text === undefined ? 'null' : text];
};
const result = (v) => { const t = v === undefined ? null : J.stringify(v); return t === undefined ? 'null' : t; };
let mod = null, main = null, mainIsModule = false;
const { ownKeys, getOwnPropertyDescriptor: gopd, defineProperty: defProp, deleteProperty: delProp, getPrototypeOf: getProto } = Reflect;
const globals = new Set();
let globalProto = null;
return {
  begin() {
    sealed = false; response = null; mod = null; current = undefined;
    tools.clear(); resources.clear(); subscriptions.length = 0; timers.clear(); timerSeq = 0; pending.clear();
  },
  // Kept only when the compiled function's own source is the whole wrapped text (nothing outside it).
  setMain(fn, isModule, src) {
    if (typeof fn !== 'function' || fnSource.call(fn) !== src) return false;
    main = Object.freeze(fn); mainIsModule = isModule;
    if (fn.prototype) Object.freeze(fn.prototype);
    return true;
  },
  runMain() { return mainIsModule ? main() : main.call(G); },
  // A fresh module instance, then its default export serves the request: one round trip.
  serve(json) { return main().then((ns) => { mod = ns; sealed = true; return this.request(json); }); },
  setModule(ns) { mod = ns; sealed = true; },
  // The built-in globals become read-only, so after an invocation only added ones need removing.
  snapshot() {
    for (const k of ownKeys(G)) {
      const d = gopd(G, k);
      defProp(G, k, 'value' in d ? { writable: false, configurable: false } : { configurable: false });
      globals.add(k);
    }
    globalProto = getProto(G);
  },
  reset() {
    if (!Object.isExtensible(G) || getProto(G) !== globalProto) return false;
    const keys = ownKeys(G);
    if (keys.length !== globals.size) for (const k of keys) if (!globals.has(k) && !delProp(G, k)) return false;
    response = null; mod = null; current = undefined; timers.clear(); pending.clear();
    return true;
  },
  seal() {
    sealed = true;
    return J.stringify({
      tools: [...tools].map(([name, s]) => ({ name, description: s.description === undefined ? '' : s.description, input: s.input === undefined ? {} : s.input, readOnly: s.readOnly === true, destructive: s.destructive === true })),
      resources: [...resources].map(([uriTemplate, s]) => ({ uriTemplate, description: s.description === undefined ? '' : s.description, mimeType: s.mimeType })),
      events: subscriptions.map((s) => s.pattern),
    });
  },
  setRequest(json) { const r = json === null ? null : J.parse(json); current = r; response = null; return r; },
  hasResponse() { return response !== null; },
  classicResponse() { return encode(response === null ? { status: 204 } : response); },
  request(json) {
    const req = this.setRequest(json);
    if (!mod || typeof mod.default !== 'function') throw new TypeError('api/main.js is an ES module without a default export: export default async function (request) { return { status, body } }');
    return Promise.resolve(mod.default(req)).then((v) => encode(v !== undefined ? (isResponse(v) ? v : { status: 200, body: v }) : response === null ? { status: 204 } : response));
  },
  tool(name, json) {
    const t = tools.get(name);
    if (!t) throw new Error('no tool "' + name + '" in this version of the app');
    return Promise.resolve(t.handler(J.parse(json))).then(result);
  },
  resource(uriTemplate, uri, json) {
    const r = resources.get(uriTemplate);
    if (!r) throw new Error('no resource "' + uriTemplate + '" in this version of the app');
    return Promise.resolve(r.handler(uri, J.parse(json))).then((v) => typeof v === 'string' ? J.stringify({ text: v, mimeType: r.mimeType || 'text/plain' }) : J.stringify({ text: result(v), mimeType: r.mimeType || 'application/json' }));
  },
  event(index, json) {
    const s = subscriptions[index];
    if (!s) throw new Error('no event subscription #' + index);
    return Promise.resolve(s.handler(J.parse(json))).then(() => 'null');
  },
  settleAsync(id, ok, json) {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    const v = J.parse(json);
    if (ok) p.resolve(v);
    else { const e = new Error(v.message); e.name = v.name; p.reject(e); }
  },
  fireTimer(id) { const f = timers.get(id); timers.delete(id); if (f) f(); },
};
})`;
