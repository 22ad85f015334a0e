/* Batch lanes. <name>_run_batch runs its items in lanes on Halide's thread
 * pool, one lane per thread when the batch has at least as many items. A
 * kernel's parallel loop inside such a lane would hand its tasks to the
 * same pool, whose threads are all busy with lanes: the tasks then mix
 * across lanes and each loop pays the pool's locking for no extra
 * parallelism. Inside a lane marked serial, Halide's parallel loops run
 * their tasks in order on the lane's own thread instead. */
#include "onnxc/kernels.h"

typedef int (*task_fn)(void *, int, uint8_t *);
typedef int (*par_for_fn)(void *, task_fn, int, int, uint8_t *);

/* Halide's runtime, linked into every compiled model. */
extern par_for_fn halide_set_custom_do_par_for(par_for_fn handler);
extern int halide_default_do_par_for(void *user_context, task_fn task, int min,
                                     int size, uint8_t *closure);

static __thread int serial;
static par_for_fn previous;

static int lane_do_par_for(void *user_context, task_fn task, int min, int size,
                           uint8_t *closure) {
  if (!serial)
    return (previous ? previous : halide_default_do_par_for)(
        user_context, task, min, size, closure);
  for (int i = min; i < min + size; ++i) {
    int rc = task(user_context, i, closure);
    if (rc != 0)
      return rc;
  }
  return 0;
}

void onnxc_rt_lanes_prepare(void) {
  /* Installed once, keeping whatever handler was there before for the
   * parallel loops outside serial lanes. */
  par_for_fn old = halide_set_custom_do_par_for(lane_do_par_for);
  if (old != lane_do_par_for)
    previous = old;
}

void onnxc_rt_lane_serial(int32_t on) { serial = on; }
