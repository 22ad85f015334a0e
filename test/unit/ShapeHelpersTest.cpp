// Shape arithmetic: broadcasting, window sizes, auto_pad and Reshape.
#include "dialects/onnx/IR/ShapeHelpers.h"

#include <gtest/gtest.h>

using namespace onnxc;

TEST(ShapeHelpers, BroadcastFollowsNumpy) {
  EXPECT_EQ(*broadcastShapes({1, 16, 14, 14}, {1, 16, 1, 1}),
            (Shape{1, 16, 14, 14}));
  EXPECT_EQ(*broadcastShapes({3, 1}, {4}), (Shape{3, 4}));
  EXPECT_EQ(*broadcastShapes({}, {2, 3}), (Shape{2, 3}));
  EXPECT_FALSE(broadcastShapes({3}, {4}).has_value());
}

TEST(ShapeHelpers, DepthwiseConv) {
  EXPECT_TRUE(isDepthwiseConv(32, {32, 1, 3, 3}));
  EXPECT_FALSE(isDepthwiseConv(1, {1, 1, 3, 3}));   // one channel, one group
  EXPECT_FALSE(isDepthwiseConv(32, {64, 1, 3, 3})); // two outputs a channel
  EXPECT_FALSE(isDepthwiseConv(8, {32, 4, 3, 3}));  // grouped, 4 channels each
}

TEST(ShapeHelpers, WindowOutputSize) {
  EXPECT_EQ(windowOutputSize(28, 3, 1, 1, 1, 1, false), 28);
  EXPECT_EQ(windowOutputSize(28, 2, 2, 1, 0, 0, false), 14);
  EXPECT_EQ(windowOutputSize(224, 7, 2, 1, 3, 3, false), 112);
  // ceil_mode keeps the partial last window: 5 -> windows at 0, 2, 4.
  EXPECT_EQ(windowOutputSize(5, 2, 2, 1, 0, 0, true), 3);
  EXPECT_EQ(windowOutputSize(5, 2, 2, 1, 0, 0, false), 2);
  EXPECT_LT(windowOutputSize(2, 5, 1, 1, 0, 0, false), 1);
}

TEST(ShapeHelpers, AutoPadSame) {
  std::string error;
  // Input 5, kernel 3, stride 2: output 3, total pad 2 -> 1 and 1.
  EXPECT_EQ(resolveAutoPad("SAME_UPPER", {5}, {3}, {2}, {1}, {}, error),
            (std::vector<int64_t>{1, 1}));
  // Input 4, kernel 2, stride 1: total pad 1; UPPER puts it at the end.
  EXPECT_EQ(resolveAutoPad("SAME_UPPER", {4}, {2}, {1}, {1}, {}, error),
            (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(resolveAutoPad("SAME_LOWER", {4}, {2}, {1}, {1}, {}, error),
            (std::vector<int64_t>{1, 0}));
  EXPECT_TRUE(error.empty());
  resolveAutoPad("BOGUS", {4}, {2}, {1}, {1}, {}, error);
  EXPECT_NE(error.find("BOGUS"), std::string::npos);
}

TEST(ShapeHelpers, Reshape) {
  std::string error;
  EXPECT_EQ(*resolveReshape({1, 16, 7, 7}, {1, -1}, false, error),
            (Shape{1, 784}));
  EXPECT_EQ(*resolveReshape({2, 3, 4}, {0, 12}, false, error), (Shape{2, 12}));
  EXPECT_FALSE(resolveReshape({2, 3}, {-1, -1}, false, error).has_value());
  EXPECT_FALSE(resolveReshape({2, 3}, {5}, false, error).has_value());
  EXPECT_NE(error.find("5 elements"), std::string::npos);
}

TEST(ShapeHelpers, RemovalCandidates) {
  using Sets = std::vector<std::vector<int64_t>>;
  // [3, 2, 2] -> [3, 2]: either of the equal dims may have gone.
  EXPECT_EQ(removalCandidates({3, 2, 2}, {3, 2}), (Sets{{2}, {1}}));
  EXPECT_EQ(removalCandidates({3, 4, 5}, {3, 5}), (Sets{{1}}));
  EXPECT_EQ(removalCandidates({1, 3, 1}, {3}), (Sets{{0, 2}}));
  EXPECT_EQ(removalCandidates({2, 3}, {2, 3}), (Sets{{}}));
  EXPECT_TRUE(removalCandidates({2, 3}, {3, 2}).empty());
  EXPECT_TRUE(removalCandidates({2}, {2, 1}).empty());
  EXPECT_EQ(removalCandidates({1, 1, 1, 1}, {1}, 2).size(), 2u);
}

TEST(ShapeHelpers, Col2ImBlockCandidates) {
  using Shapes = std::vector<Shape>;
  // A 5 x 5 image, 5 blocks of 5 elements: a row or a column of 5.
  EXPECT_EQ(col2imBlockCandidates(5, {5, 5}, {0, 0, 0, 0}, {1, 1}, {1, 1}, 5),
            (Shapes{{1, 5}, {5, 1}}));
  // Strides 2: of the blocks of 9, only 3 x 3 fits 2 x 2 = 4 times.
  EXPECT_EQ(col2imBlockCandidates(9, {5, 5}, {0, 0, 0, 0}, {2, 2}, {1, 1}, 4),
            (Shapes{{3, 3}}));
  EXPECT_TRUE(
      col2imBlockCandidates(4, {3, 3}, {0, 0, 0, 0}, {1, 1}, {1, 1}, 100)
          .empty());
  EXPECT_EQ(col2imBlockCounts({2, 2}, {6, 6}, {0, 0, 0, 0}, {1, 1}, {1, 5}),
            (Shape{5, 1}));
}
