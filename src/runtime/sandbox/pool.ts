import type { Engine } from './engine.js';
import { threadEngines } from './engine-cache.js';
import { Slot, type AppCode, type HostCall } from './slot.js';

/** Idle contexts kept per app version; more are built while requests overlap, then freed. */
const MAX_IDLE = 4;

/**
 * Warm slots for one app version. A reusable slot (see Slot) goes back here
 * after each clean invocation, so a request pays for a function call, not for
 * building a context; when the last idle slot is taken, a spare is built in
 * the background for the next overlapping request. Slots that serve one
 * invocation only are thrown away and replaced ahead of time. A retired engine
 * (memory exhausted) is replaced, with its warm slots, on the next use.
 */
export class AppPool {
  private engine: Promise<Engine> | null = null;
  private live: Engine | null = null;
  private ready: Slot[] = [];
  private refilling = false;
  private disposed = false;
  lastUsed = Date.now();

  constructor(
    readonly spec: AppCode,
    private readonly host: HostCall,
    private readonly size = 2,
  ) {}

  /** A slot with the code compiled, ready for one invocation. */
  async take(): Promise<Slot> {
    this.lastUsed = Date.now();
    const engine = await this.currentEngine();
    const slot = this.ready.pop();
    if (!this.ready.length) this.refillSoon();
    return slot ?? this.build(engine);
  }

  /** A fresh slot outside the pool (deploy-time checks). */
  async fresh(): Promise<Slot> {
    return Slot.create(await this.currentEngine(), this.spec, this.host);
  }

  private build(engine: Engine): Promise<Slot> {
    return Slot.create(engine, this.spec, this.host, this.release);
  }

  private readonly release = (slot: Slot): void => {
    if (this.disposed || slot.engine !== this.live || slot.engine.poisoned || this.ready.length >= MAX_IDLE) slot.dispose();
    else this.ready.push(slot);
  };

  private async currentEngine(): Promise<Engine> {
    for (;;) {
      const pending = this.engine;
      if (pending) {
        const e = await pending.catch(() => null);
        if (e && !e.poisoned) return e;
        // Another caller replaced it while this one waited: use theirs.
        if (this.engine !== pending) continue;
        for (const s of this.ready.splice(0)) s.dispose();
        this.giveBack();
      }
      const next = threadEngines.acquire(this.spec.limits.memoryMb, this.spec.app.id);
      this.engine = next;
      const got = await next;
      // Disposed while waiting: nobody else will give it back.
      if (this.disposed) threadEngines.release(got);
      else this.live = got;
      return got;
    }
  }

  /** Returns the engine this pool holds to the thread's cache. */
  private giveBack(): void {
    if (this.live) threadEngines.release(this.live);
    this.live = null;
  }

  /** Builds slots in the background: one spare for reusable code, `size` for code used once per slot. */
  private refillSoon(): void {
    if (this.refilling || this.disposed || this.ready.length >= this.size) return;
    this.refilling = true;
    setImmediate(async () => {
      try {
        while (!this.disposed && this.ready.length < this.size) {
          const slot = await this.build(await this.currentEngine());
          this.ready.push(slot);
          if (slot.reusable) break;
        }
      } catch {
        // Code that fails to load fails again on the request, which reports it.
      } finally {
        this.refilling = false;
        if (this.disposed) this.dispose();
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.ready.splice(0)) s.dispose();
    this.giveBack();
  }
}
