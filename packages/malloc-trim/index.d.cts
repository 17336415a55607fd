/** Whether trimMalloc() calls malloc_trim: built, loadable, and glibc. */
export declare const available: boolean
/** Why it is unavailable (null when available). */
export declare const unavailableReason: string | null
/** malloc_trim(0): true when memory was released, false when none was, null when unavailable. */
export declare function trimMalloc(): boolean | null
