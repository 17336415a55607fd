/**
 * A late joiner's landing (board SPEC S3), as a state machine the follow runtime drives: land on
 * the facilitator's view from their presence (final), or before that on the view stored in the
 * doc (it gives way to the presence when that comes). Once the participant, or a template launch,
 * has taken them to another page than the one landed on, the landing is over: a presence that
 * arrives later does not pull them back.
 */
import type { PageView } from './types.js'

export interface LandingIo {
  /** The facilitator's view from their presence, null while it is not known. */
  presenceView(): PageView | null
  /** The view stored in the doc. */
  storedView(): PageView | null
  /** Moves the camera there; false when it could not (e.g. the page is not there yet). */
  land(view: PageView): boolean
  currentPage(): string
}

export class Landing {
  private over = false
  private landedOn: string | null = null
  /** The stored view may be used (the socket's greeting is in, or it did not come in time). */
  private storedViewToo = false

  constructor(private readonly io: LandingIo) {}

  get done(): boolean {
    return this.over
  }

  /** Lands if there is a view to land on; returns true when it moved the camera. */
  tryLand(): boolean {
    if (this.over) return false
    if (this.landedOn !== null && this.io.currentPage() !== this.landedOn) {
      this.over = true
      return false
    }
    const presence = this.io.presenceView()
    const view = presence ?? (this.storedViewToo && this.landedOn === null ? this.io.storedView() : null)
    if (!view || !this.io.land(view)) return false
    this.landedOn = this.io.currentPage()
    if (presence) this.over = true
    return true
  }

  useStoredView(): boolean {
    this.storedViewToo = true
    return this.tryLand()
  }

  /** The landing window closed. */
  end(): void {
    this.over = true
  }
}
