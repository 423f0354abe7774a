import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { appRef, appSchema } from '../schemas.js';

const fileInput = z.object({
  path: z.string().min(1).max(2048).describe("Path inside the app, forward slashes, e.g. 'index.html' or 'assets/app.js'"),
  content: z.string().describe('File content: text as is, or base64 when encoding is base64'),
  encoding: z.enum(['utf8', 'base64']).default('utf8').describe("'utf8' for text (default), 'base64' for binary files"),
});

const versionSchema = z.object({
  version: z.number().int(),
  status: z.enum(['pending', 'ready', 'failed']),
  active: z.boolean(),
  fileCount: z.number().int(),
  totalBytes: z.number().int(),
  message: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

export const deploy = defineOp({
  name: 'deploy',
  title: 'Deploy files',
  description:
    "Uploads a complete set of files as a new version of an app and makes it live at once; the app is created if it does not exist (the slug is taken from 'app'). " +
    "Send every file of the site, not a diff: files left out are not in the new version. Special files: manifest.json ({\"name\": ..., \"spa\": true} for single-page apps), " +
    "api/main.js (server code for /api/*), private/** (never served publicly). Returns the new version number and the URL. Use deploy.rollback to undo.",
  input: z.object({
    app: appRef.describe('App slug (created if new: 1-63 of [a-z0-9-]) or id'),
    files: z.array(fileInput).min(1).describe('Every file of the new version'),
    message: z.string().max(500).optional().describe('A note kept with the version, like a commit message'),
  }),
  output: z.object({
    app: appSchema,
    version: z.number().int(),
    url: z.string(),
    fileCount: z.number().int(),
    totalBytes: z.number().int(),
    newBytes: z.number().int().describe('Bytes of content not stored before (unchanged files are shared)'),
    created: z.boolean().describe('True when this deploy created the app'),
    notices: z.array(z.string()).describe('Things to act on, such as event subscriptions waiting for the owner to allow them'),
  }),
  requires: ['kernel:apps:write', 'app:{app}:write'],
  risk: 'write',
  // Whole sites in one call: the server's --max-upload, not the small default.
  maxInputBytes: (config) => config.maxUploadBytes,
  cli: { command: ['deploy', 'files'], positional: ['app'] },
  longRunning: true,
  handler: async ({ kernel, caller, progress, signal }, input) => {
    const r = await kernel.services.deploys.deploy(input.app, input.files, {
      message: input.message,
      createdBy: caller.name,
      progress,
      signal,
    });
    return { ...r, url: r.app.url };
  },
});

export const deployStatus = defineOp({
  name: 'deploy.status',
  title: 'Deploy status',
  description: 'Shows what an app is serving now: active version, its file count and size, when and by whom it was deployed, and the latest deploy attempt if it failed.',
  input: z.object({ app: appRef }),
  output: z.object({
    app: appSchema,
    activeVersion: z.number().int().nullable(),
    active: versionSchema.nullable(),
    latest: versionSchema.nullable(),
    versionCount: z.number().int(),
    spa: z.boolean(),
  }),
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['deploy', 'status'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const { app, versions } = kernel.services.deploys.versions(input.app);
    const active = versions.find((v) => v.active) ?? null;
    return {
      app,
      activeVersion: app.activeVersion,
      active,
      latest: versions[0] ?? null,
      versionCount: versions.length,
      spa: kernel.services.files.activeManifest(app.id).spa === true,
    };
  },
});

export const deployVersions = defineOp({
  name: 'deploy.versions',
  title: 'List versions',
  description: 'Lists every version of an app, newest first, with status (ready, failed), which one is active, size and message. Any ready version can be made live with deploy.rollback.',
  input: z.object({ app: appRef }),
  output: z.object({ app: z.string(), activeVersion: z.number().int().nullable(), versions: z.array(versionSchema) }),
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['deploy', 'versions'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const { app, versions } = kernel.services.deploys.versions(input.app);
    return { app: app.slug, activeVersion: app.activeVersion, versions };
  },
});

export const deployRollback = defineOp({
  name: 'deploy.rollback',
  title: 'Roll back',
  description:
    'Makes an earlier version of an app live again: the version given, or by default the newest ready version before the active one. Instant whatever the size of the app; nothing is deleted, so it can be undone by rolling forward.',
  input: z.object({
    app: appRef,
    version: z.number().int().positive().optional().describe('Version to make live (default: the one before the active version)'),
  }),
  output: z.object({ app: appSchema, version: z.number().int(), previousVersion: z.number().int().nullable(), url: z.string() }),
  requires: ['kernel:apps:write', 'app:{app}:write'],
  risk: 'write',
  cli: { command: ['deploy', 'rollback'], positional: ['app', 'version'] },
  handler: ({ kernel }, input) => {
    const r = kernel.services.deploys.rollback(input.app, input.version);
    return { ...r, url: r.app.url };
  },
});

export const deployOps = [deploy, deployStatus, deployVersions, deployRollback];
