/* run_batch on 3 items gives, item for item, what run gives on each,
 * whether the items run in turn or in parallel lanes, and in each batch
 * mode (lanes, one item at a time, and the default, which times both
 * on its first calls and then keeps one); a negative batch is
 * refused and a batch of 0 does nothing. With a lane per thread, the
 * kernels inside the lanes do not hand their parallel loops to the thread
 * pool: a handler installed before the first run (which the runtime's pool
 * then leaves the loops it would run in parallel to) counts them. */
#include "model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Halide's runtime, linked into the model. */
typedef int (*task_fn)(void *, int, uint8_t *);
typedef int (*par_for_fn)(void *, task_fn, int, int, uint8_t *);
extern par_for_fn halide_set_custom_do_par_for(par_for_fn handler);
extern int halide_default_do_par_for(void *, task_fn, int, int, uint8_t *);

static int pool_loops;

static int counting_do_par_for(void *uc, task_fn task, int min, int size,
                               uint8_t *closure) {
  __atomic_add_fetch(&pool_loops, 1, __ATOMIC_RELAXED);
  return halide_default_do_par_for(uc, task, min, size, closure);
}

/* Parallel loops that reach the pool in one run_batch of `items`. */
static int loops_in_pool(int threads, int64_t items, const void *const *in,
                         void *const *out, void *ws) {
  model_set_num_threads(threads);
  pool_loops = 0;
  if (model_run_batch(items, in, out, ws) != ONNXC_OK)
    return -1;
  return pool_loops;
}

int main(void) {
  enum { kItems = 3 };
  static float x[kItems * MODEL_INPUT0_SIZE], y[kItems * MODEL_OUTPUT0_SIZE],
      one[MODEL_OUTPUT0_SIZE];
  for (int i = 0; i < kItems * MODEL_INPUT0_SIZE; ++i)
    x[i] = (float)((i * 7919) % 1000) / 1000.0f;
  halide_set_custom_do_par_for(counting_do_par_for);
  void *ws = malloc(model_workspace_size());
  const void *in[1] = {x};
  void *out[1] = {y};
  /* One lane (items in turn), two lanes (items 0 and 2 on one, item 1 on
   * the other), three (one item each); with 2 and 3 threads also one item
   * at a time, and the default's probes and choice (eight calls). */
  int threads[] = {1, 2, 3};
  int modes[] = {1, 2, 0}, calls[] = {1, 1, 8};
  int probing_after_first = -1;
  for (int t = 0; t < 3; ++t)
    for (int m = 0; m < 3; ++m) {
      model_set_num_threads(threads[t]);
      model_set_batch_mode(modes[m]);
      for (int call = 0; call < calls[m]; ++call) {
        memset(y, 0, sizeof y);
        if (model_run_batch(kItems, in, out, ws) != ONNXC_OK)
          return 1;
        if (threads[t] == 2 && modes[m] == 0 && call == 0)
          probing_after_first = model_batch_way();
        for (int item = 0; item < kItems; ++item) {
          const void *item_in[1] = {x + item * MODEL_INPUT0_SIZE};
          void *item_out[1] = {one};
          if (model_run(item_in, item_out, ws) != ONNXC_OK)
            return 2;
          if (memcmp(one, y + item * MODEL_OUTPUT0_SIZE, sizeof one) != 0) {
            printf("%d threads, mode %d: item %d differs\n", threads[t],
                   modes[m], item);
            return 3;
          }
        }
      }
    }
  printf("negative batch: %s\n",
         onnxc_status_message(model_run_batch(-1, in, out, ws)));
  memset(y, 0, sizeof y);
  printf("batch 0: %s, outputs untouched: %d\n",
         onnxc_status_message(model_run_batch(0, in, out, ws)), y[0] == 0.0f);
  printf("items agree: %d, with 1, 2 and 3 threads\n", kItems);
  /* The default mode times both ways first: after one call, still probing;
   * after eight, one way taken. */
  int way = model_batch_way();
  printf("default mode after one call: way %d; after eight: %s\n",
         probing_after_first, way == 1 || way == 2 ? "chosen" : "none");

  /* One item on 2 threads: the kernels' loops use the pool. */
  printf("1 item, 2 threads: kernel loops in the pool: %s\n",
         loops_in_pool(2, 1, in, out, ws) > 0 ? "yes" : "no");
  /* A lane per thread: only the lanes themselves go to the pool. */
  model_set_batch_mode(1);
  printf("3 items, 3 threads: loops in the pool: %d\n",
         loops_in_pool(3, 3, in, out, ws));
  printf("3 items, 2 threads: loops in the pool: %d\n",
         loops_in_pool(2, 3, in, out, ws));
  printf("lanes set, way: %d\n", model_batch_way());
  /* One item at a time: each kernel's loops use the pool. */
  model_set_batch_mode(2);
  printf("one at a time set, way: %d\n", model_batch_way());
  printf("3 items one at a time, 2 threads: kernel loops in the pool: %s\n",
         loops_in_pool(2, 3, in, out, ws) > 1 ? "yes" : "no");
  free(ws);
  return 0;
}
