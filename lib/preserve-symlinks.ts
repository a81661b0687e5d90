/** True when this process keeps symlinked module paths (`node --preserve-symlinks`, or `NODE_PRESERVE_SYMLINKS=1`). */
export function keepsSymlinks(): boolean {
  return process.execArgv.includes('--preserve-symlinks') || process.env.NODE_PRESERVE_SYMLINKS === '1';
}
