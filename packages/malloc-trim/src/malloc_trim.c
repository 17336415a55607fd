/*
 * malloc_trim(3) for Node (issue 12): glibc keeps the pages of freed heap memory unless they sit
 * at the very top of an arena; malloc_trim(0) hands every free page of every arena back to the
 * system. The server calls it once no room is loaded (apps/server/src/memoryReducer.ts), instead
 * of malloc tunables that made every large allocation an mmap/munmap pair on the hot path.
 * Without glibc (musl, macOS) the module exports nothing: index.cjs reports it unavailable.
 */
#include <stdlib.h> /* defines __GLIBC__ on glibc */
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>

/* 1 when memory was released, 0 when none was. */
static napi_value Trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int32(env, malloc_trim(0), &result);
  return result;
}
#endif

static napi_value Init(napi_env env, napi_value exports) {
#if defined(__GLIBC__)
  napi_value fn;
  napi_create_function(env, "trim", NAPI_AUTO_LENGTH, Trim, NULL, &fn);
  napi_set_named_property(env, exports, "trim", fn);
#endif
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
