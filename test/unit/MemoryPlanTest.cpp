// The workspace planner: disjoint lifetimes share memory, overlapping ones
// never do.
#include "codegen/host/MemoryPlan.h"

#include <gtest/gtest.h>

using namespace onnxc;

static bool overlaps(const MemoryPlan &plan,
                     const std::vector<BufferLifetime> &bufs, size_t a,
                     size_t b) {
  bool live = bufs[a].first <= bufs[b].last && bufs[b].first <= bufs[a].last;
  bool memory = plan.offsets[a] < plan.offsets[b] + bufs[b].bytes &&
                plan.offsets[b] < plan.offsets[a] + bufs[a].bytes;
  return live && memory;
}

TEST(MemoryPlan, ChainReusesMemory) {
  // A chain a -> b -> c: a and c never live together.
  std::vector<BufferLifetime> bufs{{1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}};
  MemoryPlan plan = planMemory(bufs);
  EXPECT_EQ(plan.offsets[0], plan.offsets[2]);
  EXPECT_EQ(plan.totalBytes, 2048); // two buffers, 64-byte aligned
}

TEST(MemoryPlan, NoOverlapsAndAligned) {
  std::vector<BufferLifetime> bufs;
  for (int i = 0; i < 40; ++i)
    bufs.push_back({(i * 7919) % 5000 + 1, i % 13, i % 13 + i % 5});
  MemoryPlan plan = planMemory(bufs, 64);
  for (size_t a = 0; a < bufs.size(); ++a) {
    EXPECT_EQ(plan.offsets[a] % 64, 0);
    EXPECT_LE(plan.offsets[a] + bufs[a].bytes, plan.totalBytes);
    for (size_t b = a + 1; b < bufs.size(); ++b)
      EXPECT_FALSE(overlaps(plan, bufs, a, b)) << a << " and " << b;
  }
}

TEST(MemoryPlan, Empty) {
  MemoryPlan plan = planMemory({});
  EXPECT_EQ(plan.totalBytes, 0);
}
