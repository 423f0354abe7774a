import { Engine, pagesFor } from './engine.js';

/** Engines a thread keeps at most before app versions start sharing them. */
export const MAX_ENGINES_PER_THREAD = 4;

/**
 * The engines of one thread, lent to app pools and deploy checks.
 *
 * Every engine is a WebAssembly memory, and V8 reserves about 10 GiB of
 * address space for each one whatever its size, released only when the
 * garbage collector gets to it. Creating an engine per app version (and per
 * deploy check) therefore runs out of address space: V8's own limit is about
 * a hundred memories per process, a process under `ulimit -v` hits it after a
 * few. So engines are recycled: an engine nobody uses goes back here and the
 * next app version takes it (its runtimes are gone; what it left in freed heap
 * is not reachable from JavaScript). Up to the cap, each app version has an
 * engine of its own, so a memory bomb only takes its own down; past the cap,
 * or when the system refuses another memory, versions share the least-used
 * engine instead of failing.
 */
export class EngineCache {
  private readonly engines: Engine[] = [];
  private readonly creating = new Set<Promise<Engine>>();

  constructor(private readonly max = MAX_ENGINES_PER_THREAD) {}

  /** How many engines this thread holds (retired ones still in use included). */
  get size(): number {
    return this.engines.length;
  }

  async acquire(memoryMb: number, owner: string): Promise<Engine> {
    const pages = pagesFor(memoryMb);
    for (;;) {
      const sound = this.engines.filter((e) => !e.poisoned);
      const idle = sound.filter((e) => e.users === 0 && e.maxPages >= pages);
      const reuse = idle.find((e) => e.owner === owner) ?? idle.find((e) => e.maxPages === pages) ?? idle[0];
      if (reuse) return this.lend(reuse, owner);
      if (sound.length + this.creating.size < this.max) {
        try {
          return this.lend(await this.create(memoryMb), owner);
        } catch (err) {
          // The system would not reserve another memory: share one below, or report it.
          if (!(err instanceof RangeError) || !(this.engines.some((e) => !e.poisoned) || this.creating.size)) throw err;
        }
      }
      const shared = this.leastUsed(pages);
      if (shared) return this.lend(shared, owner);
      if (!this.creating.size) return this.lend(await this.create(memoryMb), owner);
      // At the cap with every engine still being made: wait for them, then share the least used.
      await Promise.allSettled(this.creating);
    }
  }

  private async create(memoryMb: number): Promise<Engine> {
    const making = Engine.create(memoryMb);
    this.creating.add(making);
    try {
      const engine = await making;
      this.engines.push(engine);
      return engine;
    } finally {
      this.creating.delete(making);
    }
  }

  /** Gives an engine back; a retired one is forgotten once its last user is done. */
  release(engine: Engine): void {
    engine.users = Math.max(0, engine.users - 1);
    if (engine.poisoned && engine.users === 0) {
      const i = this.engines.indexOf(engine);
      if (i >= 0) this.engines.splice(i, 1);
    }
  }

  private lend(engine: Engine, owner: string): Engine {
    engine.users++;
    engine.owner = owner;
    return engine;
  }

  private leastUsed(pages: number): Engine | undefined {
    const sound = this.engines.filter((e) => !e.poisoned).sort((a, b) => a.users - b.users);
    return sound.find((e) => e.maxPages >= pages) ?? sound[0];
  }
}

/** This thread's engines (the main thread and each sandbox worker have their own). */
export const threadEngines = new EngineCache();
