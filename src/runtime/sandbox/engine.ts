import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';

/** Room above an invocation's heap for the runtimes of warm contexts and in-flight requests. */
const HEADROOM_MB = 32;

/**
 * One QuickJS WebAssembly instance with its own linear memory, capped in size.
 * Each app version gets its own engine: QuickJS's heap limit does not count
 * every allocation (ArrayBuffers, long strings), so the hard wall is the WASM
 * memory maximum — and a bomb can only exhaust its own app's engine, which is
 * then thrown away and rebuilt.
 */
export class Engine {
  /** Set when the engine must not be used again (memory exhausted, a runtime failed to free). */
  poisoned = false;

  private constructor(
    readonly module: QuickJSWASMModule,
    readonly memory: { readonly buffer: ArrayBuffer },
  ) {}

  static async create(memoryMb: number): Promise<Engine> {
    const pages = Math.ceil(((memoryMb + HEADROOM_MB) * 1024 * 1024) / 65536);
    // WebAssembly is a Node global the ES lib typings do not declare.
    const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => never } }).WebAssembly;
    const memory = new wasm.Memory({ initial: 256, maximum: Math.max(pages, 512) });
    const module = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
    return new Engine(module, memory);
  }

  get bytes(): number {
    return this.memory.buffer.byteLength;
  }
}
