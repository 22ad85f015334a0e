// onnxc-matmul-forms: products written so that the gemm schedule tiles them
// well. Convolutions that direct conv kernels vectorize badly become
// matrix products (pointwise ones over the flattened spatial dims, those
// with narrow outputs or strided windows over an im2col copy of the input,
// kernel.im2col), the elementwise ops after them (see Epilogue.h)
// following onto the product, and MatMuls of a stack of matrices by one matrix
// multiply all the rows at once.
#include "codegen/Passes.h"
#include "codegen/fusion/Epilogue.h"
#include "dialects/onnx/Transforms/TypedOpBuilder.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/IRMapping.h"

#include <vector>

namespace onnxc {
#define GEN_PASS_DEF_MATMULFORMS
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using onnxc::onnx::constantOf;
using onnxc::onnx::reshapedConstant;
using onnxc::onnx::TypedOpBuilder;

namespace onnxc {
namespace {

/// Outputs narrower than this go through im2col (a direct conv vectorizes
/// along the output width, and its row tiles fit narrow maps badly).
constexpr int64_t kNarrowWidth = 8;
/// Over at least this many input channels per group, outputs narrower
/// than kWideWidth and strided windows go through im2col too: the product
/// amortizes the copy, and a strided direct conv gathers every stride-th
/// input element into its vectors. (A stem over 3 colour channels and
/// small convs stay direct.)
constexpr int64_t kMinColumnChannels = 16;
constexpr int64_t kWideWidth = 16;
/// The most elements an im2col copy may have.
constexpr int64_t kMaxColumnElements = 1 << 23;

/// How a chain operand is seen by the moved chain: the shape it is viewed
/// as, or none where it cannot follow.
using ViewFn =
    llvm::function_ref<std::optional<SmallVector<int64_t>>(RankedTensorType)>;

/// Moves the elementwise ops that follow `last` (see epilogueOps: a
/// chain, or a small graph such as SiLU's) onto `product`, which holds the
/// same elements as `last` under another shape, so that they fuse into the
/// product's kernel. `view` gives the shape each operand from outside them
/// takes against the product (a Reshape, a view, makes it when it
/// differs), or none where it cannot (the ops stop before one that reads
/// it). On return `last` is the value that left the original ops and
/// `chain` holds them too (to erase once `last` is replaced); the moved
/// ops' result is returned.
Value moveChain(TypedOpBuilder &b, Value &last, Value product, ViewFn view,
                SmallVectorImpl<Operation *> &chain) {
  auto shape = llvm::cast<ShapedType>(last.getType()).getShape();
  auto productShape = llvm::cast<ShapedType>(product.getType()).getShape();
  SmallVector<Operation *> ops =
      epilogueOps(last, [&](Operation *user, InsideFn inside) {
        if (!user->hasTrait<onnx::OpTrait::Elementwise>() ||
            user->getNumResults() != 1 || onnx::runsInRuntime(user))
          return false;
        auto type =
            llvm::dyn_cast<RankedTensorType>(user->getResult(0).getType());
        if (!type || type.getShape() != shape)
          return false;
        // An absent optional input (onnx.NoValue) stays as it is.
        return llvm::all_of(user->getOperands(), [&](Value operand) {
          auto type = llvm::dyn_cast<RankedTensorType>(operand.getType());
          return inside(operand) || !type || view(type).has_value();
        });
      });
  IRMapping map;
  map.map(last, product);
  for (Operation *op : ops) {
    b.b.setInsertionPoint(op);
    for (Value operand : op->getOperands()) {
      auto type = llvm::dyn_cast<RankedTensorType>(operand.getType());
      if (map.contains(operand) || !type)
        continue;
      SmallVector<int64_t> viewShape = *view(type);
      if (type.getShape() != ArrayRef<int64_t>(viewShape))
        map.map(operand,
                b.make<onnx::ReshapeOp>({operand, b.i64Vector(viewShape)}));
    }
    // A view that cannot be built: the caller sees !b.ok and fails.
    if (!b.ok)
      return product;
    Operation *moved = b.b.clone(*op, map);
    auto type = llvm::cast<RankedTensorType>(op->getResult(0).getType());
    moved->getResult(0).setType(
        RankedTensorType::get(productShape, type.getElementType()));
    map.map(op->getResult(0), moved->getResult(0));
    chain.push_back(op);
  }
  if (ops.empty())
    return product;
  last = ops.back()->getResult(0);
  return map.lookup(last);
}

struct Rewriter {
  onnx::ConvOp conv;
  RankedTensorType x, w, y;
  SmallVector<int64_t> strides, dilations, pads;

  explicit Rewriter(onnx::ConvOp conv)
      : conv(conv), x(llvm::cast<RankedTensorType>(conv.getX().getType())),
        w(llvm::cast<RankedTensorType>(conv.getW().getType())),
        y(llvm::cast<RankedTensorType>(conv.getY().getType())),
        strides(onnx::getI64s(conv.getStrides(), 2, 1)),
        dilations(onnx::getI64s(conv.getDilations(), 2, 1)),
        pads(onnx::getI64s(conv.getPads(), 4, 0)) {}

  /// 2-D, float32, one group, constant weights and bias, resolved windows.
  bool applies() {
    return x.getRank() == 4 && x.getElementType().isF32() &&
           conv.getGroup() == 1 && constantOf(conv.getW()) &&
           (!conv.getB() || constantOf(conv.getB())) && conv.getStrides() &&
           conv.getPads();
  }
  bool pointwise() {
    return w.getDimSize(2) == 1 && w.getDimSize(3) == 1 &&
           llvm::all_of(strides, [](int64_t s) { return s == 1; }) &&
           llvm::all_of(pads, [](int64_t p) { return p == 0; });
  }
  /// Convs that direct kernels vectorize badly and that go through im2col
  /// instead (see kNarrowWidth, kMinColumnChannels). A strided 1x1 conv
  /// becomes one strided Slice.
  bool viaColumns() {
    int64_t columns = x.getDimSize(0) * w.getDimSize(1) * w.getDimSize(2) *
                      w.getDimSize(3) * y.getDimSize(2) * y.getDimSize(3);
    bool strided = llvm::any_of(strides, [](int64_t s) { return s != 1; });
    int64_t width = y.getDimSize(3);
    return columns <= kMaxColumnElements &&
           (width < kNarrowWidth || (w.getDimSize(1) >= kMinColumnChannels &&
                                     (width < kWideWidth || strided)));
  }

  /// [N, C*KH*KW, Ho*Wo]: for each window tap (kh, kw), the input element
  /// each output position reads there (kernel.im2col, one kernel), viewed
  /// flat. Row c*KH*KW + kh*KW + kw matches W viewed as [M, C*KH*KW]. A
  /// strided 1x1 conv without padding reads one strided Slice.
  Value columns(TypedOpBuilder &b) {
    int64_t ho = y.getDimSize(2), wo = y.getDimSize(3);
    int64_t kh = w.getDimSize(2), kw = w.getDimSize(3);
    bool padded = llvm::any_of(pads, [](int64_t p) { return p != 0; });
    Value stacked;
    if (kh == 1 && kw == 1 && !padded) {
      stacked = b.make<onnx::SliceOp>(
          conv.getX(), {b.attr("starts", b.i64s({0, 0})),
                        b.attr("ends", b.i64s({(ho - 1) * strides[0] + 1,
                                               (wo - 1) * strides[1] + 1})),
                        b.attr("axes", b.i64s({2, 3})),
                        b.attr("steps", b.i64s({strides[0], strides[1]}))});
    } else {
      auto type = RankedTensorType::get(
          {x.getDimSize(0), x.getDimSize(1), kh * kw, ho, wo},
          x.getElementType());
      stacked = b.b.create<kernel::Im2colOp>(
          b.loc, type, conv.getX(), b.b.getDenseI64ArrayAttr({kh, kw}),
          b.b.getDenseI64ArrayAttr(strides),
          b.b.getDenseI64ArrayAttr(dilations),
          b.b.getDenseI64ArrayAttr({pads[0], pads[1]}));
    }
    int64_t k = w.getDimSize(1) * kh * kw;
    return b.make<onnx::ReshapeOp>(
        {stacked, b.i64Vector({x.getDimSize(0), k, ho * wo})});
  }

  /// The product W[M, K] x cols[N, K, Ho*Wo] (+ bias as [M, 1]), viewed as
  /// [N, M, Ho, Wo], replacing the conv.
  LogicalResult rewrite() {
    TypedOpBuilder b(conv);
    int64_t n = x.getDimSize(0), m = y.getDimSize(1);
    int64_t hw = y.getDimSize(2) * y.getDimSize(3);
    int64_t k = w.getDimSize(1) * w.getDimSize(2) * w.getDimSize(3);
    Value cols =
        pointwise()
            ? b.make<onnx::ReshapeOp>({conv.getX(), b.i64Vector({n, k, hw})})
            : columns(b);
    Value product = b.make<onnx::MatMulOp>(
        {reshapedConstant(b.b, b.loc, conv.getW(), {m, k}), cols});
    if (conv.getB())
      product = b.make<onnx::AddOp>(
          {product, reshapedConstant(b.b, b.loc, conv.getB(), {m, 1})});
    if (!b.ok)
      return conv.emitOpError("could not be written as a matrix product");
    // The activation, residual Add, ... after the conv follow the product,
    // their operands viewed on [N, M, Ho*Wo].
    Value last = conv.getY();
    SmallVector<Operation *> chain{conv};
    product = moveChain(
        b, last, product, [&](RankedTensorType t) { return viewOnColumns(t); },
        chain);
    Value result =
        b.make<onnx::ReshapeOp>({product, b.i64Vector(y.getShape())});
    if (!b.ok || result.getType() != last.getType())
      return conv.emitOpError("could not be written as a matrix product");
    last.replaceAllUsesWith(result);
    for (Operation *op : llvm::reverse(chain))
      op->erase();
    return success();
  }

  /// The shape of an operand of `type`, broadcast against the conv's
  /// output [N, M, Ho, Wo], against the product [N, M, Ho*Wo]: scalars as
  /// they are, per-channel values as [.., .., 1], full maps as
  /// [.., .., Ho*Wo]; none for any other broadcast (along one spatial axis
  /// only).
  std::optional<SmallVector<int64_t>> viewOnColumns(RankedTensorType type) {
    if (type.getRank() > 4)
      return std::nullopt;
    if (type.getRank() <= 1 && type.getNumElements() == 1)
      return SmallVector<int64_t>(type.getShape());
    SmallVector<int64_t> s(4 - type.getRank(), 1);
    llvm::append_range(s, type.getShape());
    int64_t ho = y.getDimSize(2), wo = y.getDimSize(3);
    if (s[2] == 1 && s[3] == 1)
      return SmallVector<int64_t>{s[0], s[1], 1};
    if (s[2] == ho && s[3] == wo)
      return SmallVector<int64_t>{s[0], s[1], ho * wo};
    return std::nullopt;
  }
};

/// MatMul(A [..., M, K], B [K, N]) with A of rank > 2: the gemm schedule
/// tiles the rows of one matrix, so A is viewed as [prod(...) * M, K]
/// (the rows of every matrix at once). The single-use chain of
/// elementwise ops after it whose other operands have rank <= 1 (a bias,
/// scalars) moves onto the 2-D product, so it still fuses; one Reshape
/// (a view) gives the result its shape back.
LogicalResult flattenRows(onnx::MatMulOp matmul) {
  auto a = llvm::cast<RankedTensorType>(matmul.getA().getType());
  auto result = llvm::cast<RankedTensorType>(matmul.getY().getType());
  TypedOpBuilder b(matmul);
  int64_t k = a.getShape().back(), rows = a.getNumElements() / k;
  Value flat = b.make<onnx::ReshapeOp>({matmul.getA(), b.i64Vector({rows, k})});
  Value product = b.make<onnx::MatMulOp>({flat, matmul.getB()});
  if (!b.ok)
    return matmul.emitOpError("could not be written on 2-D rows");
  Value last = matmul.getY();
  SmallVector<Operation *> chain{matmul};
  product = moveChain(
      b, last, product,
      [](RankedTensorType t) -> std::optional<SmallVector<int64_t>> {
        if (t.getRank() > 1)
          return std::nullopt;
        return SmallVector<int64_t>(t.getShape());
      },
      chain);
  Value back =
      b.make<onnx::ReshapeOp>({product, b.i64Vector(result.getShape())});
  if (!b.ok)
    return matmul.emitOpError("could not be written on 2-D rows");
  last.replaceAllUsesWith(back);
  // The original chain is unused now.
  for (Operation *op : llvm::reverse(chain))
    op->erase();
  return success();
}

/// Gemm with transB and constant float32 B [N, K]: B is transposed at
/// compile time to [K, N], so the kernel's vectors (along N) load
/// contiguous weights instead of gathering a column.
void pretransposeB(onnx::GemmOp gemm) {
  onnx::ConstantOp constant = constantOf(gemm.getB());
  auto type = llvm::cast<RankedTensorType>(gemm.getB().getType());
  std::optional<std::vector<float>> values =
      onnx::getConstantF32s(constant.getResult());
  if (!values)
    return;
  int64_t n = type.getDimSize(0), k = type.getDimSize(1);
  std::vector<float> transposed(n * k);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      transposed[j * n + i] = (*values)[i * k + j];
  OpBuilder b(gemm);
  auto newType = RankedTensorType::get({k, n}, type.getElementType());
  Value weights = b.create<onnx::ConstantOp>(
      constant.getLoc(), newType,
      DenseElementsAttr::get(newType, ArrayRef<float>(transposed)));
  gemm.getBMutable().assign(weights);
  gemm.setTransB(0);
}

struct MatMulFormsPass : impl::MatMulFormsBase<MatMulFormsPass> {
  void runOnOperation() override {
    SmallVector<onnx::ConvOp> convs;
    // Ops whose types are not ranked yet (IR before shape inference) are
    // left as they are.
    auto ranked = [](Operation *op) {
      return llvm::all_of(op->getOperandTypes(),
                          [](Type t) {
                            return llvm::isa<RankedTensorType, NoneType>(t);
                          }) &&
             llvm::all_of(op->getResultTypes(), [](Type t) {
               return llvm::isa<RankedTensorType>(t);
             });
    };
    getOperation().walk([&](onnx::ConvOp conv) {
      if (!ranked(conv))
        return;
      Rewriter r(conv);
      if (r.applies() && (r.pointwise() || r.viaColumns()))
        convs.push_back(conv);
    });
    for (onnx::ConvOp conv : convs)
      if (failed(Rewriter(conv).rewrite()))
        return signalPassFailure();
    SmallVector<onnx::MatMulOp> matmuls;
    getOperation().walk([&](onnx::MatMulOp matmul) {
      if (!ranked(matmul))
        return;
      auto a = llvm::cast<RankedTensorType>(matmul.getA().getType());
      auto b = llvm::cast<RankedTensorType>(matmul.getB().getType());
      if (a.getRank() > 2 && b.getRank() == 2 && a.getElementType().isF32())
        matmuls.push_back(matmul);
    });
    for (onnx::MatMulOp matmul : matmuls)
      if (failed(flattenRows(matmul)))
        return signalPassFailure();
    getOperation().walk([&](onnx::GemmOp gemm) {
      auto type = llvm::dyn_cast<RankedTensorType>(gemm.getB().getType());
      if (type && gemm.getTransB() && type.getElementType().isF32() &&
          constantOf(gemm.getB()))
        pretransposeB(gemm);
    });
  }
};

} // namespace
} // namespace onnxc
