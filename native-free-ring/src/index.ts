/**
 * atomics-ring-buffer: a single-producer, single-consumer byte ring over a SharedArrayBuffer,
 * blocking with Atomics.wait/notify. Pure JavaScript, no native addon, no dependency.
 */
export { RingError, RingErrorCode } from './errors.js';
export {
  LAYOUT_VERSION,
  HEADER_BYTES,
  MIN_CAPACITY,
  MAX_CAPACITY,
  MAX_MESSAGE_BYTES,
  createRingBuffer,
  frameLimits,
  type FrameLimits,
} from './layout.js';
export { markDead, markDeadOnExit } from './lifecycle.js';
export { DEFAULT_RING_OPTIONS, type RingOptions } from './options.js';
export { RingReader } from './ring-reader.js';
export { RingWriter } from './ring-writer.js';
export { readRingStats, type RingStats } from './stats.js';
