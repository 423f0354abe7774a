/**
 * Services modules put on the kernel. Each module adds its own field by
 * declaration merging in its own file, so the kernel stays one typed object.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}
