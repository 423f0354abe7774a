import { isUtf8 } from 'node:buffer';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployFileInput } from './deploy-service.js';
import { isIgnored, parseIgnore } from './ignore.js';

/** Never deployed, whatever .faztignore says. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.faztignore']);

export interface PackedFolder {
  files: DeployFileInput[];
  totalBytes: number;
  skipped: number;
  /** Symbolic links left out (relative paths), for the deploy to mention. */
  links: string[];
}

/**
 * Reads a site folder into deploy input: dotfiles (except .well-known),
 * node_modules, .git, .faztignore matches and symbolic links are left out; text
 * goes as utf8, anything else as base64.
 */
export function packFolder(dir: string, onFile?: (count: number, bytes: number) => void): PackedFolder {
  const ignoreFile = join(dir, '.faztignore');
  const rules = existsSync(ignoreFile) ? parseIgnore(readFileSync(ignoreFile, 'utf8')) : [];
  const files: DeployFileInput[] = [];
  let totalBytes = 0;
  let skipped = 0;
  const links: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const p = join(abs, name);
      const link = lstatSync(p);
      const isDir = link.isSymbolicLink() ? !!statSync(p, { throwIfNoEntry: false })?.isDirectory() : link.isDirectory();
      if (ALWAYS_SKIPPED.has(name) || (name.startsWith('.') && name !== '.well-known') || isIgnored(rules, relPath, isDir)) {
        skipped++;
        continue;
      }
      // Links are never followed: a linked folder can loop, a linked file can publish what lies outside the folder.
      if (link.isSymbolicLink()) {
        links.push(relPath);
        skipped++;
        continue;
      }
      if (isDir) {
        walk(p, relPath);
        continue;
      }
      if (!link.isFile()) continue;
      const data = readFileSync(p);
      totalBytes += data.length;
      files.push(isUtf8(data) ? { path: relPath, content: data.toString('utf8') } : { path: relPath, content: data.toString('base64'), encoding: 'base64' });
      onFile?.(files.length, totalBytes);
    }
  };
  walk(dir, '');
  return { files, totalBytes, skipped, links };
}
