// A tiny blog: posts live in fazt's document store. The same handlers serve
// the web page (/api/posts) and AI clients (the posts.* tools and posts:// resource).

fazt.mcp.tool('posts.create', {
  description: 'Create a new blog post',
  input: { title: 'string', body: 'string' },
  handler: async (args) => {
    const post = fazt.app.ds.insert('posts', { title: args.title, body: args.body, createdAt: new Date().toISOString() });
    fazt.events.emit('app:' + fazt.app.slug + '.post.created', { id: post.id });
    return { id: post.id };
  },
});

fazt.mcp.tool('posts.list', {
  description: 'List all blog posts, newest first',
  input: { limit: 'number?' },
  readOnly: true,
  handler: async (args) => fazt.app.ds.find('posts', {}, { sort: { createdAt: -1 }, limit: args.limit || 10 }),
});

fazt.mcp.resource('posts://{id}', {
  description: 'Get a specific blog post',
  handler: async (uri, params) => fazt.app.ds.findOne('posts', { id: params.id }),
});

export default async function (request) {
  if (request.path === '/api/posts' && request.method === 'GET') {
    const limit = Math.min(Number(request.query.limit) || 20, 100);
    const posts = fazt.app.ds.find('posts', {}, { sort: { createdAt: -1 }, limit });
    return { status: 200, body: { title: fazt.app.env.TITLE, posts } };
  }
  if (request.path === '/api/posts' && request.method === 'POST') {
    const { title, body } = request.body || {};
    if (typeof title !== 'string' || !title.trim() || typeof body !== 'string') {
      return { status: 400, body: { error: 'title and body are required' } };
    }
    const post = fazt.app.ds.insert('posts', { title: title.trim(), body, createdAt: new Date().toISOString() });
    fazt.log.info('post created', { id: post.id });
    return { status: 201, body: post };
  }
  const m = /^\/api\/posts\/([^/]+)$/.exec(request.path);
  if (m && request.method === 'GET') {
    const post = fazt.app.ds.findOne('posts', { id: m[1] });
    return post ? { status: 200, body: post } : { status: 404, body: { error: 'no such post' } };
  }
  return { status: 404, body: { error: 'not found' } };
}
