/* The thread pool behind the kernels' parallel loops.
 *
 * Halide kernels hand each parallel loop to halide_do_par_for. A model's
 * run calls one kernel after another, each for tens of microseconds, so a
 * pool whose workers go to sleep between loops pays a wake-up (tens of
 * microseconds on a virtual machine) for nearly every kernel. This pool's
 * workers spin for a while after each loop, ready for the next one, and
 * sleep only when no loop has come for kSpinNanos.
 *
 * One loop runs on the pool at a time: a loop started while another runs
 * (from another thread running a model, or from inside a task) runs its
 * tasks in order on its caller. So do the loops of a batch lane that runs
 * alone on its thread (onnxc_rt_lane_serial). A handler that the program
 * installed before the first run keeps the loops outside serial lanes. */
#include "onnxc/kernels.h"

#include "clock.h"

#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

typedef int (*task_fn)(void *, int, uint8_t *);
typedef int (*par_for_fn)(void *, task_fn, int, int, uint8_t *);

/* Halide's runtime, linked into every compiled model. */
extern par_for_fn halide_set_custom_do_par_for(par_for_fn handler);
extern int halide_default_do_par_for(void *user_context, task_fn task, int min,
                                     int size, uint8_t *closure);

enum { kMaxWorkers = 255 };
static const int64_t kSpinNanos = 200 * 1000;

static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_t workers[kMaxWorkers];
  uint64_t start_seen[kMaxWorkers];
  int started;   /* workers running (under lock) */
  int threads;   /* the pool's size with the caller; 0: one per core */
  int stop_from; /* workers with a higher index exit (under lock) */
  int sleepers;  /* workers waiting on `wake` */
  /* The loop being run, published by bumping `generation`. */
  task_fn task;
  void *user_context;
  uint8_t *closure;
  int min, size, share, parts;
  int next, done, error, users;
  uint64_t generation;
  int busy; /* a loop is on the pool */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static par_for_fn previous;
static __thread int in_task; /* worker threads, and callers running tasks */
static __thread int serial;  /* a batch lane alone on its thread */

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static int run_in_order(void *uc, task_fn task, int min, int size,
                        uint8_t *closure) {
  for (int i = min; i < min + size; ++i) {
    int rc = task(uc, i, closure);
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* Each part's tasks not yet taken, [next, end) packed as next << 32 |
 * end, on a cache line of its own. */
static struct {
  uint64_t range;
  char pad[64 - sizeof(uint64_t)];
} cursors[kMaxWorkers + 1];

static void run_task(int i) {
  int rc = pool.task(pool.user_context, pool.min + i, pool.closure);
  if (rc != 0) {
    int none = 0;
    __atomic_compare_exchange_n(&pool.error, &none, rc, 0, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
  }
}

/* Takes one task of part `part`: its owner the first not yet taken, any
 * other thread the last (so the owner runs a prefix of its share, in
 * order). -1 when none is left. */
static int take(int part, int owner) {
  uint64_t range = __atomic_load_n(&cursors[part].range, __ATOMIC_RELAXED);
  for (;;) {
    uint32_t next = (uint32_t)(range >> 32), end = (uint32_t)range;
    if (next >= end)
      return -1;
    uint64_t taken = owner ? (uint64_t)(next + 1) << 32 | end
                           : (uint64_t)next << 32 | (end - 1);
    if (__atomic_compare_exchange_n(&cursors[part].range, &range, taken, 1,
                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
      return (int)(owner ? next : end - 1);
  }
}

/* Runs part `part`'s tasks until none is left. */
static void run_part(int part, int owner) {
  int ran = 0;
  for (int i; (i = take(part, owner)) >= 0; ++ran)
    run_task(i);
  if (ran > 0)
    __atomic_fetch_add(&pool.done, ran, __ATOMIC_RELEASE);
}

/* Takes parts of the published loop until none are left. The first
 * `pool.parts` parts are equal shares of the loop, one per thread, in
 * the order threads claim them (the caller usually first: the others
 * join after it publishes);
 * the few tasks left over (size mod threads) go one at a time. Equal
 * shares in the same order every loop keep a thread on the same part of
 * consecutive kernels' data (a kernel over channels after another over
 * channels reads what it wrote from its own core's cache, not the other
 * core's), and each thread counts once per loop rather than once per
 * small chunk: SqueezeNet at two threads 0.89, U-Net 0.92 of the time
 * with about eight dynamic chunks per thread. A thread done with its
 * share and the leftovers takes the other shares' tasks not yet started,
 * from their ends, so that a thread held up (descheduled by the host, or
 * on slower tasks) does not leave the others waiting on the rest of its
 * share. */
static void run_tasks(void) {
  for (;;) {
    int part = __atomic_fetch_add(&pool.next, 1, __ATOMIC_RELAXED);
    if (part < pool.parts) {
      run_part(part, 1);
      continue;
    }
    int i = pool.parts * pool.share + (part - pool.parts);
    if (i >= pool.size)
      break;
    run_task(i);
    __atomic_fetch_add(&pool.done, 1, __ATOMIC_RELEASE);
  }
  for (int part = 0; part < pool.parts; ++part)
    run_part(part, 0);
}

/* A loop is published by bumping `generation` to an odd value (being set
 * up: workers keep away), waiting until no worker is still in the last
 * loop, writing the loop and bumping `generation` to the next even value. */
static int published(uint64_t generation, uint64_t seen) {
  return generation != seen && (generation & 1) == 0;
}

static void *worker(void *arg) {
  int index = (int)(intptr_t)arg;
  in_task = 1;
  /* The last loop published before the worker was started: the one about
   * to be published is new to it. */
  uint64_t seen = pool.start_seen[index];
  for (;;) {
    /* Spin for the next loop, then sleep until one comes. */
    uint64_t now = __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE);
    int64_t deadline = now_nanos() + kSpinNanos;
    for (int spins = 0; !published(now, seen); ++spins) {
      cpu_relax();
      now = __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE);
      if ((spins & 63) == 63 && !published(now, seen) && now_nanos() > deadline)
        break;
    }
    if (!published(now, seen)) {
      pthread_mutex_lock(&pool.lock);
      __atomic_fetch_add(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
      while (!published(__atomic_load_n(&pool.generation, __ATOMIC_SEQ_CST),
                        seen) &&
             index < pool.stop_from)
        pthread_cond_wait(&pool.wake, &pool.lock);
      __atomic_fetch_sub(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
      int stop = index >= pool.stop_from;
      pthread_mutex_unlock(&pool.lock);
      if (stop)
        return NULL;
      now = __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE);
      if (!published(now, seen))
        continue;
    }
    seen = now;
    /* Join the loop unless the next one is being set up already. */
    __atomic_fetch_add(&pool.users, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&pool.generation, __ATOMIC_SEQ_CST) == seen)
      run_tasks();
    __atomic_fetch_sub(&pool.users, 1, __ATOMIC_RELEASE);
  }
}

static int pool_size(void) {
  int n = pool.threads;
  if (n <= 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    n = cores > 0 ? (int)cores : 1;
  }
  return n > kMaxWorkers + 1 ? kMaxWorkers + 1 : n;
}

/* Starts the workers the pool's size asks for (under lock). */
static void start_workers(void) {
  int want = pool_size() - 1;
  pool.stop_from = want;
  while (pool.started < want) {
    pool.start_seen[pool.started] =
        __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE);
    if (pthread_create(&pool.workers[pool.started], NULL, worker,
                       (void *)(intptr_t)pool.started) != 0)
      break;
    ++pool.started;
  }
}

static int do_par_for(void *uc, task_fn task, int min, int size,
                      uint8_t *closure) {
  if (serial || in_task || size <= 1)
    return run_in_order(uc, task, min, size, closure);
  if (previous && previous != halide_default_do_par_for)
    return previous(uc, task, min, size, closure);
  int idle = 0;
  if (pool_size() <= 1 ||
      !__atomic_compare_exchange_n(&pool.busy, &idle, 1, 0, __ATOMIC_ACQUIRE,
                                   __ATOMIC_RELAXED))
    return run_in_order(uc, task, min, size, closure);
  if (pool.started < pool_size() - 1) {
    pthread_mutex_lock(&pool.lock);
    start_workers();
    pthread_mutex_unlock(&pool.lock);
  }
  /* Set up (odd), once no worker is left in the last loop; publish (even). */
  __atomic_fetch_add(&pool.generation, 1, __ATOMIC_SEQ_CST);
  while (__atomic_load_n(&pool.users, __ATOMIC_SEQ_CST) > 0)
    cpu_relax();
  pool.task = task;
  pool.user_context = uc;
  pool.closure = closure;
  pool.min = min;
  pool.size = size;
  pool.share = size / pool_size();
  pool.parts = pool.share > 0 ? pool_size() : 0;
  for (int part = 0; part < pool.parts; ++part)
    __atomic_store_n(&cursors[part].range,
                     (uint64_t)(part * pool.share) << 32 |
                         (uint32_t)((part + 1) * pool.share),
                     __ATOMIC_RELAXED);
  pool.error = 0;
  __atomic_store_n(&pool.done, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&pool.next, 0, __ATOMIC_RELAXED);
  __atomic_fetch_add(&pool.generation, 1, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&pool.sleepers, __ATOMIC_SEQ_CST) > 0) {
    pthread_mutex_lock(&pool.lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
  }
  in_task = 1;
  run_tasks();
  in_task = 0;
  while (__atomic_load_n(&pool.done, __ATOMIC_ACQUIRE) < size)
    cpu_relax();
  int rc = pool.error;
  __atomic_store_n(&pool.busy, 0, __ATOMIC_RELEASE);
  return rc;
}

void onnxc_rt_threads_prepare(void) {
  static int installed;
  if (__atomic_load_n(&installed, __ATOMIC_ACQUIRE))
    return;
  pthread_mutex_lock(&pool.lock);
  if (!installed) {
    par_for_fn old = halide_set_custom_do_par_for(do_par_for);
    if (old != do_par_for)
      previous = old;
    __atomic_store_n(&installed, 1, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&pool.lock);
}

void onnxc_rt_set_num_threads(int32_t n) {
  pthread_mutex_lock(&pool.lock);
  pool.threads = n > 0 ? n : 0;
  int want = pool_size() - 1;
  if (pool.started > want) {
    /* Fewer threads: the extra workers exit. */
    pool.stop_from = want;
    pthread_cond_broadcast(&pool.wake);
    int started = pool.started;
    pool.started = want;
    pthread_mutex_unlock(&pool.lock);
    for (int i = want; i < started; ++i)
      pthread_join(pool.workers[i], NULL);
    return;
  }
  pthread_mutex_unlock(&pool.lock);
}

int32_t onnxc_rt_num_threads(void) { return pool_size(); }

void onnxc_rt_lane_serial(int32_t on) { serial = on; }
