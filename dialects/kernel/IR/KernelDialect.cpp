// Registration and verifiers of the `kernel` dialect.
#include "dialects/kernel/IR/KernelDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cassert>

using namespace mlir;

#include "dialects/kernel/IR/KernelDialect.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/kernel/IR/KernelOps.cpp.inc"

namespace onnxc::kernel {

void KernelDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/kernel/IR/KernelOps.cpp.inc"
      >();
}

LogicalResult GroupOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "body has " << body.getNumArguments()
                         << " arguments for " << getInputs().size()
                         << " inputs";
  for (auto [arg, input] : llvm::zip(body.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError() << "body argument type " << arg.getType()
                           << " differs from input type " << input.getType();
  auto yield = body.empty() ? YieldOp() : llvm::dyn_cast<YieldOp>(body.back());
  if (!yield)
    return emitOpError("body must end in kernel.yield");
  if (yield.getValue().getType() != getResult().getType())
    return emitOpError() << "yields " << yield.getValue().getType()
                         << " but the group returns " << getResult().getType();
  return success();
}

const WinogradMatrices &winogradMatrices(int m) {
  static const WinogradMatrices f2{
      2,
      4,
      {1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1},
      {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1},
      {1, 1, 1, 0, 0, 1, -1, -1}};
  static const WinogradMatrices f4{
      4,
      6,
      {4, 0,  -5, 0, 1, 0, 0, -4, -4, 1,  1, 0, 0, 4, -4, -1, 1, 0,
       0, -2, -1, 2, 1, 0, 0, 2,  -1, -2, 1, 0, 0, 4, 0,  -5, 0, 1},
      {1.0 / 4, 0, 0, -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6,
       1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 24, -1.0 / 12, 1.0 / 6, 0, 0, 1},
      {1, 1, 1, 1, 1, 0, 0, 1, -1, 2, -2, 0,
       0, 1, 1, 4, 4, 0, 0, 1, -1, 8, -8, 1}};
  assert((m == 2 || m == 4) && "Winograd tiles are 2x2 or 4x4");
  return m == 2 ? f2 : f4;
}

LogicalResult WinogradInputOp::verify() {
  auto in = llvm::cast<RankedTensorType>(getInput().getType());
  auto out = llvm::cast<RankedTensorType>(getResult().getType());
  int64_t m = getTile();
  if (m != 2 && m != 4)
    return emitOpError() << "tile must be 2 or 4, not " << m;
  if (getPads().size() != 2 || getOutputSize().size() != 2)
    return emitOpError("needs two pads (top, left) and two output sizes");
  int64_t a = m + 2, ho = getOutputSize()[0], wo = getOutputSize()[1];
  if (getPads()[0] < 0 || getPads()[1] < 0 || ho <= 0 || wo <= 0 ||
      ho % m != 0 || wo % m != 0)
    return emitOpError() << "needs pads of at least 0 and output sizes that "
                            "are positive multiples of the tile";
  if (in.getRank() != 4 || in.getDimSize(0) != 1 || !in.hasStaticShape())
    return emitOpError() << "input must be a static [1, C, H, W], not " << in;
  SmallVector<int64_t> want{a * a, in.getDimSize(1), ho / m, wo / m};
  if (out.getShape() != ArrayRef<int64_t>(want) ||
      out.getElementType() != in.getElementType())
    return emitOpError() << "result must be " << a * a << "x"
                         << in.getDimSize(1) << "x" << want[2] << "x" << want[3]
                         << " of the input's element type, not " << out;
  return success();
}

LogicalResult WinogradOutputOp::verify() {
  auto in = llvm::cast<RankedTensorType>(getInput().getType());
  auto out = llvm::cast<RankedTensorType>(getResult().getType());
  int64_t m = getTile();
  if (m != 2 && m != 4)
    return emitOpError() << "tile must be 2 or 4, not " << m;
  if (in.getRank() != 4 || !in.hasStaticShape() ||
      in.getDimSize(0) != (m + 2) * (m + 2))
    return emitOpError() << "input must be a static [" << (m + 2) * (m + 2)
                         << ", K, TH, TW], not " << in;
  // The last tiles may reach past the result (a side that is not a
  // multiple of m): at most m - 1 of their rows and columns are dropped.
  int64_t th = in.getDimSize(2), tw = in.getDimSize(3);
  bool covered =
      out.getRank() == 4 && out.hasStaticShape() && out.getDimSize(0) == 1 &&
      out.getDimSize(1) == in.getDimSize(1) &&
      out.getDimSize(2) > (th - 1) * m && out.getDimSize(2) <= th * m &&
      out.getDimSize(3) > (tw - 1) * m && out.getDimSize(3) <= tw * m;
  if (!covered || out.getElementType() != in.getElementType())
    return emitOpError() << "result must be 1x" << in.getDimSize(1) << "xHxW"
                         << " with H in (" << (th - 1) * m << ", " << th * m
                         << "] and W in (" << (tw - 1) * m << ", " << tw * m
                         << "], of the input's element type, not " << out;
  return success();
}

LogicalResult Im2colOp::verify() {
  auto in = llvm::cast<RankedTensorType>(getInput().getType());
  auto out = llvm::cast<RankedTensorType>(getResult().getType());
  ArrayRef<int64_t> k = getKernelShape(), s = getStrides(), d = getDilations(),
                    p = getPads();
  if (k.size() != 2 || s.size() != 2 || d.size() != 2 || p.size() != 2)
    return emitOpError("needs two kernel sizes, strides, dilations and pads "
                       "(top, left)");
  auto positive = [](int64_t v) { return v > 0; };
  if (!llvm::all_of(k, positive) || !llvm::all_of(s, positive) ||
      !llvm::all_of(d, positive) || p[0] < 0 || p[1] < 0)
    return emitOpError("needs positive kernel sizes, strides and dilations "
                       "and pads of at least 0");
  if (in.getRank() != 4 || !in.hasStaticShape())
    return emitOpError() << "input must be a static [N, C, H, W], not " << in;
  if (out.getRank() != 5 || !out.hasStaticShape() ||
      out.getDimSize(0) != in.getDimSize(0) ||
      out.getDimSize(1) != in.getDimSize(1) ||
      out.getDimSize(2) != k[0] * k[1] || out.getDimSize(3) < 1 ||
      out.getDimSize(4) < 1 || out.getElementType() != in.getElementType())
    return emitOpError() << "result must be " << in.getDimSize(0) << "x"
                         << in.getDimSize(1) << "x" << k[0] * k[1]
                         << "xHoxWo of the input's element type, not " << out;
  return success();
}

/// The checks packed_rows (`rows`) and packed_cols share: a static input
/// of one more dim than the result, both of one element type, the batch
/// dims alike, and the packed dim's blocks covering the result's.
static LogicalResult verifyPackedView(Operation *op, Value input, Value result,
                                      bool rows) {
  auto in = llvm::cast<RankedTensorType>(input.getType());
  auto out = llvm::cast<RankedTensorType>(result.getType());
  int64_t rank = out.getRank();
  if (in.getRank() != rank + 1 || rank < 2 || !in.hasStaticShape() ||
      !out.hasStaticShape() || in.getElementType() != out.getElementType())
    return op->emitOpError()
           << "needs a static "
           << (rows ? "[B..., M / r, K, r] input and a [B..., M, K]"
                    : "[B..., N / c, K, c] input and a [B..., K, N]")
           << " result of its element type, not " << in << " and " << out;
  ArrayRef<int64_t> i = in.getShape(), o = out.getShape();
  bool batch = i.take_front(rank - 2) == o.take_front(rank - 2);
  if (rows && (!batch || i[rank - 2] * i[rank] != o[rank - 2] ||
               i[rank - 1] != o[rank - 1]))
    return op->emitOpError()
           << "result must be the input's " << i[rank - 2] << " x " << i[rank]
           << " rows by " << i[rank - 1] << " columns, not " << out;
  if (!rows &&
      (!batch || i[rank - 2] != (o[rank - 1] + i[rank] - 1) / i[rank] ||
       i[rank - 1] != o[rank - 2]))
    return op->emitOpError()
           << "result must be the input's " << i[rank - 1] << " rows by up to "
           << i[rank - 2] << " x " << i[rank]
           << " columns (the last panel's past N unread), not " << out;
  return success();
}

LogicalResult PackedRowsOp::verify() {
  return verifyPackedView(*this, getInput(), getResult(), /*rows=*/true);
}

LogicalResult PackedColsOp::verify() {
  return verifyPackedView(*this, getInput(), getResult(), /*rows=*/false);
}

} // namespace onnxc::kernel
