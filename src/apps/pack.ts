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
}

/**
 * Reads a site folder into deploy input: dotfiles (except .well-known),
 * node_modules, .git and .faztignore matches are left out; text goes as utf8,
 * anything else as base64.
 */
export function packFolder(dir: string, onFile?: (count: number, bytes: number) => void): PackedFolder {
  const ignoreFile = join(dir, '.faztignore');
  const rules = existsSync(ignoreFile) ? parseIgnore(readFileSync(ignoreFile, 'utf8')) : [];
  const files: DeployFileInput[] = [];
  let totalBytes = 0;
  let skipped = 0;
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const p = join(abs, name);
      const link = lstatSync(p);
      let isDir = link.isDirectory();
      if (link.isSymbolicLink()) {
        const target = statSync(p, { throwIfNoEntry: false });
        // Linked folders can loop; linked files are read through.
        if (!target || target.isDirectory()) {
          skipped++;
          continue;
        }
        isDir = false;
      }
      if (ALWAYS_SKIPPED.has(name) || (name.startsWith('.') && name !== '.well-known') || isIgnored(rules, relPath, isDir)) {
        skipped++;
        continue;
      }
      if (isDir) {
        walk(p, relPath);
        continue;
      }
      if (!link.isFile() && !link.isSymbolicLink()) continue;
      const data = readFileSync(p);
      totalBytes += data.length;
      files.push(isUtf8(data) ? { path: relPath, content: data.toString('utf8') } : { path: relPath, content: data.toString('base64'), encoding: 'base64' });
      onFile?.(files.length, totalBytes);
    }
  };
  walk(dir, '');
  return { files, totalBytes, skipped };
}
