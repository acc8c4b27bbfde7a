{
  "targets": [
    {
      "target_name": "analyse",
      "sources": ["native/addon.c", "native/count.c", "native/profile.c", "native/join.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"]
    }
  ]
}
