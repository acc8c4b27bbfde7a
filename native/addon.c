// The addon's exports: the measures' count path (count.c), describe's profile path (profile.c) and
// join-ethnicity's join path (join.c).

#include <node_api.h>

int registerCount(napi_env env, napi_value exports);
int registerProfile(napi_env env, napi_value exports);
int registerJoin(napi_env env, napi_value exports);

NAPI_MODULE_INIT() {
  if (!registerCount(env, exports) || !registerProfile(env, exports) || !registerJoin(env, exports)) return NULL;
  return exports;
}
