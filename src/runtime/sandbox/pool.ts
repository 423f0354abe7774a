import { Engine } from './engine.js';
import { Slot, type AppCode, type HostCall } from './slot.js';

/**
 * Warm slots for one app version. A slot serves one invocation and is thrown
 * away (see Slot); the pool keeps `size` of them built ahead, refilling after
 * each use once the response is on its way, so a request finds the app's code
 * already evaluated. A retired engine (memory exhausted) is replaced, with its
 * warm slots, on the next use.
 */
export class AppPool {
  private engine: Promise<Engine> | null = null;
  private ready: Slot[] = [];
  private refilling = false;
  private disposed = false;
  lastUsed = Date.now();

  constructor(
    readonly spec: AppCode,
    private readonly host: HostCall,
    private readonly size = 2,
  ) {}

  /** A slot with the code evaluated, ready for one invocation. */
  async take(): Promise<Slot> {
    this.lastUsed = Date.now();
    const engine = await this.currentEngine();
    const slot = this.ready.pop();
    this.refillSoon();
    return slot ?? Slot.create(engine, this.spec, this.host);
  }

  /** A fresh slot outside the pool (deploy-time checks). */
  async fresh(): Promise<Slot> {
    return Slot.create(await this.currentEngine(), this.spec, this.host);
  }

  private async currentEngine(): Promise<Engine> {
    if (this.engine) {
      const e = await this.engine.catch(() => null);
      if (e && !e.poisoned) return e;
      for (const s of this.ready.splice(0)) s.dispose();
    }
    this.engine = Engine.create(this.spec.limits.memoryMb);
    return this.engine;
  }

  private refillSoon(): void {
    if (this.refilling || this.disposed || this.ready.length >= this.size) return;
    this.refilling = true;
    setImmediate(async () => {
      try {
        while (!this.disposed && this.ready.length < this.size) {
          const engine = await this.currentEngine();
          this.ready.push(await Slot.create(engine, this.spec, this.host));
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
  }
}
