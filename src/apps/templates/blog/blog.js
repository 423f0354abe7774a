// Rendering with textContent only: post text is never parsed as HTML.
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function dateOf(iso) {
  const t = el('time', { datetime: iso });
  t.textContent = new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
  return t;
}

async function listPosts(target) {
  try {
    const res = await fetch('/api/posts');
    if (!res.ok) throw new Error(res.status);
    const data = await res.json();
    if (!data.posts.length) {
      target.replaceChildren(el('p', { class: 'muted' }, 'No posts yet.'));
    } else {
      target.replaceChildren(...data.posts.map((p) => {
        const a = el('article', { class: 'card' });
        const h = el('h3');
        h.append(el('a', { href: 'post.html?id=' + encodeURIComponent(p.id) }, p.title));
        a.append(h, dateOf(p.createdAt), el('p', {}, p.excerpt));
        return a;
      }));
    }
  } catch (err) {
    target.replaceChildren(el('p', { role: 'alert' }, 'Posts could not be loaded.'));
  }
  target.setAttribute('aria-busy', 'false');
}

async function showPost(target, id) {
  const res = id ? await fetch('/api/posts/' + encodeURIComponent(id)) : null;
  if (!res || !res.ok) {
    target.replaceChildren(el('h1', {}, 'Post not found'), el('p', {}, 'It may have been removed.'));
  } else {
    const post = await res.json();
    document.title = post.title + ' — ' + document.title;
    const paragraphs = post.body.split(/\n\s*\n/).map((t) => el('p', {}, t.trim()));
    target.replaceChildren(el('h1', {}, post.title), dateOf(post.createdAt), ...paragraphs);
  }
  target.setAttribute('aria-busy', 'false');
}
