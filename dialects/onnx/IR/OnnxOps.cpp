// Verifiers, folders and shape inference of the onnx ops.
#include "dialects/onnx/IR/OnnxDialect.h"
#include "dialects/onnx/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;

#define GET_OP_CLASSES
#include "dialects/onnx/IR/OnnxOps.cpp.inc"

namespace onnxc::onnx {
namespace {

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// The static shape of `v`, or an error on `op` naming which operand is not
/// yet known.
FailureOr<RankedTensorType> staticType(Operation *op, Value v, StringRef what) {
  auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape())
    return op->emitOpError()
           << "needs a static shape for " << what << ", got " << v.getType();
  return type;
}

/// Sets result `index` to `shape`, refusing to contradict a shape the model
/// declared.
LogicalResult setResultShape(Operation *op, ArrayRef<int64_t> shape,
                             Type elementType, unsigned index = 0) {
  Value result = op->getResult(index);
  auto declared = llvm::dyn_cast<RankedTensorType>(result.getType());
  if (declared && declared.hasStaticShape() && declared.getShape() != shape)
    return op->emitOpError()
           << "inferred shape " << formatShape(shape)
           << " disagrees with the declared type " << declared;
  result.setType(RankedTensorType::get(shape, elementType));
  return success();
}

Shape toShape(ArrayRef<int64_t> a) { return Shape(a.begin(), a.end()); }

ArrayAttr i64Array(Builder &b, ArrayRef<int64_t> values) {
  return b.getI64ArrayAttr(values);
}

/// Shared by Conv and MaxPool: reads the window attributes, resolves
/// auto_pad and writes every attribute back explicitly.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};

FailureOr<Window> normalizeWindow(Operation *op, ArrayRef<int64_t> inSpatial,
                                  ArrayRef<int64_t> kernel,
                                  std::optional<ArrayAttr> strides,
                                  std::optional<ArrayAttr> dilations,
                                  std::optional<ArrayAttr> pads,
                                  StringRef autoPad) {
  size_t n = inSpatial.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = getI64s(strides, n, 1);
  w.dilations = getI64s(dilations, n, 1);
  SmallVector<int64_t> given = getI64s(pads, 2 * n, 0);
  if (w.kernel.size() != n || w.strides.size() != n ||
      w.dilations.size() != n || given.size() != 2 * n)
    return op->emitOpError() << "kernel_shape/strides/dilations/pads do not "
                                "match the "
                             << n << " spatial dims of the input";
  for (size_t i = 0; i < n; ++i)
    if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilations[i] < 1 ||
        given[i] < 0 || given[i + n] < 0)
      return op->emitOpError()
             << "kernel_shape, strides and dilations must be positive and "
                "pads non-negative";
  std::string error;
  std::vector<int64_t> resolved =
      resolveAutoPad(autoPad.str(), toShape(inSpatial), toShape(w.kernel),
                     toShape(w.strides), toShape(w.dilations),
                     std::vector<int64_t>(given.begin(), given.end()), error);
  if (!error.empty())
    return op->emitOpError() << error;
  w.pads.assign(resolved.begin(), resolved.end());

  Builder b(op->getContext());
  op->setAttr("kernel_shape", i64Array(b, w.kernel));
  op->setAttr("strides", i64Array(b, w.strides));
  op->setAttr("dilations", i64Array(b, w.dilations));
  op->setAttr("pads", i64Array(b, w.pads));
  op->setAttr("auto_pad", b.getStringAttr("NOTSET"));
  return w;
}

FailureOr<SmallVector<int64_t>> windowOutput(Operation *op,
                                             ArrayRef<int64_t> inSpatial,
                                             const Window &w, bool ceilMode) {
  size_t n = inSpatial.size();
  SmallVector<int64_t> out;
  for (size_t i = 0; i < n; ++i) {
    int64_t size =
        windowOutputSize(inSpatial[i], w.kernel[i], w.strides[i],
                         w.dilations[i], w.pads[i], w.pads[i + n], ceilMode);
    if (size < 1)
      return op->emitOpError() << "window does not fit spatial dim " << i
                               << " of size " << inSpatial[i];
    out.push_back(size);
  }
  return out;
}

LogicalResult inferSameAsOperand(Operation *op, Value input) {
  auto type = staticType(op, input, "the input");
  if (failed(type))
    return failure();
  return setResultShape(op, type->getShape(), type->getElementType());
}

} // namespace

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ConstantOp::verify() {
  auto type = llvm::dyn_cast<RankedTensorType>(getValue().getType());
  if (!type || !type.hasStaticShape())
    return emitOpError("value must have a static tensor type");
  if (getType() != type)
    return emitOpError() << "result type " << getType()
                         << " differs from the value's type " << type;
  return success();
}

LogicalResult ConstantOp::inferShapes() {
  getResult().setType(llvm::cast<TensorType>(getValue().getType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise and identity
//===----------------------------------------------------------------------===//

LogicalResult IdentityOp::inferShapes() {
  return inferSameAsOperand(*this, getInput());
}

LogicalResult inferElementwise(Operation *op,
                               function_ref<Type(Type)> resultType) {
  std::optional<Shape> shape;
  Type first;
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    if (llvm::isa<NoneType>(operand.getType()))
      continue;
    auto type = staticType(op, operand, "operand " + std::to_string(i));
    if (failed(type))
      return failure();
    if (!first)
      first = type->getElementType();
    Shape s = toShape(type->getShape());
    std::optional<Shape> joined = shape ? broadcastShapes(*shape, s) : s;
    if (!joined)
      return op->emitOpError()
             << "cannot broadcast operand " << i << " of shape "
             << formatShape(s) << " with " << formatShape(*shape);
    shape = joined;
  }
  if (!shape)
    return op->emitOpError("has no tensor operand");
  Type element = resultType(first);
  if (!element)
    return op->emitOpError("has an unknown result element type");
  return setResultShape(op, *shape, element);
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferShapes() {
  auto ta = staticType(*this, getA(), "A");
  auto tb = staticType(*this, getB(), "B");
  if (failed(ta) || failed(tb))
    return failure();
  Shape a = toShape(ta->getShape()), b = toShape(tb->getShape());
  if (a.empty() || b.empty())
    return emitOpError("operands must have rank >= 1");
  bool aVector = a.size() == 1, bVector = b.size() == 1;
  if (aVector)
    a.insert(a.begin(), 1);
  if (bVector)
    b.push_back(1);
  int64_t m = a[a.size() - 2], k = a.back();
  int64_t kb = b[b.size() - 2], n = b.back();
  if (k != kb)
    return emitOpError() << "inner dims differ: " << formatShape(ta->getShape())
                         << " x " << formatShape(tb->getShape());
  auto batch = broadcastShapes(Shape(a.begin(), a.end() - 2),
                               Shape(b.begin(), b.end() - 2));
  if (!batch)
    return emitOpError("batch dims do not broadcast");
  Shape out = *batch;
  if (!aVector)
    out.push_back(m);
  if (!bVector)
    out.push_back(n);
  return setResultShape(*this, out, ta->getElementType());
}

LogicalResult GemmOp::inferShapes() {
  auto ta = staticType(*this, getA(), "A");
  auto tb = staticType(*this, getB(), "B");
  if (failed(ta) || failed(tb))
    return failure();
  if (ta->getRank() != 2 || tb->getRank() != 2)
    return emitOpError("A and B must be 2-D");
  int64_t m = getTransA() ? ta->getDimSize(1) : ta->getDimSize(0);
  int64_t k = getTransA() ? ta->getDimSize(0) : ta->getDimSize(1);
  int64_t kb = getTransB() ? tb->getDimSize(1) : tb->getDimSize(0);
  int64_t n = getTransB() ? tb->getDimSize(0) : tb->getDimSize(1);
  if (k != kb)
    return emitOpError() << "inner dims differ (" << k << " vs " << kb << ")";
  if (Value c = getC()) {
    auto tc = staticType(*this, c, "C");
    if (failed(tc))
      return failure();
    auto shape = broadcastShapes(toShape(tc->getShape()), {m, n});
    if (!shape || *shape != Shape{m, n})
      return emitOpError() << "C of shape " << formatShape(tc->getShape())
                           << " does not broadcast to [" << m << ", " << n
                           << "]";
  }
  return setResultShape(*this, {m, n}, ta->getElementType());
}

//===----------------------------------------------------------------------===//
// Conv and pooling
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferShapes() {
  auto tx = staticType(*this, getX(), "X");
  auto tw = staticType(*this, getW(), "W");
  if (failed(tx) || failed(tw))
    return failure();
  if (tx->getRank() < 3 || tw->getRank() != tx->getRank())
    return emitOpError() << "X " << formatShape(tx->getShape()) << " and W "
                         << formatShape(tw->getShape())
                         << " must have the same rank >= 3";
  int64_t group = getGroup();
  int64_t c = tx->getDimSize(1), m = tw->getDimSize(0);
  if (group < 1 || c != tw->getDimSize(1) * group || m % group != 0)
    return emitOpError() << "channels do not match: X has " << c << ", W is "
                         << formatShape(tw->getShape()) << ", group " << group;
  if (Value b = getB()) {
    auto tb = staticType(*this, b, "B");
    if (failed(tb))
      return failure();
    if (tb->getRank() != 1 || tb->getDimSize(0) != m)
      return emitOpError() << "B must have shape [" << m << "]";
  }
  ArrayRef<int64_t> inSpatial = tx->getShape().drop_front(2);
  SmallVector<int64_t> kernel = getI64s(getKernelShape(), inSpatial.size(), 0);
  if (!getKernelShape())
    kernel.assign(tw->getShape().begin() + 2, tw->getShape().end());
  if (ArrayRef<int64_t>(kernel) != tw->getShape().drop_front(2))
    return emitOpError("kernel_shape differs from the spatial dims of W");
  auto w = normalizeWindow(*this, inSpatial, kernel, getStrides(),
                           getDilations(), getPads(), getAutoPad());
  if (failed(w))
    return failure();
  auto spatial = windowOutput(*this, inSpatial, *w, /*ceilMode=*/false);
  if (failed(spatial))
    return failure();
  Shape out{tx->getDimSize(0), m};
  out.insert(out.end(), spatial->begin(), spatial->end());
  return setResultShape(*this, out, tx->getElementType());
}

LogicalResult MaxPoolOp::inferShapes() {
  auto tx = staticType(*this, getX(), "X");
  if (failed(tx))
    return failure();
  if (tx->getRank() < 3)
    return emitOpError("X must have rank >= 3");
  if (getStorageOrder() != 0)
    return emitOpError("storage_order = 1 is not supported");
  ArrayRef<int64_t> inSpatial = tx->getShape().drop_front(2);
  SmallVector<int64_t> kernel = getI64s(getKernelShape(), 0, 0);
  auto w = normalizeWindow(*this, inSpatial, kernel, getStrides(),
                           getDilations(), getPads(), getAutoPad());
  if (failed(w))
    return failure();
  auto spatial = windowOutput(*this, inSpatial, *w, getCeilMode() != 0);
  if (failed(spatial))
    return failure();
  Shape out{tx->getDimSize(0), tx->getDimSize(1)};
  out.insert(out.end(), spatial->begin(), spatial->end());
  return setResultShape(*this, out, tx->getElementType());
}

LogicalResult GlobalAveragePoolOp::inferShapes() {
  auto tx = staticType(*this, getX(), "X");
  if (failed(tx))
    return failure();
  if (tx->getRank() < 3)
    return emitOpError("X must have rank >= 3");
  Shape out(tx->getRank(), 1);
  out[0] = tx->getDimSize(0);
  out[1] = tx->getDimSize(1);
  return setResultShape(*this, out, tx->getElementType());
}

LogicalResult SoftmaxOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank(), axis = getAxis();
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  return setResultShape(*this, type->getShape(), type->getElementType());
}

//===----------------------------------------------------------------------===//
// Custom
//===----------------------------------------------------------------------===//

LogicalResult CustomOp::verify() {
  size_t named = getSubgraphs() ? getSubgraphs()->size() : 0;
  if (named != getBodies().size())
    return emitOpError() << "has " << getBodies().size() << " regions but "
                         << named << " subgraph names";
  for (Region &body : getBodies())
    if (!body.hasOneBlock() || body.front().empty() ||
        !isa<YieldOp>(body.front().back()))
      return emitOpError("subgraph regions must be one block ending in "
                         "onnx.Yield");
  return success();
}

LogicalResult CustomOp::inferShapes() {
  return emitOpError() << "'" << getOpType()
                       << "' has no shape inference (not supported yet)";
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank(), axis = getAxis();
  if (axis < -rank || axis > rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= type->getDimSize(i);
  return setResultShape(*this, {outer, inner}, type->getElementType());
}

LogicalResult ReshapeOp::inferShapes() {
  auto type = staticType(*this, getData(), "data");
  if (failed(type))
    return failure();
  std::optional<SmallVector<int64_t>> target = getConstantInts(getShape());
  if (!target)
    return emitOpError("the target shape must be a constant int64 tensor");
  std::string error;
  auto shape =
      resolveReshape(toShape(type->getShape()),
                     std::vector<int64_t>(target->begin(), target->end()),
                     getAllowzero() != 0, error);
  if (!shape)
    return emitOpError() << error;
  return setResultShape(*this, *shape, type->getElementType());
}

} // namespace onnxc::onnx
