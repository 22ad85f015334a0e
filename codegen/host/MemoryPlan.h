// The workspace plan: every intermediate tensor gets an offset in one
// workspace, and tensors whose lifetimes do not overlap share memory.
#ifndef ONNXC_CODEGEN_HOST_MEMORYPLAN_H
#define ONNXC_CODEGEN_HOST_MEMORYPLAN_H

#include <cstdint>
#include <vector>

namespace onnxc {

struct BufferLifetime {
  int64_t bytes = 0;
  int first = 0; // step that writes it
  int last = 0;  // last step that reads it (>= first)
};

struct MemoryPlan {
  std::vector<int64_t> offsets; // one per BufferLifetime, `alignment`-aligned
  int64_t totalBytes = 0;
};

/// Greedy by size: the largest buffers are placed first, each at the lowest
/// aligned offset that does not overlap a placed buffer alive at the same
/// time.
MemoryPlan planMemory(const std::vector<BufferLifetime> &buffers,
                      int64_t alignment = 64);

} // namespace onnxc

#endif
