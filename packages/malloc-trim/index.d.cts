/** Whether trimMalloc() calls malloc_trim (built, and glibc). */
export declare const available: boolean
/** malloc_trim(0): true when memory was released, false when none was, null when unavailable. */
export declare function trimMalloc(): boolean | null
