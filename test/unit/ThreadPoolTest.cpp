// The runtime's thread pool (runtime/src/threads.c) as Halide's kernels use
// it: through the handler it installs for halide_do_par_for. This test
// stands in for the Halide runtime a compiled model links (the handler
// slot and the default handler).
#include "onnxc/kernels.h"

#include <atomic>
#include <dirent.h>
#include <pthread.h>
#include <set>
#include <time.h>
#include <vector>

#include <gtest/gtest.h>

namespace {

using Task = int (*)(void *, int, uint8_t *);
using ParFor = int (*)(void *, Task, int, int, uint8_t *);

int serialParFor(void *uc, Task task, int min, int size, uint8_t *closure) {
  for (int i = min; i < min + size; ++i)
    if (int rc = task(uc, i, closure))
      return rc;
  return 0;
}

std::atomic<ParFor> handler{nullptr};

} // namespace

extern "C" {
int halide_default_do_par_for(void *uc, Task task, int min, int size,
                              uint8_t *closure) {
  return serialParFor(uc, task, min, size, closure);
}
int halide_do_par_for(void *uc, Task task, int min, int size,
                      uint8_t *closure) {
  ParFor f = handler.load();
  return (f ? f : halide_default_do_par_for)(uc, task, min, size, closure);
}
ParFor halide_set_custom_do_par_for(ParFor f) {
  ParFor old = handler.exchange(f);
  return old ? old : halide_default_do_par_for;
}
}

namespace {

/// What a kernel's parallel loop calls.
int parFor(Task task, int min, int size, void *closure) {
  ParFor f = handler.load();
  return (f ? f : halide_default_do_par_for)(nullptr, task, min, size,
                                             static_cast<uint8_t *>(closure));
}

struct Record {
  std::vector<std::atomic<int>> runs;
  std::vector<pthread_t> thread;
  explicit Record(int n) : runs(n), thread(n) {}
};

int recordTask(void *, int i, uint8_t *closure) {
  auto *r = reinterpret_cast<Record *>(closure);
  r->runs[i].fetch_add(1);
  r->thread[i] = pthread_self();
  return 0;
}

int threadCount() {
  DIR *dir = opendir("/proc/self/task");
  int n = 0;
  for (dirent *e; dir && (e = readdir(dir));)
    n += e->d_name[0] != '.';
  if (dir)
    closedir(dir);
  return n;
}

class ThreadPool : public ::testing::Test {
protected:
  void SetUp() override { onnxc_rt_threads_prepare(); }
  void TearDown() override { onnxc_rt_set_num_threads(1); }
};

TEST_F(ThreadPool, EveryTaskRunsOnce) {
  for (int threads : {2, 3, 4}) {
    onnxc_rt_set_num_threads(threads);
    EXPECT_EQ(onnxc_rt_num_threads(), threads);
    for (int size : {2, 7, 1000}) {
      Record r(size);
      ASSERT_EQ(parFor(recordTask, 0, size, &r), 0);
      for (int i = 0; i < size; ++i)
        EXPECT_EQ(r.runs[i].load(), 1) << "task " << i << " of " << size;
    }
  }
}

/// 64 tasks from index `min`, each long enough that the caller cannot run
/// them all before the workers (spinning, or woken) join; each records the
/// thread it ran on.
struct SlowTasks {
  static constexpr int kCount = 64;
  int min;
  std::vector<pthread_t> thread = std::vector<pthread_t>(kCount);

  explicit SlowTasks(int min) : min(min) {}
  int run() {
    Task task = [](void *, int i, uint8_t *closure) {
      volatile double x = 0;
      for (int k = 0; k < 200000; ++k)
        x = x + k;
      auto *self = reinterpret_cast<SlowTasks *>(closure);
      self->thread.at(i - self->min) = pthread_self();
      return 0;
    };
    return parFor(task, min, kCount, this);
  }
};

TEST_F(ThreadPool, WorkersTakeTasks) {
  onnxc_rt_set_num_threads(2);
  SlowTasks slow(0);
  ASSERT_EQ(slow.run(), 0);
  std::set<pthread_t> used(slow.thread.begin(), slow.thread.end());
  EXPECT_EQ(used.size(), 2u);
}

/// Whether tasks [first, first + count) ran on one thread up to some task
/// and on one other thread from there on (or all on the first).
bool prefixThenOther(const std::vector<pthread_t> &thread, int first,
                     int count) {
  int i = first;
  while (i < first + count && pthread_equal(thread[i], thread[first]))
    ++i;
  for (int j = i; j < first + count; ++j)
    if (!pthread_equal(thread[j], thread[i]))
      return false;
  return true;
}

TEST_F(ThreadPool, EachThreadTakesOneEqualShare) {
  // Two threads, 64 tasks from index 5: each thread starts one half, 32
  // consecutive tasks, so consecutive kernels split the same way; it runs
  // a prefix of its half, the other thread (done with its own half) at
  // most the rest.
  onnxc_rt_set_num_threads(2);
  SlowTasks slow(5);
  ASSERT_EQ(slow.run(), 0);
  EXPECT_FALSE(pthread_equal(slow.thread[0], slow.thread[32]));
  EXPECT_TRUE(prefixThenOther(slow.thread, 0, 32));
  EXPECT_TRUE(prefixThenOther(slow.thread, 32, 32));
}

TEST_F(ThreadPool, IdleThreadTakesTheEndOfAnotherShare) {
  // The first half's tasks take about a millisecond each, the second
  // half's none: the thread of the second half, done with it, takes tasks
  // from the end of the first half while its owner works from the start.
  onnxc_rt_set_num_threads(2);
  struct Uneven {
    std::vector<pthread_t> thread = std::vector<pthread_t>(64);
  } uneven;
  Task task = [](void *, int i, uint8_t *closure) {
    if (i < 32) {
      timespec t{0, 1000 * 1000};
      nanosleep(&t, nullptr);
    }
    reinterpret_cast<Uneven *>(closure)->thread.at(i) = pthread_self();
    return 0;
  };
  ASSERT_EQ(parFor(task, 0, 64, &uneven), 0);
  EXPECT_FALSE(pthread_equal(uneven.thread[0], uneven.thread[32]));
  EXPECT_TRUE(prefixThenOther(uneven.thread, 0, 32));
  EXPECT_TRUE(pthread_equal(uneven.thread[31], uneven.thread[32]));
}

TEST_F(ThreadPool, FailureIsReturned) {
  onnxc_rt_set_num_threads(3);
  Task failing = [](void *, int i, uint8_t *) { return i == 17 ? -5 : 0; };
  EXPECT_EQ(parFor(failing, 0, 100, nullptr), -5);
  // The pool is usable afterwards.
  Record r(50);
  EXPECT_EQ(parFor(recordTask, 0, 50, &r), 0);
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(r.runs[i].load(), 1);
}

TEST_F(ThreadPool, NestedLoopsRunOnTheirTasksThread) {
  onnxc_rt_set_num_threads(2);
  struct Outer {
    std::atomic<int> mismatched{0}, inner{0};
  } outer;
  Task task = [](void *, int, uint8_t *closure) {
    auto *o = reinterpret_cast<Outer *>(closure);
    Record r(8);
    int rc = parFor(recordTask, 0, 8, &r);
    for (int i = 0; i < 8; ++i) {
      o->inner += r.runs[i].load();
      if (!pthread_equal(r.thread[i], pthread_self()))
        ++o->mismatched;
    }
    return rc;
  };
  ASSERT_EQ(parFor(task, 0, 16, &outer), 0);
  EXPECT_EQ(outer.inner.load(), 16 * 8);
  EXPECT_EQ(outer.mismatched.load(), 0);
}

TEST_F(ThreadPool, SerialLaneRunsOnItsThread) {
  onnxc_rt_set_num_threads(4);
  Record r(100);
  onnxc_rt_lane_serial(1);
  ASSERT_EQ(parFor(recordTask, 0, 100, &r), 0);
  onnxc_rt_lane_serial(0);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(r.runs[i].load(), 1);
    EXPECT_TRUE(pthread_equal(r.thread[i], pthread_self()));
  }
}

TEST_F(ThreadPool, SmallerSizeEndsWorkers) {
  int base = threadCount();
  onnxc_rt_set_num_threads(4);
  Record r(64);
  ASSERT_EQ(parFor(recordTask, 0, 64, &r), 0);
  EXPECT_EQ(threadCount(), base + 3);
  onnxc_rt_set_num_threads(2);
  EXPECT_EQ(threadCount(), base + 1);
  onnxc_rt_set_num_threads(1);
  EXPECT_EQ(threadCount(), base);
  // One thread: the caller runs everything.
  Record one(10);
  ASSERT_EQ(parFor(recordTask, 0, 10, &one), 0);
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(pthread_equal(one.thread[i], pthread_self()));
}

} // namespace

namespace {

/// A batch of items whose time per item depends on the way they run: a
/// lane's items take `laneMicros` each, items one at a time `itemMicros`.
/// Records the lanes of every call.
struct TimedBatch {
  int laneMicros, itemMicros;
  std::atomic<int> items{0};
  std::vector<int64_t> lanes;
  onnxc_rt_batch plan{};

  static int lane(void *, int index, uint8_t *closure) {
    auto *c = reinterpret_cast<int64_t *>(closure);
    auto *self = reinterpret_cast<TimedBatch *>(c[2]);
    int micros = c[1] > 1 ? self->laneMicros : self->itemMicros;
    for (int64_t item = index; item < c[0]; item += c[1]) {
      timespec t{0, micros * 1000L};
      nanosleep(&t, nullptr);
      self->items.fetch_add(1);
    }
    return 0;
  }
  int run(int64_t batch) {
    int64_t closure[6] = {batch, 0, reinterpret_cast<int64_t>(this), 0, 0, 0};
    int rc = onnxc_rt_run_batch(&plan, lane, closure);
    lanes.push_back(closure[1]);
    return rc;
  }
};

} // namespace

TEST_F(ThreadPool, BatchPlanProbesBothWaysThenKeepsTheFaster) {
  onnxc_rt_set_num_threads(2);
  // Items one at a time take 1 ms each, lanes 8 ms each (4 ms a batch
  // item on two lanes): items win.
  TimedBatch fast{8000, 1000};
  for (int call = 0; call < 9; ++call)
    ASSERT_EQ(fast.run(4), 0);
  EXPECT_EQ(fast.items.load(), 9 * 4);
  // An untimed call in lanes, three probes of each way (items first),
  // then items.
  std::vector<int64_t> expected = {2, 1, 2, 1, 2, 1, 2, 1, 1};
  EXPECT_EQ(fast.lanes, expected);
  EXPECT_EQ(onnxc_rt_batch_way(&fast.plan), ONNXC_BATCH_ITEMS);

  // The other way round: lanes win.
  TimedBatch slow{1000, 8000};
  for (int call = 0; call < 9; ++call)
    ASSERT_EQ(slow.run(4), 0);
  EXPECT_EQ(slow.lanes.back(), 2);
  EXPECT_EQ(onnxc_rt_batch_way(&slow.plan), ONNXC_BATCH_LANES);

  // A new thread count probes again; one lane (a batch of one, or one
  // thread) never probes.
  onnxc_rt_set_num_threads(3);
  ASSERT_EQ(fast.run(4), 0);
  EXPECT_EQ(onnxc_rt_batch_way(&fast.plan), ONNXC_BATCH_AUTO);
  EXPECT_EQ(fast.lanes.back(), 3);
  ASSERT_EQ(fast.run(1), 0);
  EXPECT_EQ(fast.lanes.back(), 1);
}

TEST_F(ThreadPool, BatchPlanModeIsObeyed) {
  onnxc_rt_set_num_threads(2);
  TimedBatch batch{1000, 1000};
  onnxc_rt_batch_set_mode(&batch.plan, ONNXC_BATCH_ITEMS);
  for (int call = 0; call < 3; ++call)
    ASSERT_EQ(batch.run(5), 0);
  EXPECT_EQ(batch.lanes, (std::vector<int64_t>{1, 1, 1}));
  onnxc_rt_batch_set_mode(&batch.plan, ONNXC_BATCH_LANES);
  ASSERT_EQ(batch.run(5), 0);
  EXPECT_EQ(batch.lanes.back(), 2);
  EXPECT_EQ(batch.items.load(), 4 * 5);
  // Back to AUTO: probing starts over with an untimed call in lanes.
  onnxc_rt_batch_set_mode(&batch.plan, ONNXC_BATCH_AUTO);
  ASSERT_EQ(batch.run(5), 0);
  ASSERT_EQ(batch.run(5), 0);
  EXPECT_EQ(batch.lanes.back(), 1);
  EXPECT_EQ(onnxc_rt_batch_way(&batch.plan), ONNXC_BATCH_AUTO);
}
