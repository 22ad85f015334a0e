/* How the items of a batch share the thread pool.
 *
 * A model compiled for one item runs a batch item by item. With more than
 * one thread, there are two ways to do that:
 * - lanes: one item per thread at a time, each thread running its items'
 *   kernels alone (their parallel loops in order on it);
 * - items: one item at a time, each kernel's parallel loop across all
 *   threads.
 * Which is faster depends on the model and on the machine. Lanes pay no
 * hand-off per kernel, so they win where kernels are short (ShuffleNetV2
 * at batch 8 on two threads: items take 2.1 times as long). Items share
 * one item's data and weights between the threads, where lanes keep two
 * items' data and two streams of weights in the shared cache (U-Net:
 * items 0.76 of the time of lanes). So, unless told which, a model times both:
 * after one untimed call, its next calls with more than one lane alternate
 * items and lanes, kProbes calls each, and the later calls take items only if
 * their median time per item was under 0.9 of the lanes'. Lanes stay the
 * default short of that: every kernel of an item waits for its slowest thread,
 * so a thread the host holds up stalls them all, where it delays only its own
 * lane (ResNet-50 at batch 8 on two threads, alternating blocks of runs on a
 * busy host: lanes 267-305 ms but one block 560, items 276-364 and 536, the
 * probes' medians about equal). A new pool size starts the probes again. */
#include "onnxc/kernels.h"

#include "clock.h"

#include <pthread.h>
#include <stdint.h>

/* Halide's runtime, linked into every compiled model. */
extern int halide_do_par_for(void *user_context, onnxc_rt_lane_fn task, int min,
                             int size, uint8_t *closure);

enum { kProbes = 3 };

struct plan {
  int32_t mode;    /* as set: ONNXC_BATCH_AUTO, _LANES or _ITEMS */
  int32_t threads; /* the pool's size the probes are for */
  int32_t chosen;  /* ONNXC_BATCH_AUTO while probing */
  int32_t calls;   /* calls since the probes began */
  /* Nanoseconds per item of each way's probes (0: not taken). */
  int64_t nanos[2][kProbes];
};

_Static_assert(sizeof(struct plan) <= sizeof(onnxc_rt_batch),
               "onnxc_rt_batch holds a plan");

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The median of a way's probes taken (0 if none). */
static int64_t median(const int64_t *probes) {
  int64_t v[kProbes];
  int n = 0;
  for (int i = 0; i < kProbes; ++i)
    if (probes[i] > 0) {
      int j = n++;
      for (; j > 0 && v[j - 1] > probes[i]; --j)
        v[j] = v[j - 1];
      v[j] = probes[i];
    }
  return n ? v[n / 2] : 0;
}

/* The way this call takes; *probe is the index of its probe (-1: none).
 * Under `lock`. */
static int32_t choose(struct plan *p, int32_t threads, int *probe) {
  *probe = -1;
  if (p->mode != ONNXC_BATCH_AUTO)
    return p->mode;
  if (p->threads != threads) {
    p->threads = threads;
    p->chosen = ONNXC_BATCH_AUTO;
    p->calls = 0;
    for (int w = 0; w < 2; ++w)
      for (int i = 0; i < kProbes; ++i)
        p->nanos[w][i] = 0;
  }
  if (p->chosen != ONNXC_BATCH_AUTO)
    return p->chosen;
  int call = p->calls++;
  if (call == 0)
    return ONNXC_BATCH_LANES;
  if (call <= 2 * kProbes) {
    *probe = call - 1;
    return *probe % 2 == 0 ? ONNXC_BATCH_ITEMS : ONNXC_BATCH_LANES;
  }
  int64_t lanes = median(p->nanos[0]), items = median(p->nanos[1]);
  p->chosen = items > 0 && lanes > 0 && items * 10 < lanes * 9
                  ? ONNXC_BATCH_ITEMS
                  : ONNXC_BATCH_LANES;
  return p->chosen;
}

int32_t onnxc_rt_run_batch(onnxc_rt_batch *plan, onnxc_rt_lane_fn lane,
                           int64_t *closure) {
  struct plan *p = (struct plan *)plan;
  int64_t batch = closure[0];
  int32_t threads = onnxc_rt_num_threads();
  int64_t lanes = batch < threads ? batch : threads;
  if (lanes < 1)
    lanes = 1;
  int32_t way = ONNXC_BATCH_LANES;
  int probe = -1;
  if (lanes > 1) {
    pthread_mutex_lock(&lock);
    way = choose(p, threads, &probe);
    pthread_mutex_unlock(&lock);
  }
  if (way == ONNXC_BATCH_ITEMS)
    lanes = 1;
  closure[1] = lanes;
  /* A lane per thread: every thread is busy with a lane, so the lanes'
   * kernels run their parallel loops serially. */
  closure[5] = lanes == threads;
  int64_t start = probe >= 0 ? now_nanos() : 0;
  int rc;
  if (lanes == 1) {
    rc = lane(NULL, 0, (uint8_t *)closure);
  } else {
    onnxc_rt_threads_prepare();
    rc = halide_do_par_for(NULL, lane, 0, (int)lanes, (uint8_t *)closure);
  }
  if (probe >= 0 && rc == 0) {
    int64_t per_item = (now_nanos() - start) / batch;
    pthread_mutex_lock(&lock);
    if (p->threads == threads && p->chosen == ONNXC_BATCH_AUTO)
      p->nanos[way == ONNXC_BATCH_ITEMS][probe / 2] =
          per_item > 0 ? per_item : 1;
    pthread_mutex_unlock(&lock);
  }
  return rc;
}

void onnxc_rt_batch_set_mode(onnxc_rt_batch *plan, int32_t mode) {
  struct plan *p = (struct plan *)plan;
  pthread_mutex_lock(&lock);
  p->mode = mode == ONNXC_BATCH_LANES || mode == ONNXC_BATCH_ITEMS
                ? mode
                : ONNXC_BATCH_AUTO;
  p->threads = 0; /* AUTO probes again */
  pthread_mutex_unlock(&lock);
}

int32_t onnxc_rt_batch_way(onnxc_rt_batch *plan) {
  struct plan *p = (struct plan *)plan;
  pthread_mutex_lock(&lock);
  int32_t way = p->mode != ONNXC_BATCH_AUTO ? p->mode : p->chosen;
  pthread_mutex_unlock(&lock);
  return way;
}
