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
  if (isa<ConstantOp>(op) || op->getNumResults() != 1)
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

struct InferShapesPass : impl::InferShapesBase<InferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // ONNX graphs are topologically sorted, and so is the imported function:
    // one forward walk sees every producer before its users. Results known
    // at compile time become onnx.Constant on the way, so that
    // shape-computing chains feed later shape inference with constants.
    WalkResult result = func.walk([&](ShapeInference op) {
      if (failed(op.inferShapes()))
        return WalkResult::interrupt();
      Operation *raw = op;
      if (ElementsAttr value = knownValue(raw)) {
        OpBuilder b(raw);
        auto constant =
            b.create<ConstantOp>(raw->getLoc(), value.getType(), value);
        raw->getResult(0).replaceAllUsesWith(constant.getResult());
        raw->erase();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    Operation *terminator = func.getBody().back().getTerminator();
    SmallVector<Type> resultTypes(terminator->getOperandTypes());
    FunctionType type = func.getFunctionType();
    for (auto [i, declared] : llvm::enumerate(type.getResults())) {
      auto ranked = llvm::dyn_cast<RankedTensorType>(declared);
      if (ranked && ranked.hasStaticShape() && ranked != resultTypes[i]) {
        func.emitError() << "result " << i << " is declared " << declared
                         << " but computes " << resultTypes[i];
        return signalPassFailure();
      }
    }
    func.setType(
        FunctionType::get(&getContext(), type.getInputs(), resultTypes));
  }
};

} // namespace
} // namespace onnxc::onnx
