// Posts live in fazt's document store (fazt.app.ds). Visitors read them over
// /api/posts; writing goes through the app's tools (posts.create, posts.update,
// posts.delete), which only callers with write access to this app may use.

const MAX_TITLE = 200;
const MAX_BODY = 100000;

function cleanPost(args) {
  const title = typeof args.title === 'string' ? args.title.trim() : '';
  const body = typeof args.body === 'string' ? args.body : '';
  if (!title) throw new Error('title is required');
  if (title.length > MAX_TITLE) throw new Error('title is longer than ' + MAX_TITLE + ' characters');
  if (!body.trim()) throw new Error('body is required');
  if (body.length > MAX_BODY) throw new Error('body is longer than ' + MAX_BODY + ' characters');
  return { title, body };
}

function summary(post) {
  const text = post.body.replace(/\s+/g, ' ').trim();
  return { id: post.id, title: post.title, excerpt: text.length > 180 ? text.slice(0, 177) + '…' : text, createdAt: post.createdAt };
}

fazt.mcp.tool('posts.create', {
  description: 'Publish a new blog post. The body is plain text; blank lines separate paragraphs.',
  input: { title: 'string', body: 'string' },
  handler: async (args) => {
    const post = fazt.app.ds.insert('posts', { ...cleanPost(args), createdAt: new Date().toISOString() });
    fazt.log.info('post created', { id: post.id });
    return { id: post.id, url: '/post.html?id=' + encodeURIComponent(post.id) };
  },
});

fazt.mcp.tool('posts.list', {
  description: 'List blog posts, newest first, with a short excerpt of each.',
  input: { limit: 'number?' },
  readOnly: true,
  handler: async (args) => fazt.app.ds.find('posts', {}, { sort: { createdAt: -1 }, limit: Math.min(args.limit || 20, 100) }).map(summary),
});

fazt.mcp.tool('posts.update', {
  description: 'Replace the title and body of an existing post.',
  input: { id: 'string', title: 'string', body: 'string' },
  handler: async (args) => {
    const changes = cleanPost(args);
    const n = fazt.app.ds.update('posts', { id: args.id }, { ...changes, updatedAt: new Date().toISOString() });
    if (!n) throw new Error('no post ' + args.id);
    return { id: args.id, updated: true };
  },
});

fazt.mcp.tool('posts.delete', {
  description: 'Delete a post for good.',
  input: { id: 'string' },
  destructive: true,
  handler: async (args) => ({ deleted: fazt.app.ds.delete('posts', { id: args.id }) }),
});

fazt.mcp.resource('posts://{id}', {
  description: 'One blog post, whole',
  handler: async (uri, params) => fazt.app.ds.findOne('posts', { id: params.id }),
});

export default async function (request) {
  if (request.method !== 'GET') return { status: 405, body: { error: 'posts are written through the app tools' }, headers: { allow: 'GET' } };
  if (request.path === '/api/posts') {
    const limit = Math.min(Number(request.query.limit) || 20, 100);
    const posts = fazt.app.ds.find('posts', {}, { sort: { createdAt: -1 }, limit });
    return { status: 200, body: { title: fazt.app.env.TITLE, posts: posts.map(summary) } };
  }
  const m = /^\/api\/posts\/([^/]+)$/.exec(request.path);
  if (m) {
    const post = fazt.app.ds.findOne('posts', { id: decodeURIComponent(m[1]) });
    return post ? { status: 200, body: post } : { status: 404, body: { error: 'no such post' } };
  }
  return { status: 404, body: { error: 'not found' } };
}
