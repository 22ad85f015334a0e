// onnxc-pack-weights: the constant weights of gemm_packed products laid out
// as their register tiles read them.
#include "codegen/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

#include <cstring>
#include <map>

namespace onnxc {
#define GEN_PASS_DEF_PACKWEIGHTS
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// `w` [B..., M, K] as [B..., M / rows, K, rows].
std::vector<float> packRows(ArrayRef<float> w, ArrayRef<int64_t> shape,
                            int64_t rows) {
  int64_t rank = shape.size(), m = shape[rank - 2], k = shape[rank - 1];
  int64_t batch = 1;
  for (int64_t d : shape.drop_back(2))
    batch *= d;
  std::vector<float> packed(w.size());
  for (int64_t b = 0; b < batch; ++b) {
    const float *from = w.data() + b * m * k;
    float *to = packed.data() + b * m * k;
    for (int64_t row = 0; row < m; ++row)
      for (int64_t col = 0; col < k; ++col)
        to[(row / rows * k + col) * rows + row % rows] = from[row * k + col];
  }
  return packed;
}

struct PackWeightsPass : impl::PackWeightsBase<PackWeightsPass> {
  void runOnOperation() override {
    // Packed copies already made: (weights, rows) -> constant.
    std::map<std::pair<Operation *, int64_t>, Value> packed;
    SetVector<Value> replaced;
    WalkResult walk = getOperation().walk([&](kernel::GroupOp group) {
      DictionaryAttr s = group.getScheduleAttr();
      auto strategy = s ? s.getAs<StringAttr>("strategy") : StringAttr();
      auto tile = s ? s.getAs<DenseI64ArrayAttr>("tile") : DenseI64ArrayAttr();
      if (!strategy || strategy.getValue() != "gemm_packed" || !tile ||
          tile.empty())
        return WalkResult::advance();
      int64_t rows = tile[0];
      Block &body = group.getBody().front();
      onnx::MatMulOp matmul;
      for (Operation &op : body)
        if (auto m = dyn_cast<onnx::MatMulOp>(op))
          matmul = m;
      auto arg = matmul ? llvm::dyn_cast<BlockArgument>(matmul.getA())
                        : BlockArgument();
      if (!arg || arg.getOwner() != &body || !arg.hasOneUse()) {
        group.emitOpError("is scheduled gemm_packed but its product does not "
                          "read constant weights of its own");
        return WalkResult::interrupt();
      }
      unsigned index = arg.getArgNumber();
      Value weights = group.getInputs()[index];
      auto type = llvm::cast<RankedTensorType>(weights.getType());
      ArrayRef<int64_t> shape = type.getShape();
      int64_t rank = type.getRank();
      onnx::ConstantOp constant = onnx::constantOf(weights);
      std::optional<std::vector<float>> values =
          constant ? onnx::getConstantF32s(constant.getResult()) : std::nullopt;
      if (rank < 2 || shape[rank - 2] % rows != 0 || !values) {
        group.emitOpError("is scheduled gemm_packed but its weights are not "
                          "float32 constants with rows in whole tiles");
        return WalkResult::interrupt();
      }
      SmallVector<int64_t> packedShape(shape.drop_back(2));
      packedShape.append({shape[rank - 2] / rows, shape[rank - 1], rows});
      auto packedType =
          RankedTensorType::get(packedShape, type.getElementType());

      Value &packedValue = packed[{constant.getOperation(), rows}];
      if (!packedValue) {
        std::vector<float> data = packRows(*values, shape, rows);
        OpBuilder b(constant);
        b.setInsertionPointAfter(constant);
        AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
            ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                           data.size() * sizeof(float)),
            alignof(float));
        auto attr = DenseResourceElementsAttr::get(packedType, "packed",
                                                   std::move(blob));
        packedValue =
            b.create<onnx::ConstantOp>(constant.getLoc(), packedType, attr);
      }
      replaced.insert(weights);
      group->setOperand(index, packedValue);
      arg.setType(packedType);
      OpBuilder b(&body, body.begin());
      Value view = b.create<kernel::PackedRowsOp>(matmul.getLoc(), type, arg);
      matmul->setOperand(0, view);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    // Weights (and views of them) that only the packed groups read go.
    for (Value v : replaced)
      while (Operation *op = v.getDefiningOp()) {
        if (!op->use_empty() || !isPure(op))
          break;
        v = op->getNumOperands() ? op->getOperand(0) : Value();
        op->erase();
        if (!v)
          break;
      }
  }
};

} // namespace
} // namespace onnxc
