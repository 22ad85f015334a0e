/* The runtime's monotonic clock (internal to runtime/src). */
#ifndef ONNXC_RUNTIME_CLOCK_H
#define ONNXC_RUNTIME_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t now_nanos(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

#endif /* ONNXC_RUNTIME_CLOCK_H */
