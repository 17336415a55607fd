'use strict'
// The addon when it was built (scripts/build.cjs skips it without a compiler), else why not.
let addon = null
let loadError = null
try {
  addon = require('./build/Release/malloc_trim.node')
} catch (err) {
  loadError = err
}

/** Whether trimMalloc() calls malloc_trim: built, loadable, and glibc (elsewhere the addon exports nothing). */
exports.available = addon !== null && typeof addon.trim === 'function'

/** Why it is unavailable (null when available). */
exports.unavailableReason = exports.available
  ? null
  : loadError
    ? `the addon could not be loaded (${loadError.code ?? 'error'}: ${String(loadError.message).split('\n')[0]})`
    : 'not glibc'

/**
 * malloc_trim(0): free heap pages back to the system. Returns true when some memory was
 * released, false when none was, null when unavailable.
 */
exports.trimMalloc = function trimMalloc() {
  return exports.available ? addon.trim() === 1 : null
}
