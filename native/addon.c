// The addon's exports: the measures' count path (count.c) and describe's profile path (profile.c).

#include <node_api.h>

int registerCount(napi_env env, napi_value exports);
int registerProfile(napi_env env, napi_value exports);

NAPI_MODULE_INIT() {
  if (!registerCount(env, exports) || !registerProfile(env, exports)) return NULL;
  return exports;
}
