// Shape arithmetic for ONNX broadcasting, windows and reshapes.
#include "dialects/onnx/IR/ShapeHelpers.h"

#include <algorithm>
#include <functional>

namespace onnxc {

std::optional<Shape> broadcastShapes(const Shape &a, const Shape &b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool isDepthwiseConv(int64_t group, const Shape &weight) {
  return group > 1 && weight.size() >= 2 && weight[0] == group &&
         weight[1] == 1;
}

int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBegin, int64_t padEnd,
                         bool ceilMode) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t avail = in + padBegin + padEnd - span;
  if (avail < 0 || stride < 1)
    return 0;
  int64_t out = (ceilMode ? (avail + stride - 1) / stride : avail / stride) + 1;
  // With ceil_mode the last window must still start inside the input or the
  // begin padding (ONNX and PyTorch drop a window starting in the end pad).
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

std::vector<int64_t> resolveAutoPad(const std::string &autoPad,
                                    const Shape &inSpatial, const Shape &kernel,
                                    const Shape &strides,
                                    const Shape &dilations,
                                    const std::vector<int64_t> &pads,
                                    std::string &error) {
  size_t n = inSpatial.size();
  if (autoPad == "NOTSET" || autoPad.empty())
    return pads.empty() ? std::vector<int64_t>(2 * n, 0) : pads;
  if (autoPad == "VALID")
    return std::vector<int64_t>(2 * n, 0);
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    error = "unknown auto_pad '" + autoPad + "'";
    return {};
  }
  std::vector<int64_t> out(2 * n, 0);
  for (size_t i = 0; i < n; ++i) {
    int64_t outSize = (inSpatial[i] + strides[i] - 1) / strides[i];
    int64_t span = dilations[i] * (kernel[i] - 1) + 1;
    int64_t total =
        std::max<int64_t>(0, (outSize - 1) * strides[i] + span - inSpatial[i]);
    int64_t small = total / 2, big = total - small;
    out[i] = autoPad == "SAME_UPPER" ? small : big;
    out[i + n] = autoPad == "SAME_UPPER" ? big : small;
  }
  return out;
}

std::optional<Shape> resolveReshape(const Shape &input,
                                    const std::vector<int64_t> &target,
                                    bool allowZero, std::string &error) {
  Shape out(target.begin(), target.end());
  int inferred = -1;
  int64_t known = 1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allowZero) {
      if (i >= input.size()) {
        error = "shape entry 0 at index " + std::to_string(i) +
                " has no input dim to copy";
        return std::nullopt;
      }
      out[i] = input[i];
    }
    if (out[i] == -1) {
      if (inferred >= 0) {
        error = "more than one -1 in the target shape";
        return std::nullopt;
      }
      inferred = static_cast<int>(i);
      continue;
    }
    if (out[i] < 0) {
      error = "negative dim " + std::to_string(out[i]) + " in the target shape";
      return std::nullopt;
    }
    known *= out[i];
  }
  int64_t total = numElements(input);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      error = "cannot infer the -1 dim";
      return std::nullopt;
    }
    out[inferred] = total / known;
  } else if (known != total) {
    error = "target shape has " + std::to_string(known) +
            " elements, input has " + std::to_string(total);
    return std::nullopt;
  }
  return out;
}

namespace {
void collectRemovals(const Shape &longer, const Shape &shorter, size_t i,
                     size_t j, std::vector<int64_t> &removed,
                     std::vector<std::vector<int64_t>> &out, size_t limit) {
  if (out.size() >= limit)
    return;
  size_t left = longer.size() - i, wanted = shorter.size() - j;
  if (left < wanted)
    return;
  if (i == longer.size()) {
    out.push_back(removed);
    return;
  }
  if (j < shorter.size() && longer[i] == shorter[j])
    collectRemovals(longer, shorter, i + 1, j + 1, removed, out, limit);
  if (left > wanted) {
    removed.push_back(static_cast<int64_t>(i));
    collectRemovals(longer, shorter, i + 1, j, removed, out, limit);
    removed.pop_back();
  }
}
} // namespace

std::vector<std::vector<int64_t>>
removalCandidates(const Shape &longer, const Shape &shorter, size_t limit) {
  std::vector<std::vector<int64_t>> out;
  std::vector<int64_t> removed;
  if (longer.size() >= shorter.size())
    collectRemovals(longer, shorter, 0, 0, removed, out, limit);
  return out;
}

Shape col2imBlockCounts(const Shape &block, const Shape &image,
                        const Shape &pads, const Shape &strides,
                        const Shape &dilations) {
  size_t n = image.size();
  Shape counts;
  for (size_t i = 0; i < n; ++i) {
    int64_t span =
        image[i] + pads[i] + pads[n + i] - dilations[i] * (block[i] - 1) - 1;
    counts.push_back(span < 0 || strides[i] <= 0 ? 0 : span / strides[i] + 1);
  }
  return counts;
}

std::vector<Shape> col2imBlockCandidates(int64_t product, const Shape &image,
                                         const Shape &pads,
                                         const Shape &strides,
                                         const Shape &dilations, int64_t blocks,
                                         size_t limit) {
  std::vector<Shape> out;
  Shape block;
  // Depth-first over the divisors left for each axis.
  std::function<void(int64_t)> place = [&](int64_t left) {
    if (out.size() >= limit)
      return;
    if (block.size() + 1 == image.size()) {
      block.push_back(left);
      Shape counts = col2imBlockCounts(block, image, pads, strides, dilations);
      int64_t total = 1;
      for (int64_t c : counts)
        total *= c;
      if (total == blocks)
        out.push_back(block);
      block.pop_back();
      return;
    }
    for (int64_t d = 1; d <= left; ++d) {
      if (left % d)
        continue;
      block.push_back(d);
      place(left / d);
      block.pop_back();
    }
  };
  if (!image.empty() && product > 0)
    place(product);
  return out;
}

} // namespace onnxc
