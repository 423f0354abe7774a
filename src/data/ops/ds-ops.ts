import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { valueInputBytes } from '../limits.js';
import { appField, collectionField, jsonObject, READ_CAPS, scopeFor, userField, WRITE_CAPS } from './common.js';

const QUERY_HELP =
  'Mongo-style filter: {"status": "published"}, {"views": {"$gt": 10}}, {"author.name": "ana"}, {"$or": [{"a": 1}, {"b": 2}]}. Operators: $eq $ne $gt $gte $lt $lte $in $nin $exists $and $or.';
const docSchema = z.record(z.string(), z.unknown());

export const dsQuery = defineOp({
  name: 'storage.ds.query',
  title: 'Query documents',
  description: `Finds documents in one collection of an app's document store (what the app stores with fazt.app.ds). ${QUERY_HELP} Returns the page of documents and the total number matching.`,
  input: z.object({
    app: appField,
    collection: collectionField,
    query: jsonObject.default({}).describe(QUERY_HELP),
    sort: z.record(z.string(), z.union([z.literal(1), z.literal(-1), z.enum(['asc', 'desc'])])).optional().describe('e.g. {"createdAt": -1}'),
    limit: z.number().int().min(1).max(1000).default(100).describe('Page size (1-1000)'),
    skip: z.number().int().min(0).default(0).describe('Documents to skip, for paging'),
    user: userField,
  }),
  output: z.object({ docs: z.array(docSchema), total: z.number().int() }),
  requires: READ_CAPS,
  risk: 'read',
  idempotent: true,
  cli: { command: ['storage', 'ds', 'query'], positional: ['app', 'collection'] },
  handler: ({ kernel }, input) => {
    const ds = kernel.services.storage.ds;
    const scope = scopeFor(kernel, input);
    const docs = ds.find(scope, input.collection, input.query, { sort: input.sort, limit: input.limit, skip: input.skip });
    return { docs, total: ds.count(scope, input.collection, input.query) };
  },
});

export const dsCollections = defineOp({
  name: 'storage.ds.collections',
  title: 'List collections',
  description: "Lists the collections in an app's document store with how many documents each holds. Use it before storage_ds_query to learn what exists.",
  input: z.object({ app: appField, user: userField }),
  output: z.object({ collections: z.array(z.object({ name: z.string(), count: z.number().int() })) }),
  requires: READ_CAPS,
  risk: 'read',
  idempotent: true,
  cli: { command: ['storage', 'ds', 'collections'], positional: ['app'] },
  handler: ({ kernel }, input) => ({ collections: kernel.services.storage.ds.collections(scopeFor(kernel, input)) }),
});

export const dsInsert = defineOp({
  name: 'storage.ds.insert',
  title: 'Insert a document',
  description:
    "Adds one JSON document to a collection of an app's document store. An id is generated unless the document has a string `id`; a duplicate id is a conflict. Returns the stored document.",
  input: z.object({ app: appField, collection: collectionField, doc: jsonObject.describe('The document, a JSON object'), user: userField }),
  output: z.object({ doc: docSchema }),
  requires: WRITE_CAPS,
  risk: 'write',
  maxInputBytes: valueInputBytes,
  cli: { command: ['storage', 'ds', 'insert'], positional: ['app', 'collection', 'doc'] },
  handler: ({ kernel }, input) => ({ doc: kernel.services.storage.ds.insert(scopeFor(kernel, input), input.collection, input.doc) }),
});

export const dsUpdate = defineOp({
  name: 'storage.ds.update',
  title: 'Update documents',
  description: `Changes every document in a collection that matches a query. changes is either fields to merge into the top level ({"status": "draft"}) or operators: {"$set": {"author.name": "x"}, "$unset": {"tmp": true}, "$inc": {"views": 1}}. The id cannot change. ${QUERY_HELP} Returns how many documents changed.`,
  input: z.object({
    app: appField,
    collection: collectionField,
    query: jsonObject.describe(QUERY_HELP),
    changes: jsonObject.describe('Fields to merge, or $set / $unset / $inc'),
    user: userField,
  }),
  output: z.object({ updated: z.number().int() }),
  requires: WRITE_CAPS,
  risk: 'write',
  maxInputBytes: valueInputBytes,
  cli: { command: ['storage', 'ds', 'update'], positional: ['app', 'collection'] },
  handler: ({ kernel }, input) => ({
    updated: kernel.services.storage.ds.update(scopeFor(kernel, input), input.collection, input.query, input.changes),
  }),
});

export const dsDelete = defineOp({
  name: 'storage.ds.delete',
  title: 'Delete documents',
  description: `Deletes every document in a collection that matches a query. An empty query deletes nothing unless all=true. Deleted documents cannot be recovered, so a model's call waits for the owner's approval. ${QUERY_HELP}`,
  input: z.object({
    app: appField,
    collection: collectionField,
    query: jsonObject.describe(QUERY_HELP),
    all: z.boolean().default(false).describe('Required to delete every document of the collection with an empty query'),
    user: userField,
  }),
  output: z.object({ deleted: z.number().int() }),
  requires: WRITE_CAPS,
  risk: 'destructive',
  describeHalt: (input, kernel) => {
    const app = kernel.services.apps.find(input.app);
    const what = Object.keys(input.query).length ? `documents matching ${JSON.stringify(input.query).slice(0, 200)}` : 'EVERY document';
    return `Delete ${what} from collection '${input.collection}' of app '${app?.slug ?? input.app}'.`;
  },
  cli: { command: ['storage', 'ds', 'delete'], positional: ['app', 'collection'] },
  handler: ({ kernel }, input) => {
    if (!Object.keys(input.query).length && !input.all) {
      throw new OpError('BAD_INPUT', 'The query is empty, which would delete every document of the collection; pass all=true if you mean it.', {
        fields: [{ path: 'query', message: 'empty query needs all=true' }],
      });
    }
    return { deleted: kernel.services.storage.ds.delete(scopeFor(kernel, input), input.collection, input.query) };
  },
});

export const dsOps = [dsQuery, dsCollections, dsInsert, dsUpdate, dsDelete];
