// onnxc-fold-pads: zero Pads over spatial axes become the padding of the
// Convs they feed.
#include "codegen/Passes.h"

namespace onnxc {
#define GEN_PASS_DEF_FOLDPADS
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// Whether `pad` fills with zero: no value given, a zero `value` attribute
/// (before opset 11) or a constant zero `constant_value` input.
bool padsWithZero(onnx::PadOp pad) {
  if (pad.getMode() != "constant")
    return false;
  if (std::optional<APFloat> value = pad.getValue())
    if (!value->isZero())
      return false;
  if (pad.getParams().size() < 2 ||
      llvm::isa<NoneType>(pad.getParams()[1].getType()))
    return true;
  auto constant = pad.getParams()[1].getDefiningOp<onnx::ConstantOp>();
  if (!constant)
    return false;
  auto dense = llvm::dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!dense || dense.getNumElements() != 1)
    return false;
  Attribute v = *dense.value_begin<Attribute>();
  if (auto f = llvm::dyn_cast<FloatAttr>(v))
    return f.getValue().isZero();
  if (auto i = llvm::dyn_cast<IntegerAttr>(v))
    return i.getValue().isZero();
  return false;
}

/// Folds the Pad that produces `conv`'s input into its pads, if it pads
/// only spatial axes by zero.
void foldInto(onnx::ConvOp conv) {
  auto pad = conv.getX().getDefiningOp<onnx::PadOp>();
  if (!pad || !pad.getPads() || !conv.getPads() ||
      conv.getAutoPad() != "NOTSET" || !padsWithZero(pad))
    return;
  int64_t rank = llvm::cast<ShapedType>(conv.getX().getType()).getRank();
  int64_t spatial = rank - 2;
  SmallVector<int64_t> padPads = onnx::getI64s(pad.getPads(), 2 * rank, 0);
  SmallVector<int64_t> convPads = onnx::getI64s(conv.getPads(), 2 * spatial, 0);
  if (int64_t(padPads.size()) != 2 * rank ||
      int64_t(convPads.size()) != 2 * spatial ||
      llvm::any_of(padPads, [](int64_t p) { return p < 0; }) || padPads[0] ||
      padPads[1] || padPads[rank] || padPads[rank + 1])
    return;
  for (int64_t i = 0; i < spatial; ++i) {
    convPads[i] += padPads[2 + i];
    convPads[spatial + i] += padPads[rank + 2 + i];
  }
  conv.setPadsAttr(Builder(conv).getI64ArrayAttr(convPads));
  conv.getXMutable().assign(pad.getData());
  if (pad->use_empty())
    pad->erase();
}

struct FoldPadsPass : impl::FoldPadsBase<FoldPadsPass> {
  void runOnOperation() override {
    SmallVector<onnx::ConvOp> convs;
    getOperation().walk([&](onnx::ConvOp conv) { convs.push_back(conv); });
    for (onnx::ConvOp conv : convs)
      foldInto(conv);
  }
};

} // namespace
} // namespace onnxc
