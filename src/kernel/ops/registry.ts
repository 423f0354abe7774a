import type { AnyOp } from './define.js';

/** Every operation, defined once. Surfaces enumerate this; nothing is hand-listed. */
export class Registry {
  private readonly ops = new Map<string, AnyOp>();

  add(op: AnyOp): void {
    if (this.ops.has(op.name)) throw new Error(`duplicate op name '${op.name}'`);
    this.ops.set(op.name, op);
  }

  get(name: string): AnyOp | undefined {
    return this.ops.get(name);
  }

  list(): AnyOp[] {
    return [...this.ops.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get size(): number {
    return this.ops.size;
  }
}
