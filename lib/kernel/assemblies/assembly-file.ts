/**
 * Locating an installed package's assembly bytes: `<packageDir>/.jsii`, following
 * `jsii/file-redirect` files (what `jsii --compress-assembly` writes: `.jsii` pointing at a
 * gzipped `.jsii.gz`). Only the small redirect files are parsed here; the assembly itself
 * is handed back as raw (possibly compressed) bytes so the caller can hash it before
 * deciding whether it needs to decode it at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** The assembly file name every jsii package carries. */
export const SPEC_FILE_NAME = '.jsii';

/** Redirect files are tiny; anything bigger is an assembly and is never JSON-parsed here. */
const MAX_REDIRECT_BYTES = 4096;
/** Same bound as `@jsii/spec`: the compiler writes one hop, this leaves headroom and stops loops. */
const MAX_REDIRECTS = 5;
const REDIRECT_SCHEMA = 'jsii/file-redirect';

/** Where the assembly's bytes live and how they are encoded. */
export interface AssemblyFile {
  /** Absolute path of the file holding the assembly (after redirects). */
  readonly file: string;
  /** How `file`'s bytes are compressed. */
  readonly compression: 'none' | 'gzip';
}

/** Why an assembly could not be found or read; callers wrap it into a `JsiiFault`. */
export class AssemblyFileError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'AssemblyFileError';
  }
}

/** Follows `.jsii` redirects from `packageDir` to the file that holds the assembly. */
export function locateAssembly(packageDir: string): AssemblyFile {
  let file = path.join(packageDir, SPEC_FILE_NAME);
  let compression: 'none' | 'gzip' = 'none';
  for (let hops = 0; ; hops++) {
    const redirect = readRedirect(file);
    if (redirect === undefined) {
      return { file, compression };
    }
    if (hops >= MAX_REDIRECTS) {
      throw new AssemblyFileError(`too many assembly redirects (more than ${MAX_REDIRECTS}) from ${packageDir}`);
    }
    if (compression !== 'none') {
      throw new AssemblyFileError(`${file}: a compressed assembly cannot be a redirect`);
    }
    file = redirectTarget(file, redirect.filename);
    compression = redirect.compression;
  }
}

/** Reads and decompresses the assembly's JSON text bytes. */
export function readAssemblyBytes(located: AssemblyFile, raw?: Buffer): Buffer {
  const bytes = raw ?? fs.readFileSync(located.file);
  if (located.compression === 'none') {
    return bytes;
  }
  try {
    return zlib.gunzipSync(bytes);
  } catch (e) {
    throw new AssemblyFileError(`${located.file} is not valid gzip: ${(e as Error).message}`);
  }
}

interface Redirect {
  readonly filename: string;
  readonly compression: 'none' | 'gzip';
}

function readRedirect(file: string): Redirect | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AssemblyFileError(`expected to find ${path.basename(file)} in ${path.dirname(file)}, but no such file found`);
    }
    throw e;
  }
  let head: Buffer;
  try {
    // Peek: a redirect is a few dozen bytes; an assembly is large and starts with a
    // different key, and must not be read (or parsed) twice.
    head = Buffer.allocUnsafe(MAX_REDIRECT_BYTES + 1);
    head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
  } finally {
    fs.closeSync(fd);
  }
  if (head.length > MAX_REDIRECT_BYTES || head.indexOf(REDIRECT_SCHEMA) === -1) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(head.toString('utf8'));
  } catch {
    return undefined; // a tiny or odd assembly; the assembly reader reports real syntax errors
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { schema?: unknown }).schema !== REDIRECT_SCHEMA) {
    return undefined;
  }
  const { filename, compression } = parsed as { filename?: unknown; compression?: unknown };
  if (typeof filename !== 'string' || filename === '') {
    throw new AssemblyFileError(`invalid assembly redirect in ${file}: 'filename' must be a non-empty string`);
  }
  if (compression !== undefined && compression !== 'gzip') {
    throw new AssemblyFileError(`unsupported compression algorithm ${JSON.stringify(compression)} in ${file}`);
  }
  return { filename, compression: compression === 'gzip' ? 'gzip' : 'none' };
}

/** A redirect may only name a file inside the redirecting file's directory (after symlinks). */
function redirectTarget(from: string, filename: string): string {
  if (path.posix.isAbsolute(filename) || path.win32.isAbsolute(filename) || filename.split(/[\\/]/).includes('..')) {
    throw new AssemblyFileError(`invalid assembly redirect filename ${JSON.stringify(filename)} in ${from}: must be a relative path inside the package`);
  }
  const dir = fs.realpathSync(path.dirname(from));
  let target: string;
  try {
    target = fs.realpathSync(path.resolve(dir, filename));
  } catch {
    throw new AssemblyFileError(`assembly redirect target ${JSON.stringify(filename)} of ${from} does not exist`);
  }
  const relative = path.relative(dir, target);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new AssemblyFileError(`assembly redirect target ${JSON.stringify(filename)} resolves outside of ${path.dirname(from)}`);
  }
  return target;
}
