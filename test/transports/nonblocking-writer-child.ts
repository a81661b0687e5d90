/**
 * Child of `stdio-io.test.ts`: opens `process.stdout` first (Node then switches fd 1 to
 * non-blocking mode, so a full pipe gives short writes and `EAGAIN`), then writes
 * `argv[2]` bytes of a counting pattern with `SyncWriter` and exits.
 */
import { SyncWriter } from '../../lib/transports/stdio-io.js';

void process.stdout;
const size = Number(process.argv[2]);
const bytes = Buffer.alloc(size);
for (let i = 0; i < size; i++) bytes[i] = i % 251;
new SyncWriter(1).write(bytes);
