// onnxc-schedule-kernels: attach the chosen schedule to every kernel group.
#include "codegen/Passes.h"
#include "codegen/schedule/Heuristics.h"
#include "dialects/onnx/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"

namespace onnxc {
#define GEN_PASS_DEF_SCHEDULEKERNELS
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

struct ScheduleKernelsPass : impl::ScheduleKernelsBase<ScheduleKernelsPass> {
  using ScheduleKernelsBase::ScheduleKernelsBase;

  void runOnOperation() override {
    std::string error;
    std::optional<TargetInfo> target = lookupTarget(targetName, error);
    if (!target) {
      getOperation().emitError() << error;
      return signalPassFailure();
    }
    Builder b(&getContext());
    getOperation().walk([&](kernel::GroupOp group) {
      auto type = llvm::cast<RankedTensorType>(group.getResult().getType());
      std::vector<int64_t> shape(type.getShape().begin(),
                                 type.getShape().end());
      // The extent a product anchor sums over (or the elements a Reduce
      // anchor combines into each result), and whether a product's first
      // operand is a constant (weights) passed into the group, and whether
      // a Conv anchor is depthwise.
      int64_t reduction = 0;
      bool constantA = false, depthwise = false;
      group.getBody().walk([&](Operation *op) {
        auto extent = [&](Value v, int fromEnd) -> int64_t {
          auto t = llvm::dyn_cast<RankedTensorType>(v.getType());
          return t && t.getRank() >= fromEnd
                     ? t.getDimSize(t.getRank() - fromEnd)
                     : 0;
        };
        if (auto matmul = dyn_cast<onnx::MatMulOp>(op)) {
          reduction = extent(matmul.getA(), 1);
          auto arg = llvm::dyn_cast<BlockArgument>(matmul.getA());
          constantA = arg && arg.getOwner() == &group.getBody().front() &&
                      matmul.getY().getType().getElementType().isF32() &&
                      onnx::constantOf(group.getInputs()[arg.getArgNumber()]);
        } else if (auto conv = dyn_cast<onnx::ConvOp>(op)) {
          auto w = llvm::dyn_cast<RankedTensorType>(conv.getW().getType());
          depthwise = w && isDepthwiseConv(conv.getGroup(), w.getShape().vec());
        } else if (auto gemm = dyn_cast<onnx::GemmOp>(op)) {
          reduction = extent(gemm.getA(), gemm.getTransA() ? 2 : 1);
        } else if (op->getName().stripDialect().starts_with("Reduce") &&
                   op->getNumOperands() >= 1) {
          auto in =
              llvm::dyn_cast<RankedTensorType>(op->getOperand(0).getType());
          auto out =
              llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
          if (in && out && in.hasStaticShape() && out.hasStaticShape() &&
              out.getNumElements() > 0)
            reduction = in.getNumElements() / out.getNumElements();
        }
      });
      ScheduleChoice s = chooseSchedule(group.getAnchor().str(), shape, *target,
                                        reduction, constantA, depthwise);
      NamedAttrList attrs;
      attrs.append("strategy", b.getStringAttr(s.strategy));
      attrs.append("target", b.getStringAttr(target->name));
      attrs.append("vector_width", b.getI64IntegerAttr(s.vectorWidth));
      attrs.append("parallel_axis", b.getI64IntegerAttr(s.parallelAxis));
      attrs.append("tile", b.getDenseI64ArrayAttr(s.tile));
      attrs.append("unroll", b.getI64IntegerAttr(s.unroll));
      if (s.prefetch > 0)
        attrs.append("prefetch", b.getI64IntegerAttr(s.prefetch));
      if (s.columnBlock > 0)
        attrs.append("column_block", b.getI64IntegerAttr(s.columnBlock));
      group.setScheduleAttr(attrs.getDictionary(&getContext()));
    });
  }
};

} // namespace
} // namespace onnxc
