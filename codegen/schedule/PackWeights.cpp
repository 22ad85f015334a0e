// onnxc-pack-weights: the constant weights of gemm_packed products (and of
// gemm products in tiles of one vector by 16 rows or more, over a
// reduction of a multiple of 1024) laid out as their register tiles read
// them.
#include "codegen/Passes.h"
#include "codegen/schedule/Heuristics.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

#include <cstring>
#include <map>
#include <tuple>

namespace onnxc {
#define GEN_PASS_DEF_PACKWEIGHTS
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// `w` [B..., M, K] as [B..., M / rows, K, rows] (rows) or [B..., K, N] as
/// [B..., ceil(N / cols), K, cols] (columns; the last panel's columns past
/// N are zeros).
std::vector<float> pack(ArrayRef<float> w, ArrayRef<int64_t> shape,
                        int64_t block, bool rows) {
  int64_t rank = shape.size(), m = shape[rank - 2], n = shape[rank - 1];
  int64_t batch = 1;
  for (int64_t d : shape.drop_back(2))
    batch *= d;
  int64_t size = rows ? m * n : (n + block - 1) / block * block * m;
  std::vector<float> packed(batch * size, 0.0f);
  for (int64_t b = 0; b < batch; ++b) {
    const float *from = w.data() + b * m * n;
    float *to = packed.data() + b * size;
    for (int64_t row = 0; row < m; ++row)
      for (int64_t col = 0; col < n; ++col)
        to[rows ? (row / block * n + col) * block + row % block
                : (col / block * m + row) * block + col % block] =
            from[row * n + col];
  }
  return packed;
}

struct PackWeightsPass : impl::PackWeightsBase<PackWeightsPass> {
  // Packed copies already made: (weights, block, rows?) -> constant.
  std::map<std::tuple<Operation *, int64_t, bool>, Value> packed;
  SetVector<Value> replaced;

  /// Rewrites operand `operand` (0: A, whose rows are packed; 1: B, whose
  /// columns are) of `matmul` (a MatMul, or a Gemm without transB) in
  /// `group` to read packed constant weights.
  /// Fails, leaving the group as it is, when the operand is not float32
  /// constant weights of the group's own (or, for rows, their rows are not
  /// a multiple of `block`).
  LogicalResult packOperand(kernel::GroupOp group, Operation *matmul,
                            unsigned operand, int64_t block) {
    Block &body = group.getBody().front();
    bool rows = operand == 0;
    auto arg = llvm::dyn_cast<BlockArgument>(matmul->getOperand(operand));
    if (!arg || arg.getOwner() != &body || !arg.hasOneUse())
      return failure();
    unsigned index = arg.getArgNumber();
    Value weights = group.getInputs()[index];
    auto type = llvm::cast<RankedTensorType>(weights.getType());
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = type.getRank();
    onnx::ConstantOp constant = onnx::constantOf(weights);
    std::optional<std::vector<float>> values =
        constant ? onnx::getConstantF32s(constant.getResult()) : std::nullopt;
    // (One panel of columns is the layout B has already.)
    if (rank < 2 || block < 1 || (rows && shape[rank - 2] % block != 0) ||
        (!rows && shape[rank - 1] <= block) || !values)
      return failure();
    SmallVector<int64_t> packedShape(shape.drop_back(2));
    if (rows)
      packedShape.append({shape[rank - 2] / block, shape[rank - 1], block});
    else
      packedShape.append(
          {(shape[rank - 1] + block - 1) / block, shape[rank - 2], block});
    auto packedType = RankedTensorType::get(packedShape, type.getElementType());

    Value &packedValue = packed[{constant.getOperation(), block, rows}];
    if (!packedValue) {
      std::vector<float> data = pack(*values, shape, block, rows);
      OpBuilder b(constant);
      b.setInsertionPointAfter(constant);
      AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                         data.size() * sizeof(float)),
          alignof(float));
      auto attr =
          DenseResourceElementsAttr::get(packedType, "packed", std::move(blob));
      packedValue =
          b.create<onnx::ConstantOp>(constant.getLoc(), packedType, attr);
    }
    replaced.insert(weights);
    group->setOperand(index, packedValue);
    arg.setType(packedType);
    OpBuilder b(&body, body.begin());
    Value view =
        rows ? b.create<kernel::PackedRowsOp>(matmul->getLoc(), type, arg)
                   .getResult()
             : b.create<kernel::PackedColsOp>(matmul->getLoc(), type, arg)
                   .getResult();
    matmul->setOperand(operand, view);
    return success();
  }

  void runOnOperation() override {
    packed.clear();
    replaced.clear();
    WalkResult walk = getOperation().walk([&](kernel::GroupOp group) {
      DictionaryAttr s = group.getScheduleAttr();
      auto strategy = s ? s.getAs<StringAttr>("strategy") : StringAttr();
      auto tile = s ? s.getAs<DenseI64ArrayAttr>("tile") : DenseI64ArrayAttr();
      if (!strategy || !tile || tile.size() < 2)
        return WalkResult::advance();
      Operation *matmul = nullptr;
      for (Operation &op : group.getBody().front()) {
        auto gemm = dyn_cast<onnx::GemmOp>(op);
        if (isa<onnx::MatMulOp>(op) || (gemm && !gemm.getTransB()))
          matmul = &op;
      }
      if (!matmul)
        return WalkResult::advance();
      if (strategy.getValue() == "gemm_packed" &&
          (!isa<onnx::MatMulOp>(matmul) ||
           failed(packOperand(group, matmul, 0, tile[0])))) {
        group.emitOpError("is scheduled gemm_packed but its weights are not "
                          "float32 constants of its own with rows in whole "
                          "tiles");
        return WalkResult::interrupt();
      }
      // Constant weights B under a schedule of column panels (gemm_panel,
      // gemm): each panel one sequential stream, instead of its rows one
      // cache line, often one page, apart (or, for gemm, copied into a
      // buffer on every call). A last panel past N is padded with zeros
      // (never read: a last tile of columns shifts inwards).
      if (strategy.getValue() == "gemm_panel" || strategy.getValue() == "gemm")
        (void)packOperand(group, matmul, 1, tile[1]);
      // Constant weights A under gemm tiles of 16 rows or more by one
      // vector whose rows are a multiple of 4 KiB apart (a reduction of
      // 1024): 16 of them would share one L1 set of 8 ways. Packed, each
      // tile's rows are side by side at every step of the reduction. (Other
      // such tiles read A in place: packed, EfficientNet-B0's took 1.02
      // of the time.)
      int64_t lanes = s.getAs<IntegerAttr>("vector_width")
                          ? s.getAs<IntegerAttr>("vector_width").getInt()
                          : 0;
      auto aType =
          llvm::dyn_cast<RankedTensorType>(matmul->getOperand(0).getType());
      if (strategy.getValue() == "gemm" && isa<onnx::MatMulOp>(matmul) &&
          tile[0] >= 16 && tile[1] == lanes && aType && aType.getRank() >= 2 &&
          rowsShareL1Set(aType.getShape().back()))
        (void)packOperand(group, matmul, 0, tile[0]);
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
