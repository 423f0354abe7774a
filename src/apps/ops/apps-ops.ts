import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { appRef, appSchema } from '../schemas.js';
import { listTemplates, templateFiles } from '../templates.js';

export const appsList = defineOp({
  name: 'apps.list',
  title: 'List apps',
  description: 'Lists every app on this server with its id, slug, URL and active version. Use it to find the id or slug other tools need.',
  input: z.object({ includeSystem: z.boolean().default(false).describe('Also list the system apps admin, root and 404') }),
  output: z.object({ apps: z.array(appSchema) }),
  requires: 'kernel:apps:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'list'] },
  handler: ({ kernel }, input) => ({ apps: kernel.services.apps.list(input.includeSystem) }),
});

export const appsGet = defineOp({
  name: 'apps.get',
  title: 'Get app',
  description: 'Returns one app by id or slug: URL, active version, timestamps, custom domains with their certificate state.',
  input: z.object({ id: appRef }),
  output: appSchema,
  requires: ['kernel:apps:read', 'app:{id}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'info'], positional: ['id'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.id);
    return { ...app, domains: kernel.services.domains.list(app.id) };
  },
});

export const appsCreate = defineOp({
  name: 'apps.create',
  title: 'Create app',
  description:
    'Creates an app. The slug (derived from the name if omitted) becomes its host name: <slug>.<domain>. ' +
    'Without a template it is empty (deploy files to it with deploy); with one (see apps.templates: blog, portfolio, landing, links) it is live at once as version 1.',
  input: z.object({
    name: z.string().min(1).max(100).describe('Display name'),
    slug: z.string().optional().describe('Host name part: 1-63 of [a-z0-9-]'),
    template: z.string().min(1).max(50).optional().describe('Start from a built-in template (apps.templates lists them)'),
  }),
  output: appSchema,
  requires: 'kernel:apps:write',
  risk: 'write',
  cli: { command: ['apps', 'create'], positional: ['name'] },
  handler: async ({ kernel, progress, signal }, input) => {
    // Read the template first: an unknown one creates nothing.
    const files = input.template === undefined ? undefined : templateFiles(input.template, input.name);
    const app = kernel.services.apps.create(input.name, input.slug);
    if (!files) return app;
    try {
      const r = await kernel.services.deploys.deploy(app.id, files, { createdBy: 'template', message: `template ${input.template}`, progress, signal });
      return r.app;
    } catch (err) {
      kernel.services.apps.delete(app.id);
      throw err;
    }
  },
});

export const appsTemplates = defineOp({
  name: 'apps.templates',
  title: 'List app templates',
  description: 'Lists the built-in templates apps.create can start from: a small finished site each (the blog also has an API and tools for writing posts).',
  input: z.object({}),
  output: z.object({ templates: z.array(z.object({ name: z.string(), description: z.string(), files: z.number().int(), api: z.boolean() })) }),
  requires: 'kernel:apps:read',
  risk: 'read',
  idempotent: true,
  handler: () => ({ templates: listTemplates() }),
});

export const appsDelete = defineOp({
  name: 'apps.delete',
  title: 'Delete app',
  description: 'Deletes an app with all its versions, files and data. Cannot be undone; a model calling it needs the owner to approve.',
  input: z.object({ id: appRef }),
  output: z.object({ deleted: z.literal(true), id: z.string(), slug: z.string() }),
  requires: 'kernel:apps:write',
  risk: 'destructive',
  describeHalt: (input, kernel) => {
    const app = kernel.services.apps.find(input.id);
    return app ? `Delete app '${app.slug}' (${app.id}) with all its versions, files and data.` : `Delete app '${input.id}'.`;
  },
  cli: { command: ['apps', 'remove'], positional: ['id'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.delete(input.id);
    return { deleted: true as const, id: app.id, slug: app.slug };
  },
});

export const appsOps = [appsList, appsGet, appsCreate, appsDelete, appsTemplates];
