import { h } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import htm from 'htm';
import { op } from './api.js';

export const html = htm.bind(h);

/** Runs an op when `key` changes; { data, error, loading, reload }. */
export function useOp(name, input = {}, key = '') {
  const [state, setState] = useState({ loading: true });
  const load = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    return op(name, input).then(
      (data) => setState({ data, loading: false }),
      (error) => setState({ error, loading: false }),
    );
  }, [name, key]);
  useEffect(() => {
    load();
  }, [load]);
  return { ...state, reload: load };
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${error.message}</p>`;
}

export function Loading({ what }) {
  return html`<p class="muted" aria-live="polite">Loading ${what}…</p>`;
}

export function When({ at }) {
  if (!at) return html`<span class="muted">—</span>`;
  const d = new Date(at);
  return html`<time datetime=${at} title=${d.toISOString()}>${ago(d)}</time>`;
}

export function ago(d) {
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  const abs = Math.abs(s);
  const fmt = abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : abs < 86400 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86400)} d`;
  return s >= 0 ? `${fmt} ago` : `in ${fmt}`;
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** A button that runs an async action, disabled while it runs, showing what went wrong. */
export function Action({ run, children, kind = '', label, confirm: question }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const click = async () => {
    if (question && !window.confirm(question)) return;
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<span>
    <button type="button" class=${kind} onClick=${click} disabled=${busy} aria-label=${label}>${children}</button>
    ${error && html` <span class="error small" role="alert">${error.message}</span>`}
  </span>`;
}
