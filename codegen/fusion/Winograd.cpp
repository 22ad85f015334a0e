// onnxc-winograd: 3x3 stride-1 convolutions as Winograd's minimal filtering
// F(m x m, 3 x 3): input tiles transformed by kernel.winograd_input, one
// matrix product per transformed position against weights transformed at
// compile time, and kernel.winograd_output back to the conv's result.
#include "codegen/Passes.h"
#include "dialects/onnx/Transforms/TypedOpBuilder.h"

#include "mlir/IR/Builders.h"

#include <vector>

namespace onnxc {
#define GEN_PASS_DEF_WINOGRAD
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using onnxc::onnx::TypedOpBuilder;

namespace onnxc {
namespace {

/// Fewer channels make products too small to pay for the transforms.
constexpr int64_t kMinChannels = 16;
/// Fewer tiles make products too narrow to vectorize.
constexpr int64_t kMinTiles = 16;
/// Transformed weights ((m+2)^2 / 9 times the conv's) larger than this do
/// not stay in cache between runs of a model: each product streams them
/// from memory. F(4x4, 3x3)'s, four times the conv's own, then need
/// kMinStreamedTiles tiles or more to hide that (ResNet-50's 14x14 convs
/// over 256 channels took 2.0 ms per product as F(4x4, 3x3) over 16 tiles,
/// 9.4 MB of weights, and 1.3 ms as F(2x2, 3x3) over 49, 4.2 MB).
/// F(2x2, 3x3)'s are 16/9 of the conv's, which the direct conv (im2col and
/// a product) streams too, for 2.25 times the multiplies: it pays over 16
/// tiles (a 7x7 map) as well. On a Zen 4 core, 512 channels at 7x7 alone
/// 2.30 -> 1.51 ms (caches flushed before each run: 2.77 -> 1.90), 192 ->
/// 384 channels 0.68 -> 0.49.
constexpr int64_t kCachedWeightBytes = 1 << 20;
constexpr int64_t kMinStreamedTiles = 48;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The tile m for `conv` (4 or 2), or 0 where Winograd does not apply or
/// does not pay: the tile with the fewest multiplies per pair of channels,
/// (m + 2)^2 per tile over the output rounded up to whole tiles, among
/// those with at least kMinTiles tiles (kMinStreamedTiles for F(4x4, 3x3)
/// when its transformed weights outgrow kCachedWeightBytes) and fewer
/// multiplies than the direct conv's 9 per output.
int winogradTile(onnx::ConvOp conv) {
  auto x = llvm::cast<RankedTensorType>(conv.getX().getType());
  auto w = llvm::cast<RankedTensorType>(conv.getW().getType());
  auto y = llvm::cast<RankedTensorType>(conv.getY().getType());
  if (x.getRank() != 4 || !x.getElementType().isF32() || !x.hasStaticShape() ||
      !y.hasStaticShape() || x.getDimSize(0) != 1 || conv.getGroup() != 1 ||
      !conv.getStrides() || !conv.getPads() || w.getDimSize(2) != 3 ||
      w.getDimSize(3) != 3 || !onnx::constantOf(conv.getW()) ||
      (conv.getB() && !onnx::constantOf(conv.getB())))
    return 0;
  auto ones = [](ArrayRef<int64_t> v) {
    return llvm::all_of(v, [](int64_t s) { return s == 1; });
  };
  if (!ones(onnx::getI64s(conv.getStrides(), 2, 1)) ||
      !ones(onnx::getI64s(conv.getDilations(), 2, 1)))
    return 0;
  if (w.getDimSize(0) < kMinChannels || w.getDimSize(1) < kMinChannels)
    return 0;
  int64_t ho = y.getDimSize(2), wo = y.getDimSize(3);
  int best = 0;
  int64_t bestCost = 9 * ho * wo;
  for (int m : {4, 2}) {
    int64_t tiles = ceilDiv(ho, m) * ceilDiv(wo, m);
    int64_t cost = (m + 2) * (m + 2) * tiles;
    int64_t weightBytes =
        (m + 2) * (m + 2) * w.getDimSize(0) * w.getDimSize(1) * 4;
    int64_t minTiles = m == 4 && weightBytes > kCachedWeightBytes
                           ? kMinStreamedTiles
                           : kMinTiles;
    if (tiles >= minTiles && cost < bestCost) {
      best = m;
      bestCost = cost;
    }
  }
  return best;
}

/// U = G g Gt for every (output, input) channel pair of the weights
/// [K, C, 3, 3], laid out [a*a, K, C] (one matrix per transformed
/// position).
std::vector<float> transformWeights(ArrayRef<float> g, int64_t k, int64_t c,
                                    const kernel::WinogradMatrices &t) {
  int a = t.a;
  std::vector<float> u(size_t(a) * a * k * c);
  std::vector<double> gg(size_t(a) * 3);
  for (int64_t ko = 0; ko < k; ++ko)
    for (int64_t ci = 0; ci < c; ++ci) {
      const float *kernel = g.data() + (ko * c + ci) * 9;
      // G g: [a, 3].
      for (int i = 0; i < a; ++i)
        for (int j = 0; j < 3; ++j) {
          double s = 0;
          for (int l = 0; l < 3; ++l)
            s += t.g[i * 3 + l] * kernel[l * 3 + j];
          gg[i * 3 + j] = s;
        }
      // (G g) Gt: [a, a].
      for (int i = 0; i < a; ++i)
        for (int j = 0; j < a; ++j) {
          double s = 0;
          for (int l = 0; l < 3; ++l)
            s += gg[i * 3 + l] * t.g[j * 3 + l];
          u[((i * a + j) * k + ko) * c + ci] = static_cast<float>(s);
        }
    }
  return u;
}

LogicalResult rewrite(onnx::ConvOp conv, int m) {
  auto x = llvm::cast<RankedTensorType>(conv.getX().getType());
  auto y = llvm::cast<RankedTensorType>(conv.getY().getType());
  std::optional<std::vector<float>> g =
      onnx::getConstantF32s(onnx::constantOf(conv.getW()).getResult());
  if (!g)
    return success(); // weights of another kind: the conv stays direct
  const kernel::WinogradMatrices &t = kernel::winogradMatrices(m);
  int64_t a = t.a, c = x.getDimSize(1), k = y.getDimSize(1);
  int64_t ho = y.getDimSize(2), wo = y.getDimSize(3);
  // Sides that are not multiples of m: the last tiles reach past the
  // output (reading zeros past the input), and the output transform drops
  // their rows and columns past it.
  int64_t th = ceilDiv(ho, m), tw = ceilDiv(wo, m);
  SmallVector<int64_t> pads = onnx::getI64s(conv.getPads(), 4, 0);

  TypedOpBuilder b(conv);
  Type f32 = x.getElementType();
  auto uType = RankedTensorType::get({a * a, k, c}, f32);
  std::vector<float> u = transformWeights(*g, k, c, t);
  Value weights = b.b.create<onnx::ConstantOp>(
      b.loc, uType, DenseElementsAttr::get(uType, ArrayRef<float>(u)));
  Value tiles = b.b.create<kernel::WinogradInputOp>(
      b.loc, RankedTensorType::get({a * a, c, th, tw}, f32), conv.getX(),
      b.b.getI64IntegerAttr(m), b.b.getDenseI64ArrayAttr({pads[0], pads[1]}),
      b.b.getDenseI64ArrayAttr({th * m, tw * m}));
  Value columns =
      b.make<onnx::ReshapeOp>({tiles, b.i64Vector({a * a, c, th * tw})});
  Value product = b.make<onnx::MatMulOp>({weights, columns});
  Value productTiles =
      b.make<onnx::ReshapeOp>({product, b.i64Vector({a * a, k, th, tw})});
  if (!b.ok)
    return conv.emitOpError("could not be written as Winograd products");
  Value result = b.b.create<kernel::WinogradOutputOp>(
      b.loc, RankedTensorType::get({1, k, ho, wo}, f32), productTiles,
      b.b.getI64IntegerAttr(m));
  if (conv.getB())
    result = b.make<onnx::AddOp>(
        {result, onnx::reshapedConstant(b.b, b.loc, conv.getB(), {k, 1, 1})});
  if (!b.ok || result.getType() != conv.getY().getType())
    return conv.emitOpError("could not be written as Winograd products");
  conv.getY().replaceAllUsesWith(result);
  conv.erase();
  return success();
}

struct WinogradPass : impl::WinogradBase<WinogradPass> {
  void runOnOperation() override {
    SmallVector<std::pair<onnx::ConvOp, int>> convs;
    getOperation().walk([&](onnx::ConvOp conv) {
      if (int m = winogradTile(conv))
        convs.emplace_back(conv, m);
    });
    for (auto [conv, m] : convs)
      if (failed(rewrite(conv, m)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace onnxc
