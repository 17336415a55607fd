/** The gentle signal at 0:00: an optional soft two-note chime (off unless this browser turned it on). */
const SOUND_KEY = 'copboard.timerSound'

export function soundEnabled(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === '1'
  } catch {
    return false
  }
}

export function setSoundEnabled(on: boolean) {
  try {
    if (on) localStorage.setItem(SOUND_KEY, '1')
    else localStorage.removeItem(SOUND_KEY)
  } catch {
    /* private mode */
  }
}

export function chime() {
  try {
    const ctx = new AudioContext()
    const t = ctx.currentTime
    for (const [i, freq] of [660, 880].entries()) {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.type = 'sine'
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0, t + i * 0.35)
      gain.gain.linearRampToValueAtTime(0.08, t + i * 0.35 + 0.05)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.35 + 0.9)
      osc.connect(gain).connect(ctx.destination)
      osc.start(t + i * 0.35)
      osc.stop(t + i * 0.35 + 1)
    }
    setTimeout(() => void ctx.close(), 2000)
  } catch {
    /* no audio: the visual signal and the announcement remain */
  }
}
