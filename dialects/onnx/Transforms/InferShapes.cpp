// onnxc-infer-shapes: propagate static shapes through a function in order.
#include "dialects/onnx/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace onnxc::onnx {
#define GEN_PASS_DEF_INFERSHAPES
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace onnxc::onnx

using namespace mlir;

namespace onnxc::onnx {
namespace {

/// The value of `op`'s single result when it is known at compile time: a
/// result without elements; an op with an MLIR folder (Shape, Size,
/// ConstantOfShape, Range); an op whose operands are all constants,
/// computed by the constant evaluator when one is set. Null otherwise.
ElementsAttr knownValue(Operation *op) {
  // Random draws are made at run time, even from constant inputs.
  if (isa<ConstantOp>(op) || op->getNumResults() != 1 || drawsRandom(op))
    return {};
  auto type = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (type && type.hasStaticShape() && type.getNumElements() == 0 &&
      type.getElementType().isIntOrFloat())
    return DenseElementsAttr::get(type, ArrayRef<Attribute>());
  SmallVector<OpFoldResult> folded;
  if (succeeded(op->fold(folded)) && folded.size() == 1)
    if (auto value = llvm::dyn_cast_if_present<ElementsAttr>(
            llvm::dyn_cast_if_present<Attribute>(folded[0])))
      return value;
  bool allConstant =
      op->getNumOperands() > 0 && llvm::all_of(op->getOperands(), [](Value v) {
        return isa_and_nonnull<ConstantOp, NoValueOp>(v.getDefiningOp());
      });
  if (!allConstant || !getConstantEvaluator())
    return {};
  FailureOr<ElementsAttr> computed = getConstantEvaluator()(op);
  return succeeded(computed) ? *computed : ElementsAttr();
}

/// A Split of a small constant (shape arithmetic: the dims of a shape
/// input split apart) becomes one constant per part, so that what is
/// computed from them folds too.
std::optional<SmallVector<Value>> foldSplit(SplitOp split) {
  auto input = split.getInput().getDefiningOp<ConstantOp>();
  auto dense =
      input ? llvm::dyn_cast<DenseElementsAttr>(input.getValue()) : nullptr;
  if (!dense || !dense.getElementType().isIntOrFloat() ||
      dense.getNumElements() > 1 << 16)
    return std::nullopt;
  auto type = llvm::cast<RankedTensorType>(dense.getType());
  int64_t axis =
      split.getAxis() < 0 ? split.getAxis() + type.getRank() : split.getAxis();
  if (axis < 0 || axis >= type.getRank())
    return std::nullopt;
  // Elements as [outer, dim, inner] around the axis.
  int64_t outer = 1, inner = 1, dim = type.getDimSize(axis);
  for (int64_t d = 0; d < axis; ++d)
    outer *= type.getDimSize(d);
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<Attribute> values(dense.getValues<Attribute>());
  SmallVector<DenseElementsAttr> slices;
  int64_t start = 0;
  for (Value result : split.getResults()) {
    auto part = llvm::dyn_cast<RankedTensorType>(result.getType());
    if (!part || !part.hasStaticShape() || part.getRank() != type.getRank())
      return std::nullopt;
    int64_t size = part.getDimSize(axis);
    SmallVector<Attribute> slice;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = (o * dim + start) * inner, e = i + size * inner;
           i < e && e <= int64_t(values.size()); ++i)
        slice.push_back(values[i]);
    if (int64_t(slice.size()) != part.getNumElements())
      return std::nullopt;
    start += size;
    slices.push_back(DenseElementsAttr::get(part, slice));
  }
  if (start != dim)
    return std::nullopt;
  OpBuilder b(split);
  SmallVector<Value> parts;
  for (auto [result, slice] : llvm::zip(split.getResults(), slices)) {
    parts.push_back(
        b.create<ConstantOp>(split.getLoc(), slice.getType(), slice));
    result.replaceAllUsesWith(parts.back());
  }
  split->erase();
  return parts;
}

/// Infers `op` (expanding control flow); see InferOpFn.
FailureOr<SmallVector<Value>> inferOp(Operation *op) {
  if (isa<IfOp, LoopOp, ScanOp, SequenceMapOp>(op) || isSequenceOp(op))
    return expandControlFlow(op, inferOp);
  // Identity and OptionalGetElement pass a sequence on as it is.
  if (isa<IdentityOp, OptionalGetElementOp>(op) &&
      op->getOperand(0).getDefiningOp<SequenceConstructOp>()) {
    Value list = op->getOperand(0);
    op->getResult(0).replaceAllUsesWith(list);
    op->erase();
    return SmallVector<Value>{list};
  }
  SmallVector<Value> results(op->getResults());
  auto shaped = dyn_cast<ShapeInference>(op);
  if (!shaped)
    return results;
  if (failed(shaped.inferShapes()))
    return failure();
  if (auto split = dyn_cast<SplitOp>(op))
    if (std::optional<SmallVector<Value>> parts = foldSplit(split))
      return *parts;
  if (ElementsAttr value = knownValue(op)) {
    OpBuilder b(op);
    auto constant = b.create<ConstantOp>(op->getLoc(), value.getType(), value);
    op->getResult(0).replaceAllUsesWith(constant.getResult());
    op->erase();
    return SmallVector<Value>{constant.getResult()};
  }
  return results;
}

/// A graph output that is a sequence becomes one output per tensor,
/// "name[i]" (`onnx.sequence` its name, `onnx.element` i); when there is
/// one, every output says which graph output it comes from (`onnx.output`).
void flattenSequenceResults(func::FuncOp func) {
  Operation *terminator = func.getBody().back().getTerminator();
  if (llvm::none_of(terminator->getOperands(), [](Value v) {
        return v.getDefiningOp<SequenceConstructOp>();
      }))
    return;
  Builder b(func.getContext());
  SmallVector<Value> results;
  SmallVector<DictionaryAttr> attrs;
  for (auto [i, v] : llvm::enumerate(terminator->getOperands())) {
    NamedAttrList a(func.getResultAttrDict(i));
    a.set("onnx.output", b.getI64IntegerAttr(i));
    auto list = v.getDefiningOp<SequenceConstructOp>();
    if (!list) {
      results.push_back(v);
      attrs.push_back(a.getDictionary(b.getContext()));
      continue;
    }
    auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
    std::string base = name ? name.str() : "output" + std::to_string(i);
    for (auto [k, element] : llvm::enumerate(list.getInputs())) {
      a.set("onnx.name", b.getStringAttr(base + "[" + std::to_string(k) + "]"));
      a.set("onnx.sequence", b.getStringAttr(base));
      a.set("onnx.element", b.getI64IntegerAttr(k));
      results.push_back(element);
      attrs.push_back(a.getDictionary(b.getContext()));
    }
  }
  terminator->setOperands(results);
  func.setType(FunctionType::get(func.getContext(),
                                 func.getFunctionType().getInputs(),
                                 ValueRange(results).getTypes()));
  func.setAllResultAttrs(attrs);
}

struct InferShapesPass : impl::InferShapesBase<InferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // ONNX graphs are topologically sorted, and so is the imported function:
    // one forward walk sees every producer before its users. Results known
    // at compile time become onnx.Constant on the way, so that
    // shape-computing chains feed later shape inference with constants;
    // control flow is expanded in place (its clones are inferred as they
    // are made, before the walk goes on).
    for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
      if (failed(inferOp(&op)))
        return signalPassFailure();
    }

    Operation *terminator = func.getBody().back().getTerminator();
    FunctionType type = func.getFunctionType();
    for (auto [i, declared] : llvm::enumerate(type.getResults())) {
      auto ranked = llvm::dyn_cast<RankedTensorType>(declared);
      Type computed = terminator->getOperand(i).getType();
      if (ranked && ranked.hasStaticShape() && ranked != computed) {
        func.emitError() << "result " << i << " is declared " << declared
                         << " but computes " << computed;
        return signalPassFailure();
      }
    }
    flattenSequenceResults(func);

    // Sequences are gone once every sequence op is rewritten: the lists
    // left are unused.
    for (Operation &op :
         llvm::make_early_inc_range(llvm::reverse(func.getBody().front()))) {
      if (!isa<SequenceConstructOp>(op))
        continue;
      if (!op.use_empty()) {
        op.emitOpError("feeds an op that takes no sequence");
        return signalPassFailure();
      }
      op.erase();
    }
    SmallVector<Type> resultTypes(terminator->getOperandTypes());
    func.setType(
        FunctionType::get(&getContext(), type.getInputs(), resultTypes));
  }
};

} // namespace
} // namespace onnxc::onnx
