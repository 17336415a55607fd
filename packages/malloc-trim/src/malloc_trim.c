/*
 * malloc_trim(3) for Node (issue 12): glibc keeps the pages of freed heap memory unless they sit
 * at the very top of an arena; malloc_trim(0) hands every free page of every arena back to the
 * system. The server calls it once no room is loaded (apps/server/src/memoryReducer.ts), instead
 * of malloc tunables that made every large allocation an mmap/munmap pair on the hot path.
 */
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static napi_value Trim(napi_env env, napi_callback_info info) {
  (void)info;
  int released = -1; /* -1: not glibc, nothing to call */
#if defined(__GLIBC__)
  released = malloc_trim(0);
#endif
  napi_value result;
  napi_create_int32(env, released, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "trim", NAPI_AUTO_LENGTH, Trim, NULL, &fn);
  napi_set_named_property(env, exports, "trim", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
