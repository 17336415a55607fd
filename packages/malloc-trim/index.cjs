'use strict'
// The addon when it was built (the install script skips it without a compiler), else null.
let addon = null
try {
  addon = require('./build/Release/malloc_trim.node')
} catch {
  addon = null
}

/** Whether trimMalloc() calls malloc_trim (built, and glibc). */
exports.available = addon !== null && addon.trim !== undefined

/**
 * malloc_trim(0): free heap pages back to the system. Returns true when some memory was
 * released, false when none was, null when unavailable (not built, or not glibc).
 */
exports.trimMalloc = function trimMalloc() {
  if (!addon) return null
  const r = addon.trim()
  return r < 0 ? null : r === 1
}
