// onnxc-fuse-kernels: partition the graph into kernel.group ops, one anchor
// plus the elementwise ops that consume it (a chain, or a small graph such
// as SiLU's x * Sigmoid(x) with one result).
#include "codegen/Passes.h"
#include "codegen/fusion/Epilogue.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace onnxc {
#define GEN_PASS_DEF_FUSEKERNELS
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// Elementwise ops fuse into chains; those the runtime computes (strings)
/// do not, so they anchor groups of their own.
bool isElementwise(Operation *op) {
  return op->hasTrait<onnx::OpTrait::Elementwise>() && !onnx::runsInRuntime(op);
}

/// Every op that computes something other than elementwise (conv, matmul,
/// pooling, reductions, data movement, Winograd transforms, im2col) heads a
/// group of its own. Constants and views stay outside groups.
bool isAnchor(Operation *op) {
  if (isa<kernel::WinogradInputOp, kernel::WinogradOutputOp, kernel::Im2colOp>(
          op))
    return true;
  return isa_and_nonnull<onnx::OnnxDialect>(op->getDialect()) &&
         !isElementwise(op) && !onnx::isView(op) &&
         !isa<onnx::ConstantOp, onnx::NoValueOp, onnx::CustomOp, onnx::YieldOp>(
             op);
}

/// The elementwise ops fused after `producer` (see epilogueOps), each
/// producing the shape `producer` does (so no broadcast widens the result;
/// the element type may change, as for a comparison) and none in another
/// group already.
SmallVector<Operation *>
fusableEpilogue(Operation *producer,
                const llvm::SmallPtrSetImpl<Operation *> &taken) {
  if (onnx::runsInRuntime(producer))
    return {};
  Value result = producer->getResult(0);
  // Shapes not known yet (IR before shape inference): nothing fuses.
  auto resultType = llvm::dyn_cast<RankedTensorType>(result.getType());
  if (!resultType)
    return {};
  return epilogueOps(result, [&](Operation *user, InsideFn) {
    if (!isElementwise(user) || user->getNumResults() != 1 ||
        taken.contains(user))
      return false;
    auto type = llvm::dyn_cast<RankedTensorType>(user->getResult(0).getType());
    return type && type.getShape() == resultType.getShape();
  });
}

/// Moves `ops` (in order, the last producing the result) into a new
/// kernel.group placed where the last op was.
void buildGroup(ArrayRef<Operation *> ops, StringRef name) {
  llvm::SmallPtrSet<Operation *, 8> inGroup(ops.begin(), ops.end());
  SmallVector<Value> inputs;
  SmallVector<Operation *> absent; // onnx.NoValue, copied into the group
  for (Operation *op : ops)
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (inGroup.contains(def))
        continue;
      if (isa_and_nonnull<onnx::NoValueOp>(def)) {
        if (!llvm::is_contained(absent, def))
          absent.push_back(def);
      } else if (!llvm::is_contained(inputs, operand)) {
        inputs.push_back(operand);
      }
    }

  Operation *last = ops.back();
  OpBuilder b(last);
  auto group = b.create<kernel::GroupOp>(
      last->getLoc(), last->getResult(0).getType(), name,
      ops.front()->getName().stripDialect(), inputs, DictionaryAttr());
  Block *body = b.createBlock(&group.getBody());
  IRMapping map;
  for (Value input : inputs)
    map.map(input, body->addArgument(input.getType(), input.getLoc()));
  for (Operation *op : absent)
    b.clone(*op, map);
  for (Operation *op : ops)
    b.clone(*op, map);
  b.create<kernel::YieldOp>(last->getLoc(), map.lookup(last->getResult(0)));

  last->getResult(0).replaceAllUsesWith(group.getResult());
  for (Operation *op : llvm::reverse(ops))
    op->erase();
}

struct FuseKernelsPass : impl::FuseKernelsBase<FuseKernelsPass> {
  void runOnOperation() override {
    SmallVector<SmallVector<Operation *>> groups;
    llvm::SmallPtrSet<Operation *, 16> taken;
    // Anchors first, so that an elementwise chain joins the anchor before it
    // rather than forming a group of its own.
    for (bool anchors : {true, false}) {
      getOperation().walk([&](Operation *op) {
        if (taken.contains(op) || !(anchors ? isAnchor(op) : isElementwise(op)))
          return;
        SmallVector<Operation *> ops{op};
        llvm::append_range(ops, fusableEpilogue(op, taken));
        taken.insert(ops.begin(), ops.end());
        groups.push_back(std::move(ops));
      });
    }
    // Number groups in program order so that names read top to bottom.
    llvm::sort(groups, [](auto &a, auto &b) {
      return a.back()->isBeforeInBlock(b.back());
    });
    for (auto [i, ops] : llvm::enumerate(groups))
      buildGroup(ops, ("k" + llvm::Twine(i)).str());
  }
};

} // namespace
} // namespace onnxc
