import { appsModule } from '../apps/module.js';
import { httpApiModule } from '../surfaces/http/api-module.js';
import { coreModule } from './core-module.js';
import type { KernelModule } from './module.js';

/** Every capability area, in start order. Adding an area is one line here. */
export function allModules(): KernelModule[] {
  return [coreModule, appsModule, httpApiModule];
}
