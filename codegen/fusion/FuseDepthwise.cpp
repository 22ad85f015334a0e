// onnxc-fuse-depthwise: merge a depthwise conv's group into the gemm group
// of the pointwise conv that reads it, so that the depthwise result is
// computed in blocks of rows where the product reads them (see
// depthwiseBlockRows) instead of being stored whole and read back.
#include "codegen/Passes.h"
#include "codegen/schedule/Heuristics.h"
#include "dialects/onnx/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace onnxc {
#define GEN_PASS_DEF_FUSEDEPTHWISE
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// The single op of `group`'s body that is not elementwise (nor
/// onnx.NoValue), or null when there is none or more than one.
Operation *soleNonElementwise(kernel::GroupOp group) {
  Operation *found = nullptr;
  for (Operation &op : group.getBody().front().without_terminator()) {
    if (isa<onnx::NoValueOp>(op) || op.hasTrait<onnx::OpTrait::Elementwise>())
      continue;
    if (found)
      return nullptr;
    found = &op;
  }
  return found;
}

int64_t scheduleInt(kernel::GroupOp group, StringRef name) {
  DictionaryAttr s = group.getScheduleAttr();
  auto v = s ? s.getAs<IntegerAttr>(name) : IntegerAttr();
  return v ? v.getInt() : 0;
}

StringRef scheduleString(kernel::GroupOp group, StringRef name) {
  DictionaryAttr s = group.getScheduleAttr();
  auto v = s ? s.getAs<StringAttr>(name) : StringAttr();
  return v ? v.getValue() : StringRef();
}

/// A depthwise conv group, the Reshape view of its result, and the gemm
/// group whose MatMul reads that view as B, with the rows per block.
struct Candidate {
  kernel::GroupOp depthwise;
  onnx::ReshapeOp reshape;
  kernel::GroupOp product;
  unsigned bArg;
  int64_t rows;
};

/// Whether `product` (a gemm group) multiplies weights by the pointwise
/// view [N, C, H * W] of a depthwise conv group's result [N, C, H, W]
/// that nothing else reads: a float32 conv with unit strides, at most 3x3
/// taps and rows of whole vectors (depthwiseRowLanes).
std::optional<Candidate> match(kernel::GroupOp product) {
  if (product.getAnchor() != "MatMul" ||
      scheduleString(product, "strategy") != "gemm")
    return std::nullopt;
  DictionaryAttr s = product.getScheduleAttr();
  auto tile = s.getAs<DenseI64ArrayAttr>("tile");
  if (!tile || tile.size() != 2)
    return std::nullopt;
  auto matmul = dyn_cast_or_null<onnx::MatMulOp>(soleNonElementwise(product));
  if (!matmul)
    return std::nullopt;
  auto bArg = llvm::dyn_cast<BlockArgument>(matmul.getB());
  auto aType = llvm::cast<RankedTensorType>(matmul.getA().getType());
  auto yType = llvm::cast<RankedTensorType>(matmul.getY().getType());
  if (!bArg || !bArg.hasOneUse() || aType.getRank() != 2 ||
      yType.getRank() != 3 || !yType.getElementType().isF32())
    return std::nullopt;
  Value b = product.getInputs()[bArg.getArgNumber()];
  auto reshape = b.getDefiningOp<onnx::ReshapeOp>();
  if (!reshape || !b.hasOneUse() || !reshape.getData().hasOneUse())
    return std::nullopt;
  auto depthwise = reshape.getData().getDefiningOp<kernel::GroupOp>();
  if (!depthwise || depthwise->getBlock() != product->getBlock() ||
      depthwise.getAnchor() != "Conv" ||
      scheduleString(depthwise, "strategy") != "conv_direct")
    return std::nullopt;
  auto conv = dyn_cast_or_null<onnx::ConvOp>(soleNonElementwise(depthwise));
  if (!conv)
    return std::nullopt;
  auto wType = llvm::cast<RankedTensorType>(conv.getW().getType());
  auto cType = llvm::cast<RankedTensorType>(conv.getY().getType());
  auto rType = llvm::cast<RankedTensorType>(reshape.getType());
  if (cType.getRank() != 4 || !cType.hasStaticShape() ||
      !cType.getElementType().isF32() || wType.getRank() != 4 ||
      !isDepthwiseConv(conv.getGroup(), wType.getShape().vec()))
    return std::nullopt;
  ArrayRef<int64_t> c = cType.getShape();
  int64_t n = c[0], channels = c[1], height = c[2], width = c[3];
  if (rType.getShape() != ArrayRef<int64_t>{n, channels, height * width} ||
      aType.getDimSize(1) != channels || yType.getDimSize(0) != n)
    return std::nullopt;
  // Unit strides, at most 3x3 taps, and rows of three or more whole
  // vectors (depthwiseRowLanes).
  int64_t lanes = scheduleInt(product, "vector_width");
  if (llvm::any_of(onnx::getI64s(conv.getStrides(), 2, 1),
                   [](int64_t s) { return s != 1; }) ||
      wType.getDimSize(2) * wType.getDimSize(3) > 9 || lanes < 1 ||
      !depthwiseRowLanes(width, int(lanes)))
    return std::nullopt;
  std::string error;
  std::optional<TargetInfo> target =
      lookupTarget(scheduleString(product, "target").str(), error);
  if (!target)
    return std::nullopt;
  int64_t rows = depthwiseBlockRows(height, width, channels, tile[1], *target);
  return Candidate{depthwise, reshape, product, bArg.getArgNumber(), rows};
}

/// Replaces the three ops of `c` by one group: the depthwise group's body,
/// the Reshape, then the product's body, with the product's name and
/// schedule plus `depthwise_rows`.
void merge(Candidate c) {
  kernel::GroupOp dw = c.depthwise, product = c.product;
  SmallVector<Value> inputs(dw.getInputs());
  inputs.push_back(c.reshape.getShape());
  for (auto [i, v] : llvm::enumerate(product.getInputs()))
    if (i != c.bArg)
      inputs.push_back(v);

  NamedAttrList schedule(product.getScheduleAttr());
  OpBuilder b(product);
  schedule.set("depthwise_rows", b.getI64IntegerAttr(c.rows));
  auto fused = b.create<kernel::GroupOp>(
      product.getLoc(), product.getResult().getType(), product.getSymName(),
      product.getAnchor(), inputs,
      schedule.getDictionary(product.getContext()));
  Block *body = b.createBlock(&fused.getBody());
  for (Value input : inputs)
    body->addArgument(input.getType(), input.getLoc());

  IRMapping map;
  Block &dwBody = dw.getBody().front();
  for (auto [i, arg] : llvm::enumerate(dwBody.getArguments()))
    map.map(arg, body->getArgument(i));
  for (Operation &op : dwBody.without_terminator())
    b.clone(op, map);
  auto dwYield = cast<kernel::YieldOp>(dwBody.getTerminator());
  map.map(dw.getResult(), map.lookup(dwYield.getValue()));
  unsigned next = dwBody.getNumArguments();
  map.map(c.reshape.getShape(), body->getArgument(next++));
  Operation *view = b.clone(*c.reshape, map);

  Block &productBody = product.getBody().front();
  for (auto [i, arg] : llvm::enumerate(productBody.getArguments()))
    map.map(arg, i == c.bArg ? Value(view->getResult(0))
                             : Value(body->getArgument(next++)));
  for (Operation &op : productBody)
    b.clone(op, map);

  product.getResult().replaceAllUsesWith(fused.getResult());
  product.erase();
  c.reshape.erase();
  dw.erase();
}

struct FuseDepthwisePass : impl::FuseDepthwiseBase<FuseDepthwisePass> {
  void runOnOperation() override {
    SmallVector<Candidate> candidates;
    getOperation().walk([&](kernel::GroupOp group) {
      if (std::optional<Candidate> c = match(group))
        candidates.push_back(*c);
    });
    for (Candidate c : candidates)
      merge(c);
  }
};

} // namespace
} // namespace onnxc
