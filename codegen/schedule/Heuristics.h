// The schedule heuristics: from a group's anchor, result shape and the
// target to tile sizes, vector width and parallel axis. Plain C++ so that it
// is unit-tested without IR.
#ifndef ONNXC_CODEGEN_SCHEDULE_HEURISTICS_H
#define ONNXC_CODEGEN_SCHEDULE_HEURISTICS_H

#include "targets/Target.h"

#include <cstdint>
#include <string>
#include <vector>

namespace onnxc {

struct ScheduleChoice {
  std::string strategy;      // conv_direct, gemm, gemm_panel, gemm_packed,
                             // pool, global_pool, softmax, elementwise
  int vectorWidth = 1;       // float lanes per vector
  int parallelAxis = -1;     // ONNX axis of the result split across threads
  std::vector<int64_t> tile; // result tile over the innermost axes
  int unroll = 1;            // unroll factor of the tile's outer axis
  int prefetch = 0; // gemm_packed: reduction steps ahead that the weights are
                    // prefetched (0: none)
};

/// Whether the rows of a float32 matrix of `columns` columns are a
/// multiple of 4 KiB apart, so that a tile of 16 rows read at one column
/// falls in one set of an 8-way L1 (32 KiB / 8 ways = 4 KiB a set's
/// stride). chooseSchedule gives such products tiles of 16 rows only when
/// their weights can be packed, and onnxc-pack-weights packs them.
bool rowsShareL1Set(int64_t columns);

/// `anchor` is the ONNX op type that anchors the group (e.g. "Conv");
/// `reduction` the extent a MatMul or Gemm anchor sums over (K), or the
/// number of input elements a Reduce anchor combines into each result
/// element (0 when unknown or another anchor); `constantA` whether a MatMul
/// anchor's first operand (the weights of a conv written as a product) is known
/// at compile time, so that it can be packed for the schedule (gemm_packed:
/// tile = rows, columns per tile, reduction block); `depthwise` whether a
/// Conv anchor convolves each channel alone (group = channels).
ScheduleChoice chooseSchedule(const std::string &anchor,
                              const std::vector<int64_t> &resultShape,
                              const TargetInfo &target, int64_t reduction = 0,
                              bool constantA = false, bool depthwise = false);

} // namespace onnxc

#endif
