import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';

/** Room above an invocation's heap for the runtimes of warm contexts and in-flight requests. */
const HEADROOM_MB = 32;

// WebAssembly is a Node global the ES lib typings do not declare.
type WasmModule = object;
const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => never; compile(bytes: Uint8Array): Promise<WasmModule> } })
  .WebAssembly;

let compiled: Promise<WasmModule | null> | undefined;

/**
 * QuickJS compiled to machine code once per thread: every engine instantiates
 * the same module, so a new app version does not pay for compiling (and
 * warming up) the WebAssembly again. Null when the file cannot be found; each
 * engine then compiles its own.
 */
function sharedModule(): Promise<WasmModule | null> {
  compiled ??= (async () => {
    try {
      const path = createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
      return await wasm.compile(readFileSync(path));
    } catch {
      return null;
    }
  })();
  return compiled;
}

/** Starts compiling QuickJS now, so the first app served on this thread does not wait for it; settles when done. */
export async function warmUpEngines(): Promise<void> {
  await sharedModule();
}

function ignore(): void {}

/** WebAssembly pages (64 KiB) an engine for an app with this heap limit may grow to. */
export function pagesFor(memoryMb: number): number {
  return Math.max(Math.ceil(((memoryMb + HEADROOM_MB) * 1024 * 1024) / 65536), 512);
}

/**
 * One QuickJS WebAssembly instance with its own linear memory, capped in size.
 * Each app version gets its own engine while the thread has room for one
 * (engine-cache.ts): QuickJS's heap limit does not count every allocation
 * (ArrayBuffers, long strings), so the hard wall is the WASM memory maximum —
 * and a bomb can only exhaust its own app's engine, which is then thrown away
 * and rebuilt.
 */
export class Engine {
  /** Set when the engine must not be used again (memory exhausted, a runtime failed to free). */
  poisoned = false;
  /** Pools and checks currently holding this engine (see engine-cache.ts). */
  users = 0;
  /** The app version that last held it: an idle engine goes back to its own app first. */
  owner = '';

  private constructor(
    readonly module: QuickJSWASMModule,
    readonly memory: { readonly buffer: ArrayBuffer },
    readonly maxPages: number,
  ) {}

  /** A new engine; prefer `threadEngines.acquire`, which recycles them. */
  static async create(memoryMb: number): Promise<Engine> {
    const maxPages = pagesFor(memoryMb);
    let memory: { readonly buffer: ArrayBuffer };
    try {
      memory = new wasm.Memory({ initial: 256, maximum: maxPages });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw new RangeError(
        'The system refused address space for another app sandbox (V8 reserves about 10 GiB per sandbox unless Node runs with --disable-wasm-trap-handler, which the fazt command adds under `ulimit -v`).',
      );
    }
    const shared = await sharedModule();
    // The module's stdout/stderr: QuickJS prints nothing an app or the owner needs, but emscripten's
    // abort() reports a runtime that failed to free (after an app exhausted its heap) as
    // `Aborted(Assertion failed: …)`. That failure is handled (the engine is retired); its text is not output.
    const quiet = { print: ignore, printErr: ignore };
    const variant = newVariant(RELEASE_SYNC, { wasmMemory: memory, emscriptenModule: quiet as never, ...(shared ? { wasmModule: shared as never } : {}) });
    const module = await newQuickJSWASMModuleFromVariant(variant);
    return new Engine(module, memory, maxPages);
  }

  get bytes(): number {
    return this.memory.buffer.byteLength;
  }
}
