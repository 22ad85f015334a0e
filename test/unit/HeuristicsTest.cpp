// Schedule heuristics: vector widths follow the target, tiles divide their
// extents, small light kernels stay serial.
#include "codegen/schedule/Heuristics.h"

#include <string>
#include <tuple>

#include <gtest/gtest.h>

using namespace onnxc;

static TargetInfo target(const char *name) {
  std::string error;
  return *lookupTarget(name, error);
}

TEST(Heuristics, VectorWidthFollowsTarget) {
  auto s512 = chooseSchedule("Conv", {1, 64, 56, 56}, target("x86-64-avx512"));
  auto s256 = chooseSchedule("Conv", {1, 64, 56, 56}, target("x86-64-avx2"));
  EXPECT_EQ(s512.vectorWidth, 16);
  EXPECT_EQ(s256.vectorWidth, 8);
  EXPECT_EQ(s512.strategy, "conv_direct");
  EXPECT_EQ(s512.parallelAxis, 1); // batch 1: split over channels
}

TEST(Heuristics, NarrowResultsGetNarrowVectors) {
  auto s = chooseSchedule("Gemm", {1, 10}, target("x86-64-avx512"));
  EXPECT_EQ(s.vectorWidth, 8);
  EXPECT_EQ(s.strategy, "gemm");
}

TEST(Heuristics, TilesFitExtents) {
  for (const char *name : {"x86-64-avx512", "x86-64-avx2"}) {
    auto conv = chooseSchedule("Conv", {1, 12, 28, 28}, target(name));
    ASSERT_EQ(conv.tile.size(), 3u);
    // 28 has a divisor within the budget: no overlapping last tile.
    EXPECT_EQ(28 % conv.tile[0], 0);
    EXPECT_EQ(12 % conv.tile[2], 0);
    // Rows x channels accumulators fit the register file.
    EXPECT_LE(conv.tile[0] * conv.tile[2],
              std::string(name) == "x86-64-avx512" ? 24 : 12);
  }
  // Gemm row tiles need not divide (the last shifts inwards); they never
  // exceed the rows.
  auto gemm = chooseSchedule("MatMul", {8, 100}, target("x86-64-avx2"));
  EXPECT_EQ(gemm.tile[0], 6);
  EXPECT_EQ(gemm.unroll, gemm.tile[0]);
  EXPECT_EQ(chooseSchedule("MatMul", {3, 100}, target("x86-64-avx2")).tile[0],
            3);
}

TEST(Heuristics, DepthwiseConvsTakeOneChannelPerBlock) {
  // MobileNetV2's 144-channel depthwise conv at 56x56: the same rows as a
  // conv's, one channel per block (its padded plane per block stays in L1);
  // a conv over all channels keeps blocks of four.
  auto dw = chooseSchedule("Conv", {1, 144, 56, 56}, target("x86-64-avx512"), 0,
                           false, /*depthwise=*/true);
  auto conv = chooseSchedule("Conv", {1, 144, 56, 56}, target("x86-64-avx512"));
  EXPECT_EQ(dw.tile, (std::vector<int64_t>{4, 56, 1}));
  EXPECT_EQ(conv.tile, (std::vector<int64_t>{4, 56, 4}));
  EXPECT_EQ(dw.parallelAxis, 1);
}

TEST(Heuristics, FewRowGemmsWidenAndSplitColumns) {
  // One row (a classifier at batch 1): 8 vectors of columns, and the
  // columns split across threads.
  auto one = chooseSchedule("Gemm", {1, 1000}, target("x86-64-avx512"));
  EXPECT_EQ(one.tile[0], 1);
  EXPECT_EQ(one.tile[1], 8 * 16);
  EXPECT_EQ(one.parallelAxis, 1);
  // Two rows: 4 vectors; many rows: 2, split by rows.
  EXPECT_EQ(chooseSchedule("Gemm", {2, 1000}, target("x86-64-avx2")).tile[1],
            4 * 8);
  auto many = chooseSchedule("MatMul", {64, 1000}, target("x86-64-avx512"));
  EXPECT_EQ(many.tile[1], 2 * 16);
  EXPECT_EQ(many.parallelAxis, 0);
  // Columns that fit one tile stay serial.
  EXPECT_EQ(
      chooseSchedule("Gemm", {1, 10}, target("x86-64-avx512")).parallelAxis,
      -1);
}

TEST(Heuristics, OneVectorOfColumnsDoublesTheRows) {
  // Winograd products over 16 tiles: [16, 512, 512] x [16, 512, 16].
  auto narrow =
      chooseSchedule("MatMul", {16, 512, 16}, target("x86-64-avx512"), 512);
  EXPECT_EQ(narrow.tile[0], 16);
  EXPECT_EQ(narrow.tile[1], 16);
  EXPECT_EQ(narrow.parallelAxis, 0); // whole products across threads
  EXPECT_EQ(
      chooseSchedule("MatMul", {16, 512, 8}, target("x86-64-avx2")).tile[0],
      12);
  // Two vectors of columns keep 8 rows; so do too few rows to double.
  EXPECT_EQ(
      chooseSchedule("MatMul", {16, 512, 32}, target("x86-64-avx512")).tile[0],
      8);
  EXPECT_EQ(chooseSchedule("MatMul", {12, 16}, target("x86-64-avx512")).tile[0],
            8);
}

TEST(Heuristics, WinogradTransformsSplitChannels) {
  auto t = target("x86-64-avx512");
  auto in = chooseSchedule("winograd_input", {36, 64, 14, 14}, t);
  EXPECT_EQ(in.strategy, "winograd_input");
  EXPECT_EQ(in.vectorWidth, 8); // tiles along the width
  EXPECT_EQ(in.parallelAxis, 1);
  auto out = chooseSchedule("winograd_output", {1, 64, 56, 56}, t);
  EXPECT_EQ(out.strategy, "winograd_output");
  EXPECT_EQ(out.parallelAxis, 1);
}

TEST(Heuristics, Im2colSplitsChannels) {
  // [N, C, KH*KW, Ho, Wo]: vectors along the output width, channels
  // across threads at batch 1.
  auto t = target("x86-64-avx512");
  auto s = chooseSchedule("im2col", {1, 128, 9, 28, 28}, t);
  EXPECT_EQ(s.strategy, "im2col");
  EXPECT_EQ(s.vectorWidth, 16);
  EXPECT_EQ(s.parallelAxis, 1);
  auto narrow =
      chooseSchedule("im2col", {1, 512, 9, 7, 7}, target("x86-64-avx2"));
  EXPECT_EQ(narrow.vectorWidth, 4);
}

TEST(Heuristics, LongReductionsOverFewRowsUsePanels) {
  // ConvNeXt's last stage: 49 rows, K = 3072 (A is 588 KiB, within L2).
  auto t = target("x86-64-avx512");
  auto panel = chooseSchedule("MatMul", {49, 768}, t, 3072);
  EXPECT_EQ(panel.strategy, "gemm_panel");
  ASSERT_EQ(panel.tile.size(), 3u);
  EXPECT_EQ(panel.tile[0], 7);      // a divisor of the 49 rows
  EXPECT_EQ(panel.tile[1], 32);     // 2 vectors of columns
  EXPECT_EQ(panel.tile[2], 128);    // 128 x 32 floats of B: half of L1
  EXPECT_EQ(panel.parallelAxis, 1); // column panels across threads
  // Short reductions, one row tile, or an A beyond L2 keep the row tiles.
  EXPECT_EQ(chooseSchedule("MatMul", {49, 768}, t, 128).strategy, "gemm");
  EXPECT_EQ(chooseSchedule("MatMul", {8, 768}, t, 3072).strategy, "gemm");
  EXPECT_EQ(chooseSchedule("MatMul", {1024, 1024}, t, 1024).strategy, "gemm");
  EXPECT_EQ(chooseSchedule("MatMul", {3, 49, 768}, t, 3072).strategy, "gemm");
}

TEST(Heuristics, SmallElementwiseIsSerial) {
  EXPECT_EQ(
      chooseSchedule("Relu", {1, 10}, target("x86-64-avx512")).parallelAxis,
      -1);
  EXPECT_EQ(chooseSchedule("Relu", {8, 64, 56, 56}, target("x86-64-avx512"))
                .parallelAxis,
            0);
}

TEST(Heuristics, PackedGemmForConstantWeightsOnSmallMaps) {
  // ResNet-50's 7x7 pointwise conv: two vectors of rows by 7 columns (49
  // = 7 x 7, no padding), the reduction in blocks of 64, row tiles across
  // threads.
  auto s = chooseSchedule("MatMul", {1, 2048, 49}, target("x86-64-avx512"), 512,
                          /*constantA=*/true);
  EXPECT_EQ(s.strategy, "gemm_packed");
  EXPECT_EQ(s.tile, (std::vector<int64_t>{32, 7, 64}));
  EXPECT_EQ(s.vectorWidth, 16);
  EXPECT_EQ(s.parallelAxis, 1);
  // The weights prefetched 32 reduction steps ahead.
  EXPECT_EQ(s.prefetch, 32);
  // AVX2: 16 rows; 5 columns pad 49 least among 4 to 6.
  auto avx2 =
      chooseSchedule("MatMul", {1, 512, 49}, target("x86-64-avx2"), 512, true);
  EXPECT_EQ(avx2.tile, (std::vector<int64_t>{16, 5, 128}));
  // A stack of products (Winograd's): whole products across threads.
  EXPECT_EQ(chooseSchedule("MatMul", {16, 256, 49}, target("x86-64-avx512"),
                           256, true)
                .parallelAxis,
            0);
  // MobileNetV2's 160->960 expansion at 7x7: a reduction of 160 is enough.
  EXPECT_EQ(
      chooseSchedule("MatMul", {1, 960, 49}, target("x86-64-avx512"), 160, true)
          .strategy,
      "gemm_packed");
  // Not: weights read at run time, a wide map over a reduction under 512,
  // a map wider than 256 columns (28x28), a short reduction, rows that do
  // not fill whole tiles.
  for (auto [shape, k, constant] :
       {std::tuple<std::vector<int64_t>, int64_t, bool>{
            {1, 2048, 49}, 512, false},
        {{1, 2048, 196}, 256, true},
        {{1, 128, 784}, 512, true},
        {{1, 2048, 49}, 64, true},
        {{1, 40, 49}, 512, true}}) {
    auto other =
        chooseSchedule("MatMul", shape, target("x86-64-avx512"), k, constant);
    EXPECT_EQ(other.strategy, "gemm");
    EXPECT_EQ(other.prefetch, 0); // only gemm_packed prefetches
  }
}

TEST(Heuristics, PackedGemmOnWiderMapsOverTheWholeReduction) {
  // ResNet-50's 1024->256 at 14x14 (AVX-512): 196 columns in tiles of 7,
  // each tile over all 1024 steps of the reduction, no prefetch.
  auto s = chooseSchedule("MatMul", {1, 256, 196}, target("x86-64-avx512"),
                          1024, /*constantA=*/true);
  EXPECT_EQ(s.strategy, "gemm_packed");
  EXPECT_EQ(s.tile, (std::vector<int64_t>{32, 7, 1024}));
  EXPECT_EQ(s.prefetch, 0);
  // 169 columns (13x13): tiles of 10 pad least (170).
  EXPECT_EQ(
      chooseSchedule("MatMul", {1, 64, 169}, target("x86-64-avx512"), 512, true)
          .tile,
      (std::vector<int64_t>{32, 10, 512}));
  // Not with AVX2.
  EXPECT_EQ(
      chooseSchedule("MatMul", {1, 256, 196}, target("x86-64-avx2"), 1024, true)
          .strategy,
      "gemm");
}

TEST(Heuristics, OneVectorTilesWhereTwoWouldPad) {
  // MobileNetV2's 576->96 projection at 14x14: 196 columns in tiles of two
  // vectors would compute 224; one vector by 16 rows computes 208.
  auto s = chooseSchedule("MatMul", {1, 96, 196}, target("x86-64-avx512"), 576);
  EXPECT_EQ(s.strategy, "gemm");
  EXPECT_EQ(s.tile, (std::vector<int64_t>{16, 16}));
  EXPECT_EQ(s.unroll, 16);
  // Rows of A 4 KiB apart (a reduction of 1024) only when A is constant
  // weights in whole tiles of 16, which onnxc-pack-weights lays side by
  // side (48 rows: not whole tiles of gemm_packed's 32).
  EXPECT_EQ(chooseSchedule("MatMul", {1, 48, 196}, target("x86-64-avx512"),
                           1024, /*constantA=*/true)
                .tile,
            (std::vector<int64_t>{16, 16}));
  // Not: rows of A 4 KiB apart (a reduction of 1024) read at run time,
  // columns that fill whole tiles of two vectors (56x56) or leave more than
  // one vector in the last (7x7 with weights read at run time), AVX2, too
  // few rows.
  for (auto [shape, k, name, tile] :
       {std::tuple<std::vector<int64_t>, int64_t, const char *,
                   std::vector<int64_t>>{
            {1, 256, 196}, 1024, "x86-64-avx512", {8, 32}},
        {{1, 64, 3136}, 64, "x86-64-avx512", {8, 32}},
        {{1, 64, 49}, 512, "x86-64-avx512", {8, 32}},
        {{1, 96, 196}, 576, "x86-64-avx2", {6, 16}},
        {{1, 8, 196}, 576, "x86-64-avx512", {8, 32}}})
    EXPECT_EQ(chooseSchedule("MatMul", shape, target(name), k).tile, tile)
        << name << " rows " << shape[1] << " columns " << shape[2];
}

TEST(Heuristics, RowsShareL1Set) {
  // float32 rows of 1024 or 2048 columns are 4 or 8 KiB apart; 576 or 512
  // columns are not a multiple of 4 KiB.
  EXPECT_TRUE(rowsShareL1Set(1024));
  EXPECT_TRUE(rowsShareL1Set(2048));
  EXPECT_FALSE(rowsShareL1Set(576));
  EXPECT_FALSE(rowsShareL1Set(512));
}

TEST(Heuristics, ColumnBlocksWhereBOutgrowsHalfOfL2) {
  // ResNet-50's 64->256 expansion at 56x56: B is 64 x 3136 floats (784
  // KiB, over half of a 1 MiB L2); blocks of 1024 columns (256 KiB of B).
  auto s = chooseSchedule("MatMul", {1, 256, 3136}, target("x86-64-avx512"), 64,
                          /*constantA=*/true);
  EXPECT_EQ(s.strategy, "gemm");
  EXPECT_EQ(s.parallelAxis, 1);
  EXPECT_EQ(s.columnBlock, 1024);
  // AVX2's L2 is taken as 512 KiB: blocks of 128 KiB of B, whole tiles of
  // 16 columns.
  EXPECT_EQ(chooseSchedule("MatMul", {1, 256, 3136}, target("x86-64-avx2"), 64)
                .columnBlock,
            512);
  // 256->64 at 56x56 (B 3136 KiB) too, with AVX-512: blocks of 256
  // columns, B read in place (AVX2 copies its panels, 512->64 there).
  EXPECT_EQ(
      chooseSchedule("MatMul", {1, 64, 3136}, target("x86-64-avx512"), 256)
          .columnBlock,
      256);
  // Not: B within half of L2 (128->512 at 28x28: 392 KiB), B copied in
  // panels with the columns outermost (512->64 at 56x56 with AVX2; tiles
  // of four vectors, 512->256 at 28x28), the columns across threads (16
  // rows by 12544 columns).
  for (auto [shape, k, name] :
       {std::tuple<std::vector<int64_t>, int64_t, const char *>{
            {1, 512, 784}, 128, "x86-64-avx512"},
        {{1, 64, 3136}, 512, "x86-64-avx2"},
        {{1, 256, 784}, 512, "x86-64-avx512"},
        {{1, 16, 12544}, 32, "x86-64-avx512"}})
    EXPECT_EQ(chooseSchedule("MatMul", shape, target(name), k).columnBlock, 0)
        << name << " rows " << shape[1] << " columns " << shape[2] << " k "
        << k;
}

TEST(Heuristics, GemmPacksBPanels) {
  // A K x 32 panel over half of L1 (K = 256: 32 KiB), four row tiles or
  // more, two panels or more: B of 448 columns (448 KiB) is copied.
  TargetInfo t = target("x86-64-avx512");
  EXPECT_TRUE(gemmPacksBPanels(256, 64, 8, 448, 32, t));
  EXPECT_FALSE(gemmPacksBPanels(64, 256, 8, 448, 32, t));
  EXPECT_FALSE(gemmPacksBPanels(256, 16, 8, 448, 32, t));
  EXPECT_FALSE(gemmPacksBPanels(256, 64, 8, 32, 32, t));
  // B beyond half of L2 (3136 columns: 3136 KiB): with AVX-512, tiles of
  // two vectors read it in place; tiles of four vectors and AVX2 copy it.
  EXPECT_FALSE(gemmPacksBPanels(256, 64, 8, 3136, 32, t));
  EXPECT_TRUE(gemmPacksBPanels(256, 64, 6, 3136, 64, t));
  EXPECT_TRUE(gemmPacksBPanels(512, 64, 6, 3136, 16, target("x86-64-avx2")));
  // So do reductions whose block of one tile would outgrow a quarter of L2
  // (4608 x 16 floats: 288 KiB), which take no column blocks.
  EXPECT_TRUE(gemmPacksBPanels(4608, 64, 16, 196, 16, t));
  EXPECT_EQ(chooseSchedule("MatMul", {1, 64, 196}, t, 4608).columnBlock, 0);
}

TEST(Heuristics, FewRowTilesSplitColumns) {
  // MobileNetV2's first projection: 16 rows (two row tiles) by 12544
  // columns. Split by rows, each thread would stream all of B.
  auto few =
      chooseSchedule("MatMul", {1, 16, 12544}, target("x86-64-avx512"), 32);
  EXPECT_EQ(few.strategy, "gemm");
  EXPECT_EQ(few.parallelAxis, 2);
  // Four row tiles or more: rows.
  EXPECT_EQ(chooseSchedule("MatMul", {1, 64, 3136}, target("x86-64-avx512"), 64)
                .parallelAxis,
            1);
  // Few columns too: rows.
  EXPECT_EQ(chooseSchedule("MatMul", {1, 16, 100}, target("x86-64-avx512"), 64)
                .parallelAxis,
            1);
}

TEST(Heuristics, LargeProductsTakeWiderTiles) {
  // SGEMM 1024^3 on AVX-512: 6 rows x 4 vectors (24 accumulators).
  auto big =
      chooseSchedule("MatMul", {1024, 1024}, target("x86-64-avx512"), 1024);
  EXPECT_EQ(big.strategy, "gemm");
  EXPECT_EQ(big.tile, (std::vector<int64_t>{6, 64}));
  // A short reduction (a pointwise conv over 64 channels): 8 x 2 vectors.
  EXPECT_EQ(
      chooseSchedule("MatMul", {1, 256, 3136}, target("x86-64-avx512"), 64)
          .tile,
      (std::vector<int64_t>{8, 32}));
  // AVX2 keeps 6 x 2.
  EXPECT_EQ(
      chooseSchedule("MatMul", {1024, 1024}, target("x86-64-avx2"), 1024).tile,
      (std::vector<int64_t>{6, 16}));
}

TEST(Heuristics, FusedDepthwiseRowsAreWholeVectors) {
  // Rows of whole vectors, three or more, of at least half the target's.
  EXPECT_EQ(depthwiseRowLanes(112, 16), 16);
  EXPECT_EQ(depthwiseRowLanes(48, 16), 16);
  EXPECT_EQ(depthwiseRowLanes(56, 16), 8);
  EXPECT_EQ(depthwiseRowLanes(28, 16), 0); // vectors of 4
  EXPECT_EQ(depthwiseRowLanes(32, 16), 0); // two vectors
  EXPECT_EQ(depthwiseRowLanes(56, 8), 8);
  EXPECT_EQ(depthwiseRowLanes(28, 8), 4);
  EXPECT_EQ(depthwiseRowLanes(14, 8), 0);
}

TEST(Heuristics, FusedDepthwiseBlocksAreWholeTilesOfRows) {
  TargetInfo t = target("x86-64-avx512"); // 1 MiB of L2
  // MobileNetV2's 32 channels at 112x112 under tiles of 32 columns: two
  // rows are 224 columns, four the first 256 or more.
  EXPECT_EQ(depthwiseBlockRows(112, 112, 32, 32, t), 4);
  // 144 channels at 56x56: eight rows (258,048 bytes) fit a quarter of L2;
  // with 192 channels only four do.
  EXPECT_EQ(depthwiseBlockRows(56, 56, 144, 32, t), 8);
  EXPECT_EQ(depthwiseBlockRows(56, 56, 192, 32, t), 4);
  // Too many channels for any block to fit: the fewest rows that make
  // whole tiles.
  EXPECT_EQ(depthwiseBlockRows(56, 56, 4096, 32, t), 4);
  // No divisor of 7 rows of 48 makes whole tiles of 32: the whole map.
  EXPECT_EQ(depthwiseBlockRows(7, 48, 16, 32, t), 7);
  for (int64_t h : {8, 20, 112})
    for (int64_t w : {48, 56, 112}) {
      int64_t r = depthwiseBlockRows(h, w, 32, 32, t);
      EXPECT_EQ(h % r, 0) << h << "x" << w;
      EXPECT_TRUE(r == h || (r * w) % 32 == 0) << h << "x" << w;
    }
}
