// onnxc-conv1x1-to-matmul: a 1x1 convolution with unit strides and no
// padding is a matrix product over the flattened spatial dims.
#include "codegen/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace onnxc {
#define GEN_PASS_DEF_CONV1X1TOMATMUL
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// The 1x1 convs worth rewriting: 2-D, float32, one group, constant
/// weights, 1x1 window, unit strides and dilations, no padding.
bool isPointwise(onnx::ConvOp conv) {
  auto x = llvm::cast<RankedTensorType>(conv.getX().getType());
  auto w = llvm::cast<RankedTensorType>(conv.getW().getType());
  auto allOnes = [](std::optional<ArrayAttr> a) {
    return !a || llvm::all_of(*a, [](Attribute v) {
      return llvm::cast<IntegerAttr>(v).getInt() == 1;
    });
  };
  auto allZero = [](std::optional<ArrayAttr> a) {
    return !a || llvm::all_of(*a, [](Attribute v) {
      return llvm::cast<IntegerAttr>(v).getInt() == 0;
    });
  };
  return x.getRank() == 4 && x.getElementType().isF32() &&
         conv.getGroup() == 1 && w.getDimSize(2) == 1 && w.getDimSize(3) == 1 &&
         allOnes(conv.getStrides()) && allOnes(conv.getDilations()) &&
         allZero(conv.getPads()) &&
         conv.getW().getDefiningOp<onnx::ConstantOp>() &&
         (!conv.getB() || conv.getB().getDefiningOp<onnx::ConstantOp>());
}

/// Reshape(X, [N, C, H*W]) (a view); MatMul(W as [M, C], that) + B as
/// [M, 1]; Reshape back to [N, M, H, W] (a view). Weights and bias are
/// reshaped at compile time.
void rewrite(onnx::ConvOp conv) {
  OpBuilder b(conv);
  Location loc = conv.getLoc();
  auto x = llvm::cast<RankedTensorType>(conv.getX().getType());
  auto y = llvm::cast<RankedTensorType>(conv.getY().getType());
  int64_t n = x.getDimSize(0), c = x.getDimSize(1),
          hw = x.getDimSize(2) * x.getDimSize(3), m = y.getDimSize(1);
  Type f32 = b.getF32Type();
  auto shapeConstant = [&](ArrayRef<int64_t> dims) {
    auto type = RankedTensorType::get({int64_t(dims.size())}, b.getI64Type());
    return b.create<onnx::ConstantOp>(loc, type,
                                      DenseElementsAttr::get(type, dims));
  };
  auto reshapedConstant = [&](Value v, ArrayRef<int64_t> dims) -> Value {
    auto value = v.getDefiningOp<onnx::ConstantOp>().getValue();
    auto type = RankedTensorType::get(dims, f32);
    ElementsAttr attr;
    if (auto dense = llvm::dyn_cast<DenseElementsAttr>(value))
      attr = dense.reshape(type);
    else if (auto resource = llvm::dyn_cast<DenseResourceElementsAttr>(value))
      attr = DenseResourceElementsAttr::get(type, resource.getRawHandle());
    return b.create<onnx::ConstantOp>(loc, type, attr);
  };
  auto flatType = RankedTensorType::get({n, c, hw}, f32);
  Value flat = b.create<onnx::ReshapeOp>(
      loc, flatType, ValueRange{conv.getX(), shapeConstant({n, c, hw})});
  Value weights = reshapedConstant(conv.getW(), {m, c});
  auto productType = RankedTensorType::get({n, m, hw}, f32);
  Value product =
      b.create<onnx::MatMulOp>(loc, productType, ValueRange{weights, flat});
  if (conv.getB())
    product = b.create<onnx::AddOp>(
        loc, productType,
        ValueRange{product, reshapedConstant(conv.getB(), {m, 1})});
  Value result = b.create<onnx::ReshapeOp>(
      loc, y, ValueRange{product, shapeConstant(y.getShape())});
  conv.getY().replaceAllUsesWith(result);
  conv.erase();
}

struct Conv1x1ToMatMulPass : impl::Conv1x1ToMatMulBase<Conv1x1ToMatMulPass> {
  void runOnOperation() override {
    SmallVector<onnx::ConvOp> convs;
    getOperation().walk([&](onnx::ConvOp conv) {
      if (isPointwise(conv))
        convs.push_back(conv);
    });
    for (onnx::ConvOp conv : convs)
      rewrite(conv);
  }
};

} // namespace
} // namespace onnxc
