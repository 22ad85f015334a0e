// A dynamic batch: the leading dim that every dynamic input shares.
//
// onnxc-batch-inputs compiles such a model for one batch item: the batch
// dim becomes 1 and the function is marked `onnx.batch`. onnxc-check-batch
// then proves that the graph treats each item alone (every op works per
// item along dim 0; every output carries the batch), so that the host code
// may run the one-item graph once per item (`<name>_run_batch`).
#include "dialects/onnx/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"

namespace onnxc::onnx {
#define GEN_PASS_DEF_BATCHINPUTS
#define GEN_PASS_DEF_CHECKBATCH
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace onnxc::onnx

using namespace mlir;

namespace onnxc::onnx {
namespace {

/// The dim_param of dim `d` of argument `i` ("" when unnamed).
StringRef dimParam(func::FuncOp func, unsigned i, int64_t d) {
  auto params = func.getArgAttrOfType<ArrayAttr>(i, "onnx.dim_params");
  if (!params || d >= int64_t(params.size()))
    return "";
  return llvm::cast<StringAttr>(params[d]).getValue();
}

struct BatchInputsPass : impl::BatchInputsBase<BatchInputsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // The batch: every dynamic dim of every input is its dim 0, and all
    // share one name (or one input has it).
    std::optional<std::string> name;
    SmallVector<unsigned> batched;
    for (BlockArgument arg : func.getArguments()) {
      auto type = llvm::dyn_cast<RankedTensorType>(arg.getType());
      if (!type || type.hasStaticShape())
        continue;
      if (func.getArgAttr(arg.getArgNumber(), "onnx.kind"))
        return; // not a tensor: onnxc-check-supported says so
      for (int64_t d = 1; d < type.getRank(); ++d)
        if (type.isDynamicDim(d))
          return;
      std::string param = dimParam(func, arg.getArgNumber(), 0).str();
      if (name && *name != param)
        return;
      name = param;
      batched.push_back(arg.getArgNumber());
    }
    if (batched.empty() || (name->empty() && batched.size() > 1))
      return;

    OpBuilder b(func.getContext());
    SmallVector<Type> inputs(func.getArgumentTypes());
    for (unsigned i : batched) {
      auto type = llvm::cast<RankedTensorType>(inputs[i]);
      SmallVector<int64_t> shape(type.getShape());
      shape[0] = 1;
      inputs[i] = RankedTensorType::get(shape, type.getElementType());
      func.getArgument(i).setType(inputs[i]);
      func.setArgAttr(i, "onnx.batched", b.getUnitAttr());
    }
    // Declared results keep their dynamic dim 0; shape inference gives
    // them one item's.
    func.setType(b.getFunctionType(inputs, func.getResultTypes()));
    func->setAttr("onnx.batch", b.getStringAttr(*name));
  }
};

/// An attribute's integers, each made non-negative for `rank` dims.
SmallVector<int64_t> axesOf(Operation *op, StringRef attr, int64_t rank) {
  SmallVector<int64_t> axes;
  if (auto list = op->getAttrOfType<ArrayAttr>(attr))
    for (Attribute a : list) {
      int64_t v = llvm::cast<IntegerAttr>(a).getInt();
      axes.push_back(v < 0 ? v + rank : v);
    }
  return axes;
}

int64_t axisOf(Operation *op, StringRef attr, int64_t rank, int64_t dflt) {
  auto a = op->getAttrOfType<IntegerAttr>(attr);
  int64_t v = a ? a.getInt() : dflt;
  return v < 0 ? v + rank : v;
}

int64_t rankOf(Value v) {
  return llvm::cast<RankedTensorType>(v.getType()).getRank();
}

/// Why `op` would mix batch items, given which operands carry the batch
/// (as their dim 0); empty when it works on each item alone.
std::string mixesItems(Operation *op, ArrayRef<bool> batched) {
  auto only = [&](std::initializer_list<unsigned> allowed) {
    for (auto [i, is] : llvm::enumerate(batched))
      if (is && !llvm::is_contained(allowed, unsigned(i)))
        return false;
    return true;
  };
  auto notOn0 = [](ArrayRef<int64_t> axes) {
    return !llvm::is_contained(axes, 0);
  };
  if (op->getNumResults() != 1)
    return "has several results";
  int64_t rank = rankOf(op->getResult(0));
  if (rank == 0)
    return "makes a scalar";
  int64_t in = rankOf(op->getOperand(0));

  if (op->hasTrait<OpTrait::Elementwise>()) {
    for (auto [operand, is] : llvm::zip(op->getOperands(), batched))
      if (is && rankOf(operand) != rank)
        return "broadcasts a batched operand to a higher rank";
    return "";
  }
  if (isa<ConvOp, ConvTransposeOp, MaxPoolOp, AveragePoolOp, LpPoolOp,
          GlobalAveragePoolOp, GlobalMaxPoolOp, LRNOp, DepthToSpaceOp,
          SpaceToDepthOp, IdentityOp, DropoutOp, ResizeOp>(op))
    return only({0}) ? "" : "takes the batch in a parameter";
  if (isa<FlattenOp>(op))
    return axisOf(op, "axis", in, 1) >= 1 ? "" : "flattens the batch dim";
  if (isa<ReshapeOp>(op))
    return llvm::cast<RankedTensorType>(op->getResult(0).getType())
                           .getDimSize(0) == 1 &&
                   only({0})
               ? ""
               : "reshapes across the batch dim";
  if (isa<SqueezeOp>(op))
    return notOn0(axesOf(op, "axes", in)) ? "" : "squeezes the batch dim";
  if (isa<UnsqueezeOp>(op))
    return notOn0(axesOf(op, "axes", rank)) ? ""
                                            : "inserts a dim before "
                                              "the batch";
  if (isa<TransposeOp>(op)) {
    SmallVector<int64_t> perm = axesOf(op, "perm", in);
    return !perm.empty() && perm[0] == 0 ? "" : "moves the batch dim";
  }
  if (isa<ConcatOp>(op))
    return axisOf(op, "axis", rank, 0) != 0 &&
                   llvm::all_of(batched, [](bool b) { return b; })
               ? ""
               : "concatenates along the batch dim or with a tensor "
                 "without it";
  if (isa<SliceOp>(op)) {
    // Resolved by shape inference, which lists the axes the model cuts
    // (a range other than the whole dim).
    auto cut = op->getAttrOfType<ArrayAttr>("onnx.cut_axes");
    return op->getNumOperands() == 1 && cut &&
                   notOn0(axesOf(op, "onnx.cut_axes", in))
               ? ""
               : "slices the batch dim";
  }
  if (isa<PadOp>(op)) {
    SmallVector<int64_t> pads = getI64s(cast<PadOp>(op).getPads(), 0, 0);
    bool pads0 = pads.size() == size_t(2 * in) && (pads[0] || pads[in]);
    return !pads0 && only({0}) ? "" : "pads the batch dim";
  }
  if (isa<GatherOp>(op)) {
    int64_t axis = axisOf(op, "axis", in, 0);
    if (batched[0] && !batched[1] && axis != 0)
      return "";
    if (!batched[0] && batched[1] && axis == 0)
      return "";
    return "gathers along the batch dim";
  }
  if (isa<SoftmaxOp, LogSoftmaxOp, HardmaxOp, CumSumOp, ArgMaxOp, ArgMinOp>(op))
    return axisOf(op, "axis", in,
                  isa<CumSumOp, ArgMaxOp, ArgMinOp>(op) ? 0 : -1) != 0
               ? ""
               : "works along the batch dim";
  if (isa<ReduceSumOp, ReduceMeanOp, ReduceMaxOp, ReduceMinOp, ReduceProdOp,
          ReduceL1Op, ReduceL2Op, ReduceLogSumOp, ReduceLogSumExpOp,
          ReduceSumSquareOp>(op)) {
    SmallVector<int64_t> axes = axesOf(op, "axes", in);
    return notOn0(axes) && only({0}) ? "" : "reduces over the batch dim";
  }
  if (isa<MatMulOp>(op)) {
    int64_t rankB = rankOf(op->getOperand(1));
    // The batch dim stays dim 0 of the result; the other operand
    // broadcasts along it (rank <= 2, or a dim 0 of 1).
    if (batched[0] && in >= 2 &&
        (batched[1] ? rankB == in && in >= 3 : rankB <= 2 || rankB == in))
      return "";
    if (batched[1] && !batched[0] && rankB >= 3 && (in <= 2 || in == rankB))
      return "";
    return "multiplies across the batch dim";
  }
  if (auto gemm = dyn_cast<GemmOp>(op))
    return only({0}) && !gemm.getTransA() ? ""
                                          : "multiplies across the batch dim";
  if (isa<ExpandOp>(op))
    return only({0}) ? "" : "takes its shape from the batch";
  if (isa<TileOp>(op)) {
    auto repeats = getConstantInts(op->getOperand(1));
    return only({0}) && repeats && !repeats->empty() && (*repeats)[0] == 1
               ? ""
               : "tiles the batch dim";
  }
  return "is not known to work on each batch item alone";
}

struct CheckBatchPass : impl::CheckBatchBase<CheckBatchPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto batch = func->getAttrOfType<StringAttr>("onnx.batch");
    if (!batch)
      return;
    llvm::DenseSet<Value> batched;
    for (BlockArgument arg : func.getArguments())
      if (func.getArgAttr(arg.getArgNumber(), "onnx.batched"))
        batched.insert(arg);
    auto dimName = [&]() {
      return batch.getValue().empty()
                 ? std::string("the batch dim")
                 : "the batch dim '" + batch.getValue().str() + "'";
    };
    WalkResult walk = func.walk([&](Operation *op) {
      SmallVector<bool> which;
      for (Value v : op->getOperands())
        which.push_back(batched.contains(v));
      if (!llvm::is_contained(which, true))
        return WalkResult::advance();
      if (isa<func::ReturnOp>(op))
        return WalkResult::advance();
      std::string why = mixesItems(op, which);
      if (why.empty()) {
        auto type = llvm::cast<RankedTensorType>(op->getResult(0).getType());
        if (type.getDimSize(0) != 1)
          why = "gives dim 0 the size " + std::to_string(type.getDimSize(0));
      }
      if (!why.empty()) {
        op->emitOpError() << why << ", so " << dimName()
                          << " cannot be dynamic (each batch item must be "
                             "computed alone; not supported yet)";
        return WalkResult::interrupt();
      }
      batched.insert(op->getResult(0));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    Operation *ret = func.getBody().back().getTerminator();
    for (auto [i, v] : llvm::enumerate(ret->getOperands())) {
      if (!batched.contains(v)) {
        auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
        func.emitError() << "output '" << (name ? name.getValue() : "?")
                         << "' does not carry " << dimName()
                         << " (outputs without the batch are not supported "
                            "yet)";
        return signalPassFailure();
      }
      func.setResultAttr(i, "onnx.batched", UnitAttr::get(func.getContext()));
    }
  }
};

} // namespace
} // namespace onnxc::onnx
