/**
 * Progress on stderr for long runs: one line rewritten in place on a terminal, plain lines
 * (at most one every two seconds) otherwise. Updates are rate-limited, so callers may
 * call `update` as often as they like.
 */
export class Progress {
  readonly #enabled: boolean;
  readonly #tty = process.stderr.isTTY === true;
  readonly #started = performance.now();
  #last = 0;
  #shown = false;

  public constructor(quiet: boolean) {
    this.#enabled = !quiet;
  }

  /** A rate-limited update: dropped when the last one was shown moments ago. */
  public update(message: string): void {
    this.#show(message, false);
  }

  /** A change of phase: always shown (a long silent step follows). */
  public phase(message: string): void {
    this.#show(message, true);
  }

  #show(message: string, always: boolean): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (!always && now - this.#last < (this.#tty ? 100 : 2000)) return;
    this.#last = now;
    const text = `jsii-ring: ${message} (${((now - this.#started) / 1000).toFixed(1)} s)`;
    if (this.#tty) {
      process.stderr.write(`\r\x1b[K${text}`);
      this.#shown = true;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  /** Clears the terminal line. */
  public done(): void {
    if (this.#shown) {
      process.stderr.write('\r\x1b[K');
      this.#shown = false;
    }
  }
}
