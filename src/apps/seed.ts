import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '../kernel/kernel.js';
import { dashboardFiles, dashboardHeaders } from '../surfaces/web/dashboard-files.js';
import { packFolder } from './pack.js';
import { systemPages } from './system-pages.js';

/** The package root, from dist/src/apps/ (compiled) or src/apps/ (never run directly). */
export function examplesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', 'examples'), join(here, '..', '..', 'examples')];
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

/** First start: default pages for the system apps, and the example app when asked. */
export async function seedApps(kernel: Kernel): Promise<void> {
  const { apps, deploys } = kernel.services;
  const pages = systemPages(kernel);
  await deployDashboard(kernel);
  for (const slug of ['root', '404'] as const) {
    if (apps.get(slug).activeVersion === null) {
      await deploys.deploy(slug, pages[slug], { allowSystem: true, createdBy: 'system', message: 'default page' });
    }
  }
  if (!kernel.config.seedExample || apps.find('hello')) return;
  const dir = join(examplesDir(), 'hello');
  if (!existsSync(dir)) return;
  await deploys.deploy('hello', packFolder(dir).files, { createdBy: 'system', message: 'example app' });
}

/** The admin app is the dashboard shipped with this fazt: deployed again whenever its files change. */
async function deployDashboard(kernel: Kernel): Promise<void> {
  kernel.services.staticFiles.sites.setHeaders('admin', dashboardHeaders());
  const { files, digest } = dashboardFiles();
  const message = `dashboard ${digest}`;
  const active = kernel.services.deploys.versions('admin').versions.find((v) => v.active);
  if (active?.message === message) return;
  await kernel.services.deploys.deploy('admin', files, { allowSystem: true, createdBy: 'system', message });
}
