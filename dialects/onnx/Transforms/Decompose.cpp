// onnxc-decompose: ops with several results become single-result ops.
#include "dialects/onnx/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace onnxc::onnx {
#define GEN_PASS_DEF_DECOMPOSE
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace onnxc::onnx

using namespace mlir;

namespace onnxc::onnx {
namespace {

/// Builds single-result ops after `anchor`, each typed by its own shape
/// inference.
class TypedOpBuilder {
public:
  explicit TypedOpBuilder(Operation *anchor)
      : b(anchor), loc(anchor->getLoc()), ok(true) {}

  template <typename OpTy>
  Value make(ValueRange operands, ArrayRef<NamedAttribute> attrs = {}) {
    Type element =
        llvm::cast<ShapedType>(operands[0].getType()).getElementType();
    auto op = b.create<OpTy>(loc, TypeRange{UnrankedTensorType::get(element)},
                             operands, attrs);
    ok &= succeeded(cast<ShapeInference>(op.getOperation()).inferShapes());
    return op->getResult(0);
  }

  /// A scalar constant of `like`'s element type.
  Value scalar(Value like, double v) {
    Type element = llvm::cast<ShapedType>(like.getType()).getElementType();
    auto type = RankedTensorType::get({}, element);
    auto value =
        DenseElementsAttr::get(type, FloatAttr::get(element, v).getValue());
    return b.create<ConstantOp>(loc, type, value);
  }

  NamedAttribute attr(StringRef name, Attribute value) {
    return b.getNamedAttr(name, value);
  }
  Attribute i64(int64_t v) {
    return b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), v);
  }
  Attribute i64s(ArrayRef<int64_t> v) { return b.getI64ArrayAttr(v); }

  OpBuilder b;
  Location loc;
  bool ok;
};

LogicalResult decomposeSplit(SplitOp op) {
  TypedOpBuilder b(op);
  auto type = llvm::cast<RankedTensorType>(op.getInput().getType());
  int64_t axis = op.getAxis(), offset = 0;
  SmallVector<int64_t> sizes = getI64s(op.getSplit(), 0, 0);
  SmallVector<int64_t> axes, steps(type.getRank(), 1);
  for (int64_t i = 0; i < type.getRank(); ++i)
    axes.push_back(i);
  for (auto [result, size] : llvm::zip(op.getResults(), sizes)) {
    SmallVector<int64_t> starts(type.getRank(), 0);
    SmallVector<int64_t> ends(type.getShape());
    starts[axis] = offset;
    ends[axis] = offset + size;
    offset += size;
    Value part = b.make<SliceOp>(
        op.getInput(),
        {b.attr("starts", b.i64s(starts)), b.attr("ends", b.i64s(ends)),
         b.attr("axes", b.i64s(axes)), b.attr("steps", b.i64s(steps))});
    result.replaceAllUsesWith(part);
  }
  return success(b.ok);
}

/// The mean of `x` over `axes` (kept as size-1 dims), x - mean, and the
/// variance E[(x - mean)^2].
struct Moments {
  Value mean, centered, variance;
};

Moments moments(TypedOpBuilder &b, Value x, ArrayRef<int64_t> axes) {
  auto reduce = [&](Value v) {
    return b.make<ReduceMeanOp>(v, {b.attr("axes", b.i64s(axes))});
  };
  Value mean = reduce(x);
  Value d = b.make<SubOp>(ValueRange{x, mean});
  return {mean, d, reduce(b.make<MulOp>(ValueRange{d, d}))};
}

/// Mean = ReduceMean(X), D = X - Mean, InvStdDev = 1 / sqrt(ReduceMean(D *
/// D) + epsilon), Y = D * InvStdDev * Scale + B, over the axes from `axis`.
LogicalResult decomposeLayerNorm(LayerNormalizationOp op) {
  TypedOpBuilder b(op);
  auto type = llvm::cast<RankedTensorType>(op.getX().getType());
  SmallVector<int64_t> axes;
  for (int64_t i = op.getAxis(); i < type.getRank(); ++i)
    axes.push_back(i);
  auto [mean, d, var] = moments(b, op.getX(), axes);
  Value eps = b.scalar(op.getX(), op.getEpsilon().convertToDouble());
  Value invStd =
      b.make<ReciprocalOp>(b.make<SqrtOp>(b.make<AddOp>(ValueRange{var, eps})));
  Value y = b.make<MulOp>(
      ValueRange{b.make<MulOp>(ValueRange{d, invStd}), op.getScale()});
  if (op.getB())
    y = b.make<AddOp>(ValueRange{y, op.getB()});
  op.getY().replaceAllUsesWith(y);
  op.getMean().replaceAllUsesWith(mean);
  op.getInvStdDev().replaceAllUsesWith(invStd);
  return success(b.ok);
}

LogicalResult decomposeSoftmaxCrossEntropy(SoftmaxCrossEntropyLossOp op) {
  TypedOpBuilder b(op);
  Value logProb =
      b.make<LogSoftmaxOp>(op.getScores(), {b.attr("axis", b.i64(1))});
  SmallVector<Value> operands{logProb, op.getLabels()};
  if (op.getWeights())
    operands.push_back(op.getWeights());
  SmallVector<NamedAttribute> attrs{b.attr("reduction", op.getReductionAttr())};
  if (op.getIgnoreIndexAttr())
    attrs.push_back(b.attr("ignore_index", op.getIgnoreIndexAttr()));
  Value loss = b.make<NegativeLogLikelihoodLossOp>(operands, attrs);
  op.getOutput().replaceAllUsesWith(loss);
  op.getLogProb().replaceAllUsesWith(logProb);
  return success(b.ok);
}

/// A per-channel [C] vector viewed as [C, 1, ...] for an input of `rank`.
Value perChannel(TypedOpBuilder &b, Value v, int64_t rank) {
  SmallVector<int64_t> axes;
  for (int64_t i = 1; i < rank - 1; ++i)
    axes.push_back(i);
  if (axes.empty())
    return v;
  return b.make<UnsqueezeOp>(v, {b.attr("axes", b.i64s(axes))});
}

/// Y = (X - mean) * (scale / sqrt(var + epsilon)) + B, per channel.
LogicalResult decomposeBatchNorm(BatchNormalizationOp op) {
  TypedOpBuilder b(op);
  int64_t rank = llvm::cast<ShapedType>(op.getX().getType()).getRank();
  Value eps = b.scalar(op.getInputVar(), op.getEpsilon().convertToDouble());
  Value factor = b.make<DivOp>(ValueRange{
      op.getScale(),
      b.make<SqrtOp>(b.make<AddOp>(ValueRange{op.getInputVar(), eps}))});
  Value centered = b.make<SubOp>(
      ValueRange{op.getX(), perChannel(b, op.getInputMean(), rank)});
  Value y = b.make<AddOp>(ValueRange{
      b.make<MulOp>(ValueRange{centered, perChannel(b, factor, rank)}),
      perChannel(b, op.getB(), rank)});
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

LogicalResult decomposeInstanceNorm(InstanceNormalizationOp op) {
  TypedOpBuilder b(op);
  int64_t rank = llvm::cast<ShapedType>(op.getInput().getType()).getRank();
  SmallVector<int64_t> axes;
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  Moments m = moments(b, op.getInput(), axes);
  Value eps = b.scalar(op.getInput(), op.getEpsilon().convertToDouble());
  Value normalized = b.make<DivOp>(ValueRange{
      m.centered, b.make<SqrtOp>(b.make<AddOp>(ValueRange{m.variance, eps}))});
  Value y = b.make<AddOp>(ValueRange{
      b.make<MulOp>(ValueRange{normalized, perChannel(b, op.getScale(), rank)}),
      perChannel(b, op.getB(), rank)});
  op.getOutput().replaceAllUsesWith(y);
  return success(b.ok);
}

/// ONNX's function body: (X - E[X]) / (sqrt(E[X^2] - E[X]^2) + 1e-9).
LogicalResult decomposeMeanVarianceNorm(MeanVarianceNormalizationOp op) {
  TypedOpBuilder b(op);
  SmallVector<int64_t> axes = op.getAxes() ? getI64s(op.getAxes(), 0, 0)
                                           : SmallVector<int64_t>{0, 2, 3};
  auto reduce = [&](Value v) {
    return b.make<ReduceMeanOp>(v, {b.attr("axes", b.i64s(axes))});
  };
  Value x = op.getX();
  Value mean = reduce(x);
  Value variance =
      b.make<SubOp>(ValueRange{reduce(b.make<MulOp>(ValueRange{x, x})),
                               b.make<MulOp>(ValueRange{mean, mean})});
  Value std =
      b.make<AddOp>(ValueRange{b.make<SqrtOp>(variance), b.scalar(x, 1e-9)});
  Value y = b.make<DivOp>(ValueRange{b.make<SubOp>(ValueRange{x, mean}), std});
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

/// Dropout's mask, all true at inference, becomes a constant; the output
/// stays a view of the input.
LogicalResult decomposeDropoutMask(DropoutOp op) {
  OpBuilder b(op);
  auto output =
      b.create<DropoutOp>(op.getLoc(), TypeRange{op.getOutput().getType()},
                          op->getOperands(), op->getAttrs());
  op.getOutput().replaceAllUsesWith(output.getOutput());
  auto type = llvm::cast<RankedTensorType>(op.getMask().getType());
  auto mask = b.create<ConstantOp>(op.getLoc(), type,
                                   DenseElementsAttr::get(type, true));
  op.getMask().replaceAllUsesWith(mask.getResult());
  return success();
}

struct DecomposePass : impl::DecomposeBase<DecomposePass> {
  void runOnOperation() override {
    SmallVector<Operation *> rewritten;
    WalkResult result = getOperation().walk([&](Operation *op) {
      LogicalResult done = success();
      if (auto split = dyn_cast<SplitOp>(op))
        done = decomposeSplit(split);
      else if (auto norm = dyn_cast<LayerNormalizationOp>(op))
        done = decomposeLayerNorm(norm);
      else if (auto sce = dyn_cast<SoftmaxCrossEntropyLossOp>(op))
        done = decomposeSoftmaxCrossEntropy(sce);
      else if (auto bn = dyn_cast<BatchNormalizationOp>(op))
        done = decomposeBatchNorm(bn);
      else if (auto in = dyn_cast<InstanceNormalizationOp>(op))
        done = decomposeInstanceNorm(in);
      else if (auto mvn = dyn_cast<MeanVarianceNormalizationOp>(op))
        done = decomposeMeanVarianceNorm(mvn);
      else if (auto d = dyn_cast<DropoutOp>(op); d && d.getMask())
        done = decomposeDropoutMask(d);
      else
        return WalkResult::advance();
      if (failed(done))
        return WalkResult::interrupt();
      rewritten.push_back(op);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    for (Operation *op : rewritten)
      op->erase();
  }
};

} // namespace
} // namespace onnxc::onnx
