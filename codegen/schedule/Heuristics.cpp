// Schedule heuristics for x86-64 (and any target described by TargetInfo).
#include "codegen/schedule/Heuristics.h"

#include <algorithm>

namespace onnxc {
namespace {

int64_t pow2Floor(int64_t v) {
  int64_t p = 1;
  while (p * 2 <= v)
    p *= 2;
  return p;
}

/// The outermost axis (excluding the innermost, which is vectorized) with
/// more than one element: the cheapest to split across threads.
/// The largest divisor of `extent` that is at most `limit`: tiles that
/// divide the extent need no tail code and can be unrolled.
int64_t divisorAtMost(int64_t extent, int64_t limit) {
  for (int64_t d = std::min(extent, limit); d > 1; --d)
    if (extent % d == 0)
      return d;
  return 1;
}

/// gemm_packed takes products of at most this many columns (maps of 8 x 8
/// or less, at batch 1) with its reduction in blocks (wider ones: see
/// kPackedWideMaxColumns): vectors of columns would be mostly padding there
/// (49 columns take four vectors of 16), and the products wait on their
/// weights, which packing turns into one sequential stream. ResNet-50's
/// 7x7 products took 1.5 ms less, 2-4% of the model (MobileNetV2,
/// EfficientNet-B0 too); on wider maps the vectors of columns were faster.
constexpr int64_t kPackedMaxColumns = 64;
/// ... and a reduction of at least this: each tile's results are stored
/// transposed (rows in vectors, the output's rows apart), a cost a short
/// reduction does not pay back. From 128 (not 256), MobileNetV2's 160->960
/// expansions at 7x7 take it too: on a Zen 4 core, MobileNetV2 0.98 and
/// EfficientNet-B0 0.97 of the time at batch 1 (the gemm's two vectors of
/// columns computed 64 of the 49).
constexpr int64_t kPackedMinReduction = 128;
/// Wider products (up to this many columns: a 16x16 map or smaller) take
/// gemm_packed too when their reduction is at least kPackedWideReduction,
/// each tile over the whole reduction at once: its accumulators stay in
/// registers from the first step to the last, and the weights of a tile of
/// rows (K x 32 floats, 128 KB at K = 1024) are read from L2 by each column
/// tile. The vectors of columns compute 208 of a 14x14 map's 196 columns;
/// tiles of 7 columns compute exactly 196. A tile's 224 results are stored
/// one by one (transposed), by instruction count about 3% of its work at
/// K = 1024 and 12% at 256, so shorter reductions keep the vectors of
/// columns. On a Zen 4 core,
/// batch 1: chains of 32 pointwise convs 1024<->256 at 14x14 0.935-0.945 of
/// the time; ResNet-50 0.98 at one and at two threads, DenseNet-121 and
/// GoogLeNet 0.98 at one. Maps of 28x28 and 56x56 were slower in ResNet-50
/// (B outgrows L2, read once per tile of rows). AVX-512 only: not measured with
/// AVX2's 16 registers.
constexpr int64_t kPackedWideMaxColumns = 256;
constexpr int64_t kPackedWideReduction = 512;
/// gemm_packed prefetches its weights this many reduction steps ahead. A
/// tile's weights are read from far memory only by its first column tile
/// (the others find them in L1), a block at a time, in bursts the hardware
/// prefetcher does not run ahead of; 32 steps of two vectors of rows and
/// 6-12 columns are some 400-800 cycles of FMAs, a memory latency. On a Zen
/// 4 core at batch 1: MobileNetV2 0.96-0.99 of the time (0.94-0.98 at batch
/// 8), ResNet-50 0.97, EfficientNet-B0 0.98.
constexpr int kPackedPrefetch = 32;

/// The columns of a gemm's blocks (`column_block`) where B (`reduction` x
/// `columns` floats) outgrows half of L2: as many whole tiles of `colTile`
/// columns as take a quarter of L2 of B, so that B stays in L2 while every
/// row tile runs over one block. 0 where B fits, or where one tile's
/// columns outgrow that quarter, or one block would hold every column.
int64_t columnBlockOf(int64_t reduction, int64_t columns, int64_t colTile,
                      const TargetInfo &target) {
  if (reduction <= 0 || reduction * columns * 4 <= target.l2Bytes / 2)
    return 0;
  int64_t block = target.l2Bytes / 4 / (reduction * 4) / colTile * colTile;
  return block >= colTile && block < columns ? block : 0;
}

int outermostSplittable(const std::vector<int64_t> &shape) {
  for (size_t i = 0; i + 1 < shape.size(); ++i)
    if (shape[i] > 1)
      return static_cast<int>(i);
  return -1;
}

/// gemm_packed (see chooseSchedule): tiles of two vectors of rows by a few
/// columns for a product [batch..., M, N] over `reduction` whose weights
/// (rows) are constant. False when the product does not suit it.
bool choosePackedGemm(const std::vector<int64_t> &shape,
                      const TargetInfo &target, int64_t reduction,
                      ScheduleChoice &s) {
  int rank = static_cast<int>(shape.size());
  int64_t lanes = target.floatLanes();
  int64_t tileRows = 2 * lanes;
  if (rank < 2 || reduction < kPackedMinReduction ||
      shape[rank - 2] % tileRows != 0)
    return false;
  int64_t cols = shape[rank - 1];
  bool wide = cols > kPackedMaxColumns;
  if (wide && (lanes < 16 || cols > kPackedWideMaxColumns ||
               reduction < kPackedWideReduction))
    return false;
  // Columns per tile: as many as leave registers for the two weight
  // vectors and a broadcast (AVX-512: 6 to 12 x 2 of 32 registers; AVX2: 4
  // to 6 x 2 of 16), the count that pads the last tile least, the widest
  // of those.
  int64_t minCols = lanes >= 16 ? 6 : 4, maxCols = lanes >= 16 ? 12 : 6;
  int64_t tileCols = maxCols, waste = -1;
  for (int64_t c = maxCols; c >= minCols; --c) {
    int64_t w = (cols + c - 1) / c * c - cols;
    if (waste < 0 || w < waste) {
      tileCols = c;
      waste = w;
    }
  }
  // Reduction blocks whose slice of weights (block x tile rows) takes a
  // quarter of L1: every column tile reuses it from there.
  int64_t kBlock = std::max<int64_t>(16, target.l1Bytes / 4 / (4 * tileRows));
  if (reduction <= kBlock || wide)
    kBlock = reduction;
  else if (int64_t d = divisorAtMost(reduction, kBlock); 2 * d >= kBlock)
    kBlock = d;
  s.strategy = "gemm_packed";
  s.tile = {tileRows, tileCols, kBlock};
  s.unroll = static_cast<int>(tileCols);
  // Not for wide products: each column tile rereads the tile's weights
  // from L2, where a non-temporal prefetch would not keep them (chains of
  // 1024<->256 at 14x14: 0.955 of the time with it, 0.935 without).
  s.prefetch = wide ? 0 : kPackedPrefetch;
  s.vectorWidth = static_cast<int>(std::min<int64_t>(lanes, pow2Floor(cols)));
  // A batch of products (Winograd's): whole products across threads; else
  // tiles of rows.
  s.parallelAxis = rank >= 3 && shape[0] >= 4 ? 0 : rank - 2;
  return true;
}

} // namespace

bool rowsShareL1Set(int64_t columns) { return columns * 4 % 4096 == 0; }

bool gemmPacksBPanels(int64_t reduction, int64_t rows, int64_t rowTile,
                      int64_t columns, int64_t colTile,
                      const TargetInfo &target) {
  int64_t panels = (columns + colTile - 1) / colTile;
  // B beyond half of L2 under tiles of two vectors or less: read in place,
  // in column blocks that stay in L2 (chooseSchedule's column_block), not
  // copied. The copy's loads reach a new row of B, and a line not yet in
  // L2, at every step, each panel's column of lines again. On a Zen 4 core,
  // batch 1, one thread (Halide profile): ResNet-50's 256->64 at 56x56 0.86
  // and 0.95 of the time, 256->128 0.94, 512->128 at 28x28 0.93-0.96, the
  // strided 3x3 over 128 channels (im2col, a reduction of 1152) 0.94; the
  // model 0.986-0.992 (1.010-1.013 with the old schedule second).
  // Compute-bound tiles of four vectors keep the panels (without them, the
  // strided 256->512 projection to 28x28 took 1.025 of its time, 512->256
  // at 28x28 0.986), and so does AVX2 (ResNet-50 1.05 without them).
  // So do products with no column blocks (a reduction too long for one
  // tile's columns to fit a quarter of L2).
  if (target.floatLanes() >= 16 && colTile <= 2 * target.floatLanes() &&
      columnBlockOf(reduction, columns, colTile, target) > 0)
    return false;
  return reduction * colTile * 4 > target.l1Bytes / 2 && rows >= 4 * rowTile &&
         panels >= 2;
}

int depthwiseRowLanes(int64_t width, int lanes) {
  int v = lanes;
  while (v > 1 && width % v != 0)
    v /= 2;
  return 2 * v >= lanes && width >= 3 * v ? v : 0;
}

int64_t depthwiseBlockRows(int64_t height, int64_t width, int64_t channels,
                           int64_t colTile, const TargetInfo &target) {
  std::vector<int64_t> valid;
  for (int64_t r = 1; r <= height; ++r)
    if (height % r == 0 && (r * width) % std::max<int64_t>(colTile, 1) == 0)
      valid.push_back(r);
  if (valid.empty())
    return height;
  auto fits = [&](int64_t r) {
    return channels * r * width * 4 <= target.l2Bytes / 4;
  };
  int64_t best = 0;
  for (int64_t r : valid) {
    if (!fits(r))
      break;
    best = r;
    if (r * width >= 256)
      break;
  }
  return best ? best : valid.front();
}

ScheduleChoice chooseSchedule(const std::string &anchor,
                              const std::vector<int64_t> &shape,
                              const TargetInfo &target, int64_t reduction,
                              bool constantA, bool depthwise) {
  ScheduleChoice s;
  int64_t inner = shape.empty() ? 1 : shape.back();
  // Never wider than the innermost extent: narrow outputs (a 10-class
  // classifier, a 7x7 feature map) would otherwise be mostly masked lanes.
  s.vectorWidth = static_cast<int>(std::min<int64_t>(
      target.floatLanes(), pow2Floor(std::max<int64_t>(inner, 1))));
  s.parallelAxis = outermostSplittable(shape);

  if (anchor == "Conv") {
    s.strategy = "conv_direct";
    // Register blocking: a tile of rows x output channels x one vector of
    // columns, one accumulator each, as many as the vector registers allow
    // beside the loaded input vectors and weight broadcasts (AVX2: 16
    // registers, 12 accumulators; AVX-512: 32, 24). Each input vector
    // loaded is used once per channel of the block, each weight broadcast
    // once per row.
    int64_t height = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
    int64_t accumulators = target.floatLanes() >= 16 ? 24 : 12;
    int64_t channels = shape.size() == 4 ? shape[1] : 1;
    int64_t channelBlock = divisorAtMost(channels, 4);
    // Input rows that stay in L1 while the tile's reduction runs.
    int64_t rowBytes = inner * 4;
    int64_t l1Rows = std::max<int64_t>(1, target.l1Bytes / 4 /
                                              std::max<int64_t>(rowBytes, 1));
    // A divisor of the height needs no overlapping last tile; without one
    // of at least half the register budget, the last tile shifts inwards.
    int64_t maxRows = std::min<int64_t>(l1Rows, accumulators / channelBlock);
    int64_t rows = divisorAtMost(height, maxRows);
    if (2 * rows < maxRows)
      rows = std::min(height, maxRows);
    // A depthwise conv's channels share no input loads, and its padded
    // input is made per block of channels: one channel per block keeps that
    // plane in L1 (four channels at 56x56: 52 KB, over Zen 4's 32 KiB).
    // On Zen 4: MobileNetV2 0.99 of the time at batch 1 (0.96-1.00 in
    // five comparisons), 0.98 at batch 8.
    s.tile = {rows, inner, depthwise ? 1 : channelBlock};
    if (shape.size() >= 2 && shape[0] == 1 && shape[1] > 1)
      s.parallelAxis = 1;
  } else if (anchor == "MatMul" && constantA &&
             choosePackedGemm(shape, target, reduction, s)) {
    // Constant weights times activations (a conv written as a product):
    // the weights packed at compile time in blocks of two vectors of rows,
    // read as vectors; the activations' columns broadcast.
  } else if (anchor == "MatMul" || anchor == "Gemm") {
    s.strategy = "gemm";
    int64_t rowsTotal = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
    // A rowTile x (2 vectors) block of accumulators fits the register file
    // beside the B vectors and A broadcasts (AVX-512: 8 x 2 of 32 zmm;
    // AVX2: 6 x 2 of 16 ymm, 12 accumulators, enough to cover the FMA
    // latency of both FMA pipes; 4 x 2 measured at half the peak). A tile
    // that does not divide the rows is shifted inwards at the end (a few
    // rows computed twice).
    int64_t rowTile =
        std::min<int64_t>(rowsTotal, target.floatLanes() >= 16 ? 8 : 6);
    // Columns that fit one vector (a product over a 4x4 or 7x7 map at
    // batch 1): twice the rows instead, so that enough accumulators hide
    // the FMA latency and each B vector loaded serves more rows.
    if (inner <= s.vectorWidth && rowsTotal >= 2 * rowTile)
      rowTile *= 2;
    // Few rows (a classifier at batch 1): more vectors per row, so that
    // enough independent accumulators hide the FMA latency (at least 8).
    int64_t vectors = rowTile >= 4 ? 2 : rowTile >= 2 ? 4 : 8;
    // A large product (256 or more rows, columns and reduction, AVX-512):
    // compute-bound, so 6 rows x 4 vectors, 10 loads per 24 FMAs instead
    // of 10 per 16 (SGEMM 1024^3 at one thread 13.2 -> 12.4 ms). Products
    // of convs on maps of this size wait on memory, and wider tiles did
    // not help them.
    if (target.floatLanes() >= 16 && rowsTotal >= 256 && inner >= 256 &&
        reduction >= 256) {
      rowTile = 6;
      vectors = 4;
    }
    // Columns whose last tile of two vectors would be mostly padding (a
    // 14x14 map: 196 columns take seven tiles of 32, 224 computed): one
    // vector by twice the rows (13 tiles of 16, 208; AVX-512's 32
    // registers hold the 16 accumulators). Rows of A a multiple of 4 KiB
    // apart would share one L1 set of 8 ways, 16 of them evicting each
    // other (1024->256 at 14x14 alone 1.04 -> 2.03 ms): such A must be
    // constant weights in whole tiles, which onnxc-pack-weights then lays
    // out a tile's rows side by side (1.04 -> 0.96 ms). On a Zen 4 core,
    // alone: 576->96 at 14x14 0.224 -> 0.209 ms, 256->1024 1.02 -> 0.93;
    // MobileNetV2 0.97 and ResNet-50 0.98 of the time at batch 1.
    int64_t twoVectors = 2 * s.vectorWidth;
    bool packable = constantA && rowsTotal % (2 * rowTile) == 0;
    if (target.floatLanes() >= 16 && vectors == 2 && inner > twoVectors &&
        inner % twoVectors != 0 && inner % twoVectors <= s.vectorWidth &&
        rowsTotal >= 2 * rowTile && reduction > 0 &&
        (!rowsShareL1Set(reduction) || packable)) {
      rowTile *= 2;
      vectors = 1;
    }
    int64_t colTile = std::min<int64_t>(inner, vectors * s.vectorWidth);
    s.tile = {rowTile, colTile};
    s.unroll = static_cast<int>(rowTile);
    int rank = static_cast<int>(shape.size());
    // A batch of products (Winograd's, one per transformed position):
    // whole products across threads. Else row blocks; fewer than four
    // blocks of rows over many columns (a squeeze or projection conv on a
    // large map): the columns across threads instead, each thread then
    // reading its own part of B rather than all of it.
    int64_t rowTiles = (rowsTotal + rowTile - 1) / rowTile;
    int64_t colTiles = (inner + colTile - 1) / colTile;
    if (rank >= 3 && shape[0] >= 4)
      s.parallelAxis = 0;
    else if (rowTiles < 4 && colTiles >= 8 &&
             (rank == 2 || outermostSplittable(shape) >= rank - 2))
      s.parallelAxis = rank - 1;
    else if (rowsTotal > rowTile)
      s.parallelAxis = rank - 2;
    else if (inner > colTile && outermostSplittable(shape) < 0)
      s.parallelAxis = rank - 1;
    else
      s.parallelAxis = outermostSplittable(shape);
    // A long reduction over few rows (a transformer's or ConvNeXt's
    // linear layers on a small map): the row-tile loop would stream the
    // whole K x colTile panel of B from beyond L1 once per row tile. The
    // panel schedule computes all rows of a column panel at once, the
    // reduction in blocks of B that stay in L1, A (all rows) in L2.
    if (rank == 2 && reduction >= 256 && rowsTotal > rowTile &&
        rowsTotal * reduction * 4 <= target.l2Bytes) {
      int64_t panelRows = divisorAtMost(rowsTotal, rowTile);
      if (2 * panelRows < rowTile)
        panelRows = rowTile;
      int64_t kBlock = std::max<int64_t>(
          16, target.l1Bytes / 2 / (colTile * 4)); // half of L1 for B
      int64_t divisor = divisorAtMost(reduction, kBlock);
      if (2 * divisor >= kBlock)
        kBlock = divisor;
      s.strategy = "gemm_panel";
      s.tile = {panelRows, colTile, kBlock};
      s.unroll = static_cast<int>(panelRows);
      s.parallelAxis = inner > colTile ? rank - 1 : -1;
    }
    // B outgrowing half of L2 with the row tiles outermost (each runs over
    // all columns): B would be read from beyond L2 once per row tile, the
    // output's and a residual's rows streaming through L2 beside it. The
    // columns in blocks whose part of B takes a quarter of L2, every row
    // tile run over one block before the next. On a Zen 4 core: 64->256 at
    // 56x56 with its residual Add alone 1.14 -> 0.99 ms; ResNet-50 0.98-0.995
    // of the time at batch 1.
    if (s.strategy == "gemm" && s.parallelAxis != rank - 1 &&
        !gemmPacksBPanels(reduction, rowsTotal, rowTile, inner, colTile,
                          target))
      s.columnBlock = columnBlockOf(reduction, inner, colTile, target);
  } else if (anchor == "im2col") {
    // [N, C, KH*KW, Ho, Wo]: vectors along the width, channels across
    // threads (each thread pads its own channels' planes).
    s.strategy = anchor;
    if (shape.size() == 5 && shape[0] == 1 && shape[1] > 1)
      s.parallelAxis = 1;
  } else if (anchor == "winograd_input" || anchor == "winograd_output") {
    // Tiles along the width in vectors; channels across threads.
    s.strategy = anchor;
    s.parallelAxis = shape.size() == 4 && shape[1] > 1 ? 1 : -1;
  } else if (anchor == "MaxPool") {
    s.strategy = "pool";
    if (shape.size() >= 2 && shape[0] == 1 && shape[1] > 1)
      s.parallelAxis = 1;
  } else if (anchor == "GlobalAveragePool") {
    s.strategy = "global_pool";
    // The result is [N, C, 1, 1]: vectorize and split over channels.
    int64_t channels = shape.size() >= 2 ? shape[1] : 1;
    s.vectorWidth = static_cast<int>(
        std::min<int64_t>(target.floatLanes(), pow2Floor(channels)));
    s.parallelAxis = shape.size() >= 1 && shape[0] > 1 ? 0 : -1;
  } else if (anchor == "Softmax") {
    s.strategy = "softmax";
  } else {
    s.strategy = "elementwise";
  }
  // Handing out a task costs microseconds: small light kernels stay serial.
  // A reduction reads `reduction` elements per result element (a
  // LayerNorm's mean over 96 channels of 56 x 56 positions: 3136 results,
  // 301056 reads).
  int64_t elements = std::max<int64_t>(reduction, 1);
  for (int64_t d : shape)
    elements *= d;
  bool light = s.strategy != "conv_direct" && s.strategy != "gemm" &&
               s.strategy != "gemm_panel" && s.strategy != "gemm_packed" &&
               s.strategy.rfind("winograd", 0) != 0;
  if (light && elements < 16384)
    s.parallelAxis = -1;
  return s;
}

} // namespace onnxc
