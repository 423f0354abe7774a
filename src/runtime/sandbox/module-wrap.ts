/**
 * Turns api/main.js into the source of ONE function whose every call is a fresh
 * run of the app's top level: new module variables, new handlers, new
 * registrations. The function is compiled once per warm context, so a request
 * pays for a call, not for parsing, and still starts from a clean module.
 *
 * ES modules: top-level `export` keywords are rewritten in place (same lines, so
 * error positions stay true); the call returns `{ default }`. A module that
 * imports anything, or whose text the scanner is unsure about, is not wrapped
 * (null): it then runs as a real module in a context used once.
 *
 * This is text, and a scanner is not the parser: the slot compiles the result
 * with the grammar the app was checked with (a module as a module) and keeps it
 * only when QuickJS's own source of the compiled function is the whole text,
 * so no app code can sit outside the function (see Slot.boot).
 */

const DEFAULT = '__faztDefault';
const KEYWORDS_BEFORE_EXPR = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

interface Token {
  /** 'id' word, 'num', 'str' (string or whole template), 'rx' regex, 'p' punctuator. */
  kind: 'id' | 'num' | 'str' | 'rx' | 'p';
  text: string;
  start: number;
  end: number;
  depth: number;
}

/** Splits code into tokens with their brace depth; null when a string, template, regex or comment is malformed. */
export function scan(code: string): Token[] | null {
  const out: Token[] = [];
  // Brace stack: '{' for blocks and literals, '`' for a template's ${ ... }.
  const stack: string[] = [];
  let i = 0;
  const n = code.length;
  const prev = () => out[out.length - 1];
  const regexAllowed = () => {
    const p = prev();
    if (!p) return true;
    if (p.kind === 'num' || p.kind === 'str' || p.kind === 'rx') return false;
    if (p.kind === 'id') return KEYWORDS_BEFORE_EXPR.has(p.text);
    return !(p.text === ')' || p.text === ']' || p.text === '}');
  };
  // Scans a template from i (just after a backtick or a closing `}` of ${ }); returns false on EOF.
  const template = (): boolean => {
    while (i < n) {
      const c = code[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        return true;
      } else if (c === '$' && code[i + 1] === '{') {
        i += 2;
        stack.push('`');
        return true;
      } else i++;
    }
    return false;
  };
  while (i < n) {
    const c = code[i];
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff' || c === '\u2028' || c === '\u2029') {
      i++;
      continue;
    }
    if (c === '/' && code[i + 1] === '/') {
      while (i < n && code[i] !== '\n' && code[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && code[i + 1] === '*') {
      const e = code.indexOf('*/', i + 2);
      if (e < 0) return null;
      i = e + 2;
      continue;
    }
    const depth = stack.length;
    if (c === '"' || c === "'") {
      i++;
      while (i < n && code[i] !== c) {
        if (code[i] === '\n' || code[i] === '\r') return null;
        i += code[i] === '\\' ? 2 : 1;
      }
      if (i >= n) return null;
      i++;
      out.push({ kind: 'str', text: code.slice(start, i), start, end: i, depth });
      continue;
    }
    if (c === '`') {
      i++;
      if (!template()) return null;
      out.push({ kind: 'str', text: '`', start, end: i, depth });
      continue;
    }
    if (c === '/' && regexAllowed()) {
      i++;
      let cls = false;
      while (i < n) {
        const d = code[i];
        if (d === '\n' || d === '\r') return null;
        if (d === '\\') i += 2;
        else {
          i++;
          if (d === '[') cls = true;
          else if (d === ']') cls = false;
          else if (d === '/' && !cls) break;
        }
      }
      while (i < n && /[a-z]/i.test(code[i])) i++;
      out.push({ kind: 'rx', text: code.slice(start, i), start, end: i, depth });
      continue;
    }
    if (/[A-Za-z_$\\]/.test(c) || c > '\u007f') {
      while (i < n && (/[\w$\\]/.test(code[i]) || code[i] > '\u007f')) i++;
      out.push({ kind: 'id', text: code.slice(start, i), start, end: i, depth });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(code[i + 1] ?? ''))) {
      while (i < n && /[\w.]/.test(code[i])) i++;
      out.push({ kind: 'num', text: code.slice(start, i), start, end: i, depth });
      continue;
    }
    if (c === '{') stack.push('{');
    else if (c === '}') {
      const top = stack.pop();
      if (top === undefined) return null;
      if (top === '`') {
        // Back inside a template literal.
        i++;
        if (!template()) return null;
        out.push({ kind: 'str', text: '`', start, end: i, depth: stack.length });
        continue;
      }
    }
    i++;
    out.push({ kind: 'p', text: c, start, end: i, depth: c === '}' ? stack.length : depth });
  }
  return stack.length ? null : out;
}

/** The function source for an ES module, or null when it must run as a real module. */
export function wrapModule(code: string): string | null {
  const toks = scan(code);
  if (!toks) return null;
  const edits: { start: number; end: number; text: string }[] = [];
  let defaultName: string | null = null;
  let needVar = false;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind !== 'id' || (t.text !== 'import' && t.text !== 'export')) continue;
    const before = toks[k - 1];
    if (before && before.kind === 'p' && before.text === '.') continue; // a property: obj.export
    if (toks[k + 1]?.text === ':') continue; // a key: { export: 1 }
    if (t.text === 'import') return null; // static or dynamic import, import.meta: run as a module
    // Deeper, it is a method name (or invalid code, which then fails to compile as a function).
    if (t.depth !== 0) continue;
    const a = toks[k + 1];
    const b = toks[k + 2];
    const c = toks[k + 3];
    if (!a) return null;
    if (a.text === 'default') {
      const isAsyncFn = b?.text === 'async' && c?.text === 'function';
      const fnTok = isAsyncFn ? c : b;
      if (fnTok?.text === 'function' || fnTok?.text === 'class') {
        // A declaration keeps hoisting; an anonymous one gets a name.
        let nameIdx = toks.indexOf(fnTok) + 1;
        if (toks[nameIdx]?.text === '*') nameIdx++;
        const nameTok = toks[nameIdx];
        if (!nameTok) return null;
        edits.push({ start: t.start, end: a.end, text: '' });
        if (nameTok.kind === 'id' && nameTok.text !== 'extends') defaultName = nameTok.text;
        else {
          defaultName = DEFAULT;
          edits.push({ start: toks[nameIdx - 1].end, end: toks[nameIdx - 1].end, text: ` ${DEFAULT}` });
        }
      } else {
        edits.push({ start: t.start, end: a.end, text: `${DEFAULT} =` });
        defaultName = DEFAULT;
        needVar = true;
      }
      continue;
    }
    if (a.text === '{') {
      // export { a, b as default }: names stay local; `as default` feeds the default export.
      let j = k + 2;
      const names: string[] = [];
      while (toks[j] && toks[j].text !== '}') names.push(toks[j++].text);
      const close = toks[j];
      if (!close) return null;
      if (toks[j + 1]?.text === 'from') return null;
      for (let m = 0; m < names.length; m++) {
        if (names[m] === 'as' && names[m + 1] === 'default') defaultName = names[m - 1];
      }
      const semi = toks[j + 1]?.text === ';' ? toks[j + 1] : close;
      edits.push({ start: t.start, end: semi.end, text: '' });
      continue;
    }
    if (a.text === '*') return null; // export * from '...'
    if (['const', 'let', 'var', 'function', 'class', 'async'].includes(a.text)) {
      edits.push({ start: t.start, end: a.start, text: '' });
      continue;
    }
    return null;
  }
  let body = code;
  for (const e of edits.sort((x, y) => y.start - x.start)) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  const ret = defaultName ? `{ default: ${defaultName} }` : '{}';
  // The opening shares the code's first line, so line numbers in errors stay true.
  return `async function () { "use strict"; ${needVar ? `var ${DEFAULT}; ` : ''}${body}\n;return ${ret};}`;
}

/** A classic script as a function: its top level runs on each call, with `this` the global object. */
export function wrapClassic(code: string): string {
  return `function () { ${code}\n}`;
}
