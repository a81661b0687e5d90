/**
 * Close and death: the STATE bits of layout.ts and the wake-ups that must follow them.
 */
import { RingError, RingErrorCode } from './errors.js';
import {
  DEAD_CLAIM_SLOT,
  DEAD_REASON_LENGTH_SLOT,
  DEAD_REASON_MAX_BYTES,
  DEAD_REASON_OFFSET,
  HEADER_BYTES,
  READER_WAITING_SLOT,
  STATE_DEAD,
  STATE_SLOT,
  WRITER_WAITING_SLOT,
  validateRingBuffer,
} from './layout.js';

/**
 * Sets STATE bits, then wakes whoever sleeps on either side. Order matters (invariant 6/7): a
 * side going to sleep stores WAITING = 1 and then loads STATE; we store STATE and then
 * WAITING = 0, so either it sees the bit or its `Atomics.wait(WAITING, 1)` returns at once.
 */
export function raiseState(i32: Int32Array, bits: number): void {
  Atomics.or(i32, STATE_SLOT, bits);
  Atomics.store(i32, READER_WAITING_SLOT, 0);
  Atomics.notify(i32, READER_WAITING_SLOT);
  Atomics.store(i32, WRITER_WAITING_SLOT, 0);
  Atomics.notify(i32, WRITER_WAITING_SLOT);
}

/**
 * Marks one ring dead with `reason` (first reason wins) and wakes every waiter on it.
 * @param i32 Int32 view over the ring's header
 */
export function markRingDead(i32: Int32Array, reason: string | undefined): void {
  if ((Atomics.load(i32, STATE_SLOT) & STATE_DEAD) !== 0) return;
  if (reason !== undefined && reason !== '' && Atomics.compareExchange(i32, DEAD_CLAIM_SLOT, 0, 1) === 0) {
    // Plain stores, published by the Atomics.store of the length and then the STATE bit.
    const bytes = utf8Prefix(reason, DEAD_REASON_MAX_BYTES);
    new Uint8Array(i32.buffer, DEAD_REASON_OFFSET, DEAD_REASON_MAX_BYTES).set(bytes);
    Atomics.store(i32, DEAD_REASON_LENGTH_SLOT, bytes.length);
  }
  raiseState(i32, STATE_DEAD);
}

/**
 * Marks every ring in `buffers` dead and wakes all their waiters, so a peer blocked on any of
 * them gets `ERR_PEER_GONE` instead of hanging. Meant for a thread's exit path (see
 * {@link markDeadOnExit}); safe to call more than once and from either side.
 */
export function markDead(buffers: readonly SharedArrayBuffer[], reason?: string): void {
  const rings = buffers.map((buffer) => {
    validateRingBuffer(buffer);
    return new Int32Array(buffer, 0, HEADER_BYTES >>> 2);
  });
  for (const i32 of rings) markRingDead(i32, reason);
}

/**
 * Marks `buffers` dead when the current thread exits for any reason, including an uncaught
 * exception in a worker (Node runs `process` 'exit' listeners then). Call it in the thread that
 * owns one end of the rings. Returns a function that removes the hook (call it after a clean
 * close if you do not want the peer to see `ERR_PEER_GONE` on rings it still uses).
 */
export function markDeadOnExit(buffers: readonly SharedArrayBuffer[], reason = 'peer thread exited'): () => void {
  for (const buffer of buffers) validateRingBuffer(buffer);
  const onExit = (code: number): void => markDead(buffers, `${reason} (exit code ${code})`);
  process.once('exit', onExit);
  return () => {
    process.removeListener('exit', onExit);
  };
}

/** The dead reason recorded in the ring, or undefined if none (yet). */
export function deadReason(i32: Int32Array): string | undefined {
  const length = Atomics.load(i32, DEAD_REASON_LENGTH_SLOT);
  if (length <= 0 || length > DEAD_REASON_MAX_BYTES) return undefined;
  // TextDecoder refuses shared memory in some runtimes: decode from a private copy.
  const copy = new Uint8Array(length);
  copy.set(new Uint8Array(i32.buffer, DEAD_REASON_OFFSET, length));
  return new TextDecoder().decode(copy);
}

/** The `ERR_PEER_GONE` error for a dead ring, with its reason when one was recorded. */
export function peerGoneError(i32: Int32Array): RingError {
  const reason = deadReason(i32);
  return new RingError(
    RingErrorCode.PEER_GONE,
    reason === undefined ? 'the ring was marked dead: the peer is gone' : `the ring was marked dead: ${reason}`,
  );
}

/** UTF-8 bytes of `text`, cut at a character boundary to at most `max` bytes. */
function utf8Prefix(text: string, max: number): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= max) return bytes;
  let cut = max;
  // Back up over continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut);
}
