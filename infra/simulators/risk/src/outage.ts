/** The longest outage one switch asks for: a day. */
export const OUTAGE_MS_MAX = 24 * 60 * 60 * 1000;

/**
 * A simulated outage, for the platform's tests of its re-asking: while it lasts the provider answers
 * every request 503 UNAVAILABLE and delivers no callback (pending ones wait, nothing is lost). It lives
 * in memory: a restart ends it, unless RISK_DOWN_FOR_MS starts the process down again.
 */
export class Outage {
  private downUntilMs = 0;

  /** Down for `forMs` from now; 0 ends the outage. */
  set(forMs: number, nowMs = Date.now()): void {
    this.downUntilMs = forMs > 0 ? nowMs + forMs : 0;
  }

  isDown(nowMs = Date.now()): boolean {
    return nowMs < this.downUntilMs;
  }

  /** When the outage ends (ISO 8601), or null when the provider is up. */
  until(nowMs = Date.now()): string | null {
    return this.isDown(nowMs) ? new Date(this.downUntilMs).toISOString() : null;
  }
}
