/**
 * The one error class of the ring. Every failure a caller can hit carries a stable `code`
 * (never reworded, never reused) so callers branch on `code`, not on messages.
 */

/** Stable error codes raised by the ring. Add new ones; never rename one. */
export const RingErrorCode = {
  /** A blocking read or write ran past its timeout. Nothing was consumed or half-delivered. */
  TIMEOUT: 'ERR_RING_TIMEOUT',
  /** The ring was marked dead (the other side died or gave up); waiters were woken. */
  PEER_GONE: 'ERR_PEER_GONE',
  /** A write on a ring that either side closed. */
  CLOSED: 'ERR_RING_CLOSED',
  /** The shared memory holds something no correct writer produces (bad frame, bad index). */
  CORRUPT: 'ERR_RING_CORRUPT',
  /** The buffer is not a ring of this layout version, or its size does not match its header. */
  LAYOUT: 'ERR_RING_LAYOUT',
  /** `createRingBuffer` got a capacity that is not a power of two within the allowed range. */
  INVALID_CAPACITY: 'ERR_INVALID_CAPACITY',
  /** An option had a bad value (the message names the option). */
  INVALID_OPTION: 'ERR_INVALID_OPTION',
  /** An argument had the wrong type or range (the message names the argument). */
  INVALID_ARGUMENT: 'ERR_INVALID_ARGUMENT',
  /** A second writer or reader tried to attach to a ring that already has one. */
  ROLE_TAKEN: 'ERR_RING_ROLE_TAKEN',
  /** A read was started while an asynchronous read on the same reader was still pending. */
  BUSY: 'ERR_RING_BUSY',
  /** `tryWrite` got a message that can never fit in the ring in one go (use `write`). */
  MESSAGE_TOO_LARGE: 'ERR_MESSAGE_TOO_LARGE',
} as const;

/** One of the values of {@link RingErrorCode}. */
export type RingErrorCode = (typeof RingErrorCode)[keyof typeof RingErrorCode];

/** Every error the ring raises on purpose. */
export class RingError extends Error {
  /** Stable machine-readable code; see {@link RingErrorCode}. */
  public readonly code: RingErrorCode;

  /**
   * @param code stable code
   * @param message human-readable explanation (may change between versions)
   * @param options `cause` of a wrapped failure
   */
  public constructor(code: RingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'RingError';
  }
}
