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
  int64_t columnBlock = 0; // gemm: columns of B that every row tile runs over
                           // before the next block (0: all of them)
};

/// Whether the rows of a float32 matrix of `columns` columns are a
/// multiple of 4 KiB apart, so that a tile of 16 rows read at one column
/// falls in one set of an 8-way L1 (32 KiB / 8 ways = 4 KiB a set's
/// stride). chooseSchedule gives such products tiles of 16 rows only when
/// their weights can be packed, and onnxc-pack-weights packs them.
bool rowsShareL1Set(int64_t columns);

/// Whether a gemm product of `rows` x `columns` in tiles of `rowTile` x
/// `colTile` over `reduction` copies B in K x colTile panels, the row tiles
/// inside each panel (columns outermost): a panel that outgrows half of L1,
/// over enough row tiles to reuse it. Read in place, each step of the
/// reduction would load from another row of B, at the stride of B's rows.
/// Not, with AVX-512, for tiles of at most two vectors over a B beyond half
/// of L2 whose K x colTile block fits a quarter of L2: those read B in
/// place in column blocks.
bool gemmPacksBPanels(int64_t reduction, int64_t rows, int64_t rowTile,
                      int64_t columns, int64_t colTile,
                      const TargetInfo &target);

/// The vector a row of `width` is computed in when a depthwise conv is
/// merged into a product (onnxc-fuse-depthwise): the widest power of two
/// of at most `lanes` that divides the width, so that no vector straddles
/// two rows of the product's flat view; 0 when that is under half of
/// `lanes` or the row holds fewer than three of them.
int depthwiseRowLanes(int64_t width, int lanes);

/// The rows of an H x W depthwise result (`channels` channels) computed per
/// block inside a gemm that reads it as B in tiles of `colTile` columns
/// (onnxc-fuse-depthwise). Each block is whole tiles (rows * width a
/// multiple of colTile) and a divisor of the height: the fewest rows that
/// make 256 columns or more while the block (channels x rows x width
/// floats) fits a quarter of L2; else the most rows that fit; else the
/// fewest valid rows. The whole height when no divisor makes whole tiles.
int64_t depthwiseBlockRows(int64_t height, int64_t width, int64_t channels,
                           int64_t colTile, const TargetInfo &target);

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
