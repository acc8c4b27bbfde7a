{
  "targets": [
    {
      "target_name": "count",
      "sources": ["native/count.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"]
    }
  ]
}
