// Liveness-based workspace planning (greedy by size, first fit).
#include "codegen/host/MemoryPlan.h"

#include <algorithm>
#include <numeric>

namespace onnxc {

MemoryPlan planMemory(const std::vector<BufferLifetime> &buffers,
                      int64_t alignment) {
  MemoryPlan plan;
  plan.offsets.assign(buffers.size(), 0);
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return buffers[a].bytes > buffers[b].bytes;
  });
  auto alignUp = [&](int64_t v) {
    return (v + alignment - 1) / alignment * alignment;
  };

  std::vector<size_t> placed;
  for (size_t i : order) {
    const BufferLifetime &buf = buffers[i];
    // Intervals taken by placed buffers alive at the same time, by offset.
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t j : placed) {
      const BufferLifetime &other = buffers[j];
      if (other.first <= buf.last && buf.first <= other.last)
        busy.emplace_back(plan.offsets[j], plan.offsets[j] + other.bytes);
    }
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (auto [begin, end] : busy) {
      if (offset + buf.bytes <= begin)
        break;
      offset = std::max(offset, alignUp(end));
    }
    plan.offsets[i] = offset;
    plan.totalBytes = std::max(plan.totalBytes, offset + buf.bytes);
    placed.push_back(i);
  }
  plan.totalBytes = alignUp(plan.totalBytes);
  return plan;
}

} // namespace onnxc
