// Shape arithmetic shared by shape inference and code generation. Plain C++
// with no IR types so that it is unit-tested on its own.
#ifndef ONNXC_DIALECTS_ONNX_IR_SHAPEHELPERS_H
#define ONNXC_DIALECTS_ONNX_IR_SHAPEHELPERS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onnxc {

using Shape = std::vector<int64_t>;

/// numpy-style broadcast of two shapes; std::nullopt when incompatible.
std::optional<Shape> broadcastShapes(const Shape &a, const Shape &b);

/// Number of elements; 1 for a scalar.
int64_t numElements(const Shape &shape);

/// Whether a conv of `group` groups with weights `weight` [M, C/group,
/// k...] is depthwise: each channel convolved alone into one output
/// channel (group = C = M, more than one).
bool isDepthwiseConv(int64_t group, const Shape &weight);

/// Output extent of one spatial dim of a convolution or pooling window.
/// Returns a value < 1 when the window does not fit.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBegin, int64_t padEnd,
                         bool ceilMode);

/// Explicit pads [begin..., end...] for `auto_pad` (NOTSET keeps `pads`,
/// VALID gives zeros, SAME_UPPER/SAME_LOWER put the odd pad at the end/begin).
/// Returns an error message in `error` for an unknown mode.
std::vector<int64_t> resolveAutoPad(const std::string &autoPad,
                                    const Shape &inSpatial, const Shape &kernel,
                                    const Shape &strides,
                                    const Shape &dilations,
                                    const std::vector<int64_t> &pads,
                                    std::string &error);

/// ONNX Reshape target shape: 0 copies the input dim (unless allowZero), -1
/// is inferred. Returns std::nullopt and sets `error` when invalid.
std::optional<Shape> resolveReshape(const Shape &input,
                                    const std::vector<int64_t> &target,
                                    bool allowZero, std::string &error);

/// Every set of positions (sorted) of `longer` whose removal leaves
/// `shorter`: the axes a Squeeze, an Unsqueeze (longer being its result) or
/// a Reduce without keepdims may have used, when only the shapes are known.
/// At most `limit` sets are returned.
std::vector<std::vector<int64_t>>
removalCandidates(const Shape &longer, const Shape &shorter, size_t limit = 64);

/// The block shapes Col2Im may have used when only their product is known:
/// every way of writing `product` as one factor per spatial axis for which
/// the image (with `pads`, begin then end per axis, `strides`,
/// `dilations`) holds exactly `blocks` sliding blocks. At most `limit` are
/// returned.
std::vector<Shape> col2imBlockCandidates(int64_t product, const Shape &image,
                                         const Shape &pads,
                                         const Shape &strides,
                                         const Shape &dilations, int64_t blocks,
                                         size_t limit = 64);

/// The number of sliding blocks of `block` along each axis of `image`
/// (0 where none fits).
Shape col2imBlockCounts(const Shape &block, const Shape &image,
                        const Shape &pads, const Shape &strides,
                        const Shape &dilations);

} // namespace onnxc

#endif
