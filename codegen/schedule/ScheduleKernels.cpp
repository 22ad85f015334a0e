// onnxc-schedule-kernels: attach the chosen schedule to every kernel group.
#include "codegen/Passes.h"
#include "codegen/schedule/Heuristics.h"

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
      ScheduleChoice s =
          chooseSchedule(group.getAnchor().str(), shape, *target);
      NamedAttrList attrs;
      attrs.append("strategy", b.getStringAttr(s.strategy));
      attrs.append("target", b.getStringAttr(target->name));
      attrs.append("vector_width", b.getI64IntegerAttr(s.vectorWidth));
      attrs.append("parallel_axis", b.getI64IntegerAttr(s.parallelAxis));
      attrs.append("tile", b.getDenseI64ArrayAttr(s.tile));
      attrs.append("unroll", b.getI64IntegerAttr(s.unroll));
      group.setScheduleAttr(attrs.getDictionary(&getContext()));
    });
  }
};

} // namespace
} // namespace onnxc
