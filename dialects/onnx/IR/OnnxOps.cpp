// Verifiers, folders and shape inference of the onnx ops.
#include "dialects/onnx/IR/OnnxDialect.h"
#include "dialects/onnx/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"

#include <cctype>
#include <cmath>
#include <functional>
#include <map>

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

/// The static shape the model declares for `v` (its type before inference)
/// or, when it declares none, for a result of the shape-keeping
/// elementwise ops that use `v` (a Cast, a Sqrt, a Mul by a scalar...),
/// searched breadth-first. A result whose shape depends on input data
/// compiles under this contract; its kernel checks at run time that the
/// data agree.
std::optional<Shape> declaredShape(Value v) {
  // A scalar, or an operand later in the graph whose shape is not inferred
  // yet: taken not to broadcast. A wrong guess cannot pass silently: the
  // op's kernel checks its own result against the declaration at run time,
  // and shape inference checks every declared type downstream.
  auto isScalar = [](Value other) {
    auto type = llvm::dyn_cast<RankedTensorType>(other.getType());
    return !type || type.getRank() == 0;
  };
  // Values taken to have v's shape: v, and the results of elementwise ops
  // whose operands are such values or scalars (CastLike's second operand
  // gives only the type).
  llvm::SetVector<Value> same;
  same.insert(v);
  for (size_t i = 0; i < same.size() && same.size() < 64; ++i) {
    Value value = same[i];
    auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
    if (type && type.hasStaticShape())
      return toShape(type.getShape());
    for (Operation *user : value.getUsers()) {
      if (!user->hasTrait<OpTrait::Elementwise>() || user->getNumResults() != 1)
        continue;
      bool keepsShape = llvm::all_of(user->getOpOperands(), [&](OpOperand &o) {
        return same.contains(o.get()) || isScalar(o.get()) ||
               (isa<CastLikeOp>(user) && o.getOperandNumber() == 1);
      });
      if (keepsShape)
        same.insert(user->getResult(0));
    }
  }
  return std::nullopt;
}

/// Sets the result of an op whose shape-deciding inputs are read at run
/// time to the declared shape. Its kernel checks the inputs against it, so
/// a declared shape without elements (no kernel) is refused.
LogicalResult setDeclaredShape(Operation *op, const Shape &declared,
                               Type elementType, unsigned index = 0) {
  if (numElements(declared) == 0)
    return op->emitOpError("has a declared shape without elements and "
                           "shape-deciding inputs read at run time (not "
                           "supported yet)");
  return setResultShape(op, declared, elementType, index);
}

/// The element type a `dtype` attribute names when it is set, else
/// `fallback`; an unknown code is an error.
FailureOr<Type> dtypeOr(Operation *op, std::optional<int64_t> dtype,
                        Type fallback) {
  if (!dtype)
    return fallback;
  Type element = elementTypeOf(op->getContext(), *dtype);
  if (!element)
    return op->emitOpError() << "has the unknown dtype " << *dtype;
  return element;
}

/// The error for a shape-deciding input known only at run time whose
/// result has no declared static shape.
LogicalResult dataDependentError(Operation *op, StringRef what) {
  return op->emitOpError()
         << what
         << " must be a constant, or the result's shape declared by the "
            "model (shapes that depend on input data are not supported yet)";
}

/// Optional input `i` of `params`; null when absent (left out or
/// onnx.NoValue).
Value optionalOperand(ValueRange params, size_t i) {
  if (params.size() <= i || llvm::isa<NoneType>(params[i].getType()))
    return {};
  return params[i];
}

/// The number of values in a shape-deciding input read at run time (a 1-D
/// tensor or a scalar).
std::optional<int64_t> runtimeLength(Value v) {
  auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() || type.getRank() > 1 ||
      !type.getElementType().isSignlessInteger())
    return std::nullopt;
  return type.getNumElements();
}

/// Candidate axis sets (see removalCandidates) whose removed dims are all 1.
std::vector<std::vector<int64_t>> unitRemovals(const Shape &longer,
                                               const Shape &shorter) {
  std::vector<std::vector<int64_t>> out;
  for (auto &set : removalCandidates(longer, shorter))
    if (llvm::all_of(set, [&](int64_t d) { return longer[d] == 1; }))
      out.push_back(set);
  return out;
}

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

/// MaxPool and AveragePool: [N, C, windowed spatial dims...].
LogicalResult inferPool(Operation *op, Value x, ArrayAttr kernelShape,
                        std::optional<ArrayAttr> strides,
                        std::optional<ArrayAttr> dilations,
                        std::optional<ArrayAttr> pads, StringRef autoPad,
                        int64_t ceilMode) {
  auto tx = staticType(op, x, "X");
  if (failed(tx))
    return failure();
  if (tx->getRank() < 3)
    return op->emitOpError("X must have rank >= 3");
  ArrayRef<int64_t> inSpatial = tx->getShape().drop_front(2);
  SmallVector<int64_t> kernel = getI64s(kernelShape, 0, 0);
  auto w =
      normalizeWindow(op, inSpatial, kernel, strides, dilations, pads, autoPad);
  if (failed(w))
    return failure();
  auto spatial = windowOutput(op, inSpatial, *w, ceilMode != 0);
  if (failed(spatial))
    return failure();
  Shape out{tx->getDimSize(0), tx->getDimSize(1)};
  out.insert(out.end(), spatial->begin(), spatial->end());
  return setResultShape(op, out, tx->getElementType());
}

/// GlobalAveragePool and GlobalMaxPool: [N, C, 1, ...].
LogicalResult inferGlobalPool(Operation *op, Value x) {
  auto tx = staticType(op, x, "X");
  if (failed(tx))
    return failure();
  if (tx->getRank() < 3)
    return op->emitOpError("X must have rank >= 3");
  Shape out(tx->getRank(), 1);
  out[0] = tx->getDimSize(0);
  out[1] = tx->getDimSize(1);
  return setResultShape(op, out, tx->getElementType());
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

/// numpy matmul's result shape for A and B, of element type `element`
/// (A's when null).
static LogicalResult inferMatMul(Operation *op, Value aValue, Value bValue,
                                 Type element = Type()) {
  auto ta = staticType(op, aValue, "A");
  auto tb = staticType(op, bValue, "B");
  if (failed(ta) || failed(tb))
    return failure();
  Shape a = toShape(ta->getShape()), b = toShape(tb->getShape());
  if (a.empty() || b.empty())
    return op->emitOpError("operands must have rank >= 1");
  bool aVector = a.size() == 1, bVector = b.size() == 1;
  if (aVector)
    a.insert(a.begin(), 1);
  if (bVector)
    b.push_back(1);
  int64_t m = a[a.size() - 2], k = a.back();
  int64_t kb = b[b.size() - 2], n = b.back();
  if (k != kb)
    return op->emitOpError()
           << "inner dims differ: " << formatShape(ta->getShape()) << " x "
           << formatShape(tb->getShape());
  auto batch = broadcastShapes(Shape(a.begin(), a.end() - 2),
                               Shape(b.begin(), b.end() - 2));
  if (!batch)
    return op->emitOpError("batch dims do not broadcast");
  Shape out = *batch;
  if (!aVector)
    out.push_back(m);
  if (!bVector)
    out.push_back(n);
  return setResultShape(op, out, element ? element : ta->getElementType());
}

LogicalResult MatMulOp::inferShapes() {
  return inferMatMul(*this, getA(), getB());
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

/// Conv's result shape (and resolved window attributes), for Conv and its
/// integer and quantized forms; the result has element type `element` (X's
/// when null) and B, when given, one value per output channel.
template <typename ConvLike>
static LogicalResult inferConv(ConvLike op, Value bias, Type element) {
  auto tx = staticType(op, op.getX(), "X");
  auto tw = staticType(op, op.getW(), "W");
  if (failed(tx) || failed(tw))
    return failure();
  if (tx->getRank() < 3 || tw->getRank() != tx->getRank())
    return op.emitOpError()
           << "X " << formatShape(tx->getShape()) << " and W "
           << formatShape(tw->getShape()) << " must have the same rank >= 3";
  int64_t group = op.getGroup();
  int64_t c = tx->getDimSize(1), m = tw->getDimSize(0);
  if (group < 1 || c != tw->getDimSize(1) * group || m % group != 0)
    return op.emitOpError()
           << "channels do not match: X has " << c << ", W is "
           << formatShape(tw->getShape()) << ", group " << group;
  if (Value b = bias) {
    auto tb = staticType(op, b, "B");
    if (failed(tb))
      return failure();
    if (tb->getRank() != 1 || tb->getDimSize(0) != m)
      return op.emitOpError() << "B must have shape [" << m << "]";
  }
  ArrayRef<int64_t> inSpatial = tx->getShape().drop_front(2);
  SmallVector<int64_t> kernel =
      getI64s(op.getKernelShape(), inSpatial.size(), 0);
  if (!op.getKernelShape())
    kernel.assign(tw->getShape().begin() + 2, tw->getShape().end());
  if (ArrayRef<int64_t>(kernel) != tw->getShape().drop_front(2))
    return op.emitOpError("kernel_shape differs from the spatial dims of W");
  auto w = normalizeWindow(op, inSpatial, kernel, op.getStrides(),
                           op.getDilations(), op.getPads(), op.getAutoPad());
  if (failed(w))
    return failure();
  auto spatial = windowOutput(op, inSpatial, *w, /*ceilMode=*/false);
  if (failed(spatial))
    return failure();
  Shape out{tx->getDimSize(0), m};
  out.insert(out.end(), spatial->begin(), spatial->end());
  return setResultShape(op, out, element ? element : tx->getElementType());
}

LogicalResult ConvOp::inferShapes() { return inferConv(*this, getB(), Type()); }

LogicalResult MaxPoolOp::inferShapes() {
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError() << "has storage_order " << getStorageOrder()
                         << " (0 or 1)";
  if (failed(inferPool(*this, getX(), getKernelShape(), getStrides(),
                       getDilations(), getPads(), getAutoPad(), getCeilMode())))
    return failure();
  // Indices (or, after onnxc-decompose, the only result) are int64.
  auto y = llvm::cast<RankedTensorType>(getY().getType());
  auto i64 = IntegerType::get(getContext(), 64);
  if (getSelectIndices())
    getY().setType(RankedTensorType::get(y.getShape(), i64));
  if (Value indices = getIndices())
    return setResultShape(*this, y.getShape(), i64, 1);
  return success();
}

LogicalResult GlobalAveragePoolOp::inferShapes() {
  return inferGlobalPool(*this, getX());
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
  if (!target) {
    // Read at run time (the kernel checks it) under the declared shape.
    std::optional<Shape> declared = declaredShape(getReshaped());
    std::optional<int64_t> length = runtimeLength(getShape());
    if (!declared || !length)
      return dataDependentError(*this, "the target shape");
    if (int64_t(declared->size()) != *length ||
        numElements(*declared) != type->getNumElements())
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " cannot hold the input "
                           << formatShape(type->getShape());
    return setDeclaredShape(*this, *declared, type->getElementType());
  }
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

//===----------------------------------------------------------------------===//
// Shape queries, CastLike
//===----------------------------------------------------------------------===//

namespace onnxc::onnx {
namespace {

/// Normalizes `axis` of a rank-`rank` tensor into [0, rank + extra), or
/// emits an error naming it.
FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 StringRef what = "axis") {
  if (axis < -rank || axis >= rank)
    return op->emitOpError()
           << what << " " << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

/// Constant int values for a shape-deciding input, or an error saying the
/// input must be a constant.
FailureOr<SmallVector<int64_t>> constantInput(Operation *op, Value v,
                                              StringRef what) {
  if (auto ints = getConstantInts(v))
    return *ints;
  return op->emitOpError()
         << what
         << " must be a constant (shapes that depend on input data are "
            "not supported yet)";
}

/// The [start, end) range of Shape's dims, clamped as ONNX specifies.
std::pair<int64_t, int64_t> shapeRange(ShapeOp op, int64_t rank) {
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::min(std::max<int64_t>(v, 0), rank);
  };
  int64_t start = clamp(op.getStart());
  int64_t end = op.getEnd() ? clamp(*op.getEnd()) : rank;
  return {start, std::max(start, end)};
}

} // namespace

LogicalResult ShapeOp::inferShapes() {
  auto type = staticType(*this, getData(), "data");
  if (failed(type))
    return failure();
  auto [start, end] = shapeRange(*this, type->getRank());
  return setResultShape(*this, {end - start},
                        IntegerType::get(getContext(), 64));
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto type = llvm::dyn_cast<RankedTensorType>(getData().getType());
  auto result = llvm::dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() || !result || !result.hasStaticShape())
    return {};
  auto [start, end] = shapeRange(*this, type.getRank());
  SmallVector<int64_t> dims(type.getShape().begin() + start,
                            type.getShape().begin() + end);
  return DenseElementsAttr::get(result, ArrayRef<int64_t>(dims));
}

LogicalResult OptionalHasElementOp::inferShapes() {
  return setResultShape(*this, {}, IntegerType::get(getContext(), 1));
}

OpFoldResult OptionalHasElementOp::fold(FoldAdaptor) {
  auto result = llvm::dyn_cast<RankedTensorType>(getType());
  if (!result || !result.hasStaticShape())
    return {};
  if (getInput() && isOptionalInput(getInput()))
    return {}; // known when the model runs
  bool present = getInput() && !llvm::isa<NoneType>(getInput().getType());
  return DenseElementsAttr::get(result, present);
}

LogicalResult OptionalGetElementOp::inferShapes() {
  if (llvm::isa<NoneType>(getInput().getType()))
    return emitOpError("reads an empty optional");
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  return setResultShape(*this, type->getShape(), type->getElementType());
}

LogicalResult SizeOp::inferShapes() {
  return setResultShape(*this, {}, IntegerType::get(getContext(), 64));
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto type = llvm::dyn_cast<RankedTensorType>(getData().getType());
  auto result = llvm::dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() || !result)
    return {};
  return DenseElementsAttr::get(result, type.getNumElements());
}

LogicalResult CastLikeOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  auto like = llvm::dyn_cast<ShapedType>(getTargetType().getType());
  if (failed(type) || !like)
    return failure();
  // Only the element type of target_type matters: a scalar zero of that
  // type stands for it, so that kernels do not take the tensor (which may
  // have no elements) as an input.
  Type element = like.getElementType();
  if (!getTargetType().getDefiningOp<ConstantOp>() &&
      (llvm::isa<FloatType>(element) || element.isSignlessInteger() ||
       element.isUnsignedInteger())) {
    OpBuilder b(getOperation());
    auto scalar = RankedTensorType::get({}, element);
    auto zero = llvm::cast<TypedAttr>(b.getZeroAttr(element));
    setOperand(1, b.create<ConstantOp>(getLoc(), scalar,
                                       DenseElementsAttr::get(scalar, zero))
                      .getResult());
  }
  return setResultShape(*this, type->getShape(), element);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult inferReduction(Operation *op) {
  auto type = staticType(op, op->getOperand(0), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> axes;
  bool keepdims = op->getAttrOfType<IntegerAttr>("keepdims").getInt() != 0;
  if (op->getNumOperands() > 1 && !getConstantInts(op->getOperand(1)) &&
      runtimeLength(op->getOperand(1)) != 0) {
    // Axes read at run time, under the declared result shape. With
    // keepdims, every dim that shrinks to 1 is reduced; without, the
    // kernel picks among the axis sets that fit (removalCandidates).
    std::optional<int64_t> k = runtimeLength(op->getOperand(1));
    std::optional<Shape> declared = declaredShape(op->getResult(0));
    if (!k || !declared)
      return dataDependentError(op, "axes");
    Shape in = toShape(type->getShape());
    if (type->getNumElements() == 0 && numElements(*declared) > 0) {
      // Reducing empty sets gives the reduction's value on an empty set.
      // The data become a fill of that value, its zero dims a size no
      // other dim has, so that the axes must still name them.
      int64_t distinct = 1;
      for (int64_t d : in)
        distinct = std::max(distinct, d + 1);
      for (int64_t d : *declared)
        distinct = std::max(distinct, d + 1);
      for (int64_t &d : in)
        if (d == 0)
          d = distinct;
      StringRef name = op->getName().stripDialect();
      double fill = 0;
      if (name == "ReduceProd")
        fill = 1;
      else if (name == "ReduceMean")
        fill = NAN;
      else if (name == "ReduceMax" || name == "ReduceLogSumExp")
        fill = -INFINITY;
      else if (name == "ReduceMin")
        fill = INFINITY;
      Type element = type->getElementType();
      auto filledType = RankedTensorType::get(in, element);
      Attribute value;
      if (auto f = llvm::dyn_cast<FloatType>(element)) {
        value = FloatAttr::get(f, fill);
      } else if (auto i = llvm::dyn_cast<IntegerType>(element)) {
        unsigned bits = i.getWidth();
        bool isUnsigned = i.isUnsigned();
        APInt v(bits, int64_t(fill), !isUnsigned);
        if (std::isinf(fill))
          v = fill < 0 ? (isUnsigned ? APInt::getMinValue(bits)
                                     : APInt::getSignedMinValue(bits))
                       : (isUnsigned ? APInt::getMaxValue(bits)
                                     : APInt::getSignedMaxValue(bits));
        value = IntegerAttr::get(i, v);
      } else {
        return op->emitOpError("reduces an empty tensor of an unsupported "
                               "element type");
      }
      OpBuilder b(op);
      auto c = b.create<ConstantOp>(
          op->getLoc(), filledType,
          DenseElementsAttr::get(filledType, ArrayRef<Attribute>{value}));
      op->setOperand(0, c.getResult());
    }
    bool fits = false;
    if (keepdims && int64_t(declared->size()) == rank && *k > 0) {
      fits = true;
      bool reducesSome = false;
      for (int64_t i = 0; i < rank; ++i) {
        fits &= (*declared)[i] == in[i] || (*declared)[i] == 1;
        reducesSome |= (*declared)[i] != in[i] || in[i] == 1;
      }
      fits &= reducesSome;
    } else if (!keepdims && int64_t(declared->size()) + *k == rank) {
      fits = !removalCandidates(in, *declared).empty();
    }
    if (!fits)
      return op->emitOpError() << "declared shape " << formatShape(*declared)
                               << " cannot come from reducing "
                               << formatShape(in) << " over " << *k << " axes";
    return setDeclaredShape(op, *declared, type->getElementType());
  }
  if (op->getNumOperands() > 1) {
    // A constant, or an input without values.
    axes = getConstantInts(op->getOperand(1)).value_or(SmallVector<int64_t>());
  } else if (auto attr = op->getAttrOfType<ArrayAttr>("axes")) {
    axes = getI64s(attr, 0, 0);
  }
  bool noop = op->getAttrOfType<IntegerAttr>("noop_with_empty_axes") &&
              op->getAttrOfType<IntegerAttr>("noop_with_empty_axes").getInt();
  if (axes.empty() && !noop)
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  for (int64_t &a : axes) {
    auto n = normalizeAxis(op, a, rank, "reduction axis");
    if (failed(n))
      return failure();
    a = *n;
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return op->emitOpError("repeats a reduction axis");
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(axes, i))
      out.push_back(type->getDimSize(i));
    else if (keepdims)
      out.push_back(1);
  }
  // The resolved attribute replaces the axes input.
  Builder b(op->getContext());
  op->setAttr("axes", b.getI64ArrayAttr(axes));
  if (op->getNumOperands() > 1)
    op->eraseOperand(1);
  return setResultShape(op, out, type->getElementType());
}

LogicalResult inferArgReduction(Operation *op) {
  auto type = staticType(op, op->getOperand(0), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  auto axis =
      normalizeAxis(op, op->getAttrOfType<IntegerAttr>("axis").getInt(), rank);
  if (failed(axis))
    return failure();
  Builder b(op->getContext());
  op->setAttr("axis",
              b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), *axis));
  bool keepdims = op->getAttrOfType<IntegerAttr>("keepdims").getInt() != 0;
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    if (i != *axis)
      out.push_back(type->getDimSize(i));
    else if (keepdims)
      out.push_back(1);
  }
  return setResultShape(op, out, b.getI64Type());
}

LogicalResult LogSoftmaxOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (failed(normalizeAxis(*this, getAxis(),
                           std::max<int64_t>(type->getRank(), 1))))
    return failure();
  return setResultShape(*this, type->getShape(), type->getElementType());
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferShapes() {
  auto type = staticType(*this, getData(), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> perm;
  if (getPerm())
    perm = getI64s(getPerm(), 0, 0);
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  for (int64_t i = 0; i < int64_t(sorted.size()); ++i)
    if (sorted[i] != i || int64_t(perm.size()) != rank)
      return emitOpError("perm is not a permutation of the input's axes");
  Shape out;
  for (int64_t p : perm)
    out.push_back(type->getDimSize(p));
  setPermAttr(Builder(getContext()).getI64ArrayAttr(perm));
  return setResultShape(*this, out, type->getElementType());
}

namespace {
/// Axes from the `axes` input (opset 13 on) or attribute, normalized for a
/// tensor of rank `rank`, sorted.
FailureOr<SmallVector<int64_t>> squeezeAxes(Operation *op, Value input,
                                            std::optional<ArrayAttr> attr,
                                            int64_t rank) {
  SmallVector<int64_t> axes;
  if (input) {
    auto given = constantInput(op, input, "axes");
    if (failed(given))
      return failure();
    axes = *given;
  } else if (attr) {
    axes = getI64s(attr, 0, 0);
  }
  for (int64_t &a : axes) {
    auto n = normalizeAxis(op, a, rank);
    if (failed(n))
      return failure();
    a = *n;
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return op->emitOpError("repeats an axis");
  return axes;
}
} // namespace

namespace {
/// Squeeze or Unsqueeze with axes read at run time: the declared result
/// must differ from the input by `k` size-1 dims; the kernel checks which.
/// Returns std::nullopt when the axes are known at compile time.
std::optional<LogicalResult> inferRuntimeUnitAxes(Operation *op, Value axes,
                                                  RankedTensorType type,
                                                  bool inserts) {
  if (!axes || getConstantInts(axes) || runtimeLength(axes) == 0)
    return std::nullopt;
  std::optional<int64_t> k = runtimeLength(axes);
  std::optional<Shape> declared = declaredShape(op->getResult(0));
  if (!k || !declared)
    return dataDependentError(op, "axes");
  Shape in = toShape(type.getShape());
  const Shape &longer = inserts ? *declared : in;
  const Shape &shorter = inserts ? in : *declared;
  if (int64_t(longer.size()) != int64_t(shorter.size()) + *k ||
      unitRemovals(longer, shorter).empty())
    return op->emitOpError() << "declared shape " << formatShape(*declared)
                             << " cannot come from " << formatShape(in)
                             << " with " << *k << " axes";
  return setDeclaredShape(op, *declared, type.getElementType());
}
} // namespace

LogicalResult UnsqueezeOp::inferShapes() {
  auto type = staticType(*this, getData(), "data");
  if (failed(type))
    return failure();
  if (auto r = inferRuntimeUnitAxes(*this, getAxesInput(), *type, true))
    return *r;
  int64_t rank = type->getRank();
  // Axes index the result, whose rank is rank + number of axes.
  int64_t count =
      getAxesInput()
          ? llvm::cast<ShapedType>(getAxesInput().getType()).getNumElements()
          : (getAxes() ? int64_t(getAxes()->size()) : 0);
  auto axes = squeezeAxes(*this, getAxesInput(), getAxes(), rank + count);
  if (failed(axes))
    return failure();
  Shape out;
  for (int64_t i = 0, j = 0; i < rank + int64_t(axes->size()); ++i)
    out.push_back(llvm::is_contained(*axes, i) ? 1 : type->getDimSize(j++));
  setAxesAttr(Builder(getContext()).getI64ArrayAttr(*axes));
  if (getAxesInput())
    getOperation()->eraseOperand(1);
  return setResultShape(*this, out, type->getElementType());
}

LogicalResult SqueezeOp::inferShapes() {
  auto type = staticType(*this, getData(), "data");
  if (failed(type))
    return failure();
  if (auto r = inferRuntimeUnitAxes(*this, getAxesInput(), *type, false))
    return *r;
  int64_t rank = type->getRank();
  auto axes = squeezeAxes(*this, getAxesInput(), getAxes(), rank);
  if (failed(axes))
    return failure();
  if (axes->empty())
    for (int64_t i = 0; i < rank; ++i)
      if (type->getDimSize(i) == 1)
        axes->push_back(i);
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(*axes, i))
      out.push_back(type->getDimSize(i));
    else if (type->getDimSize(i) != 1)
      return emitOpError() << "cannot squeeze axis " << i << " of size "
                           << type->getDimSize(i);
  }
  setAxesAttr(Builder(getContext()).getI64ArrayAttr(*axes));
  if (getAxesInput())
    getOperation()->eraseOperand(1);
  return setResultShape(*this, out, type->getElementType());
}

LogicalResult ConcatOp::inferShapes() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  Shape out;
  Type element;
  int64_t axis = 0;
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    auto type = staticType(*this, v, "input " + std::to_string(i));
    if (failed(type))
      return failure();
    if (i == 0) {
      auto n = normalizeAxis(*this, getAxis(), type->getRank());
      if (failed(n))
        return failure();
      axis = *n;
      out = toShape(type->getShape());
      element = type->getElementType();
      continue;
    }
    if (type->getRank() != int64_t(out.size()))
      return emitOpError("inputs have different ranks");
    for (int64_t d = 0; d < type->getRank(); ++d) {
      if (d == axis)
        out[d] += type->getDimSize(d);
      else if (type->getDimSize(d) != out[d])
        return emitOpError() << "input " << i << " differs in dim " << d;
    }
  }
  setAxis(axis);
  // Inputs without elements add nothing.
  for (int i = getNumOperands() - 1; i >= 0 && getNumOperands() > 1; --i)
    if (llvm::cast<ShapedType>(getOperand(i).getType()).getNumElements() == 0)
      getOperation()->eraseOperand(i);
  return setResultShape(*this, out, element);
}

LogicalResult GatherOp::inferShapes() {
  auto data = staticType(*this, getData(), "data");
  auto indices = staticType(*this, getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  auto axis = normalizeAxis(*this, getAxis(), data->getRank());
  if (failed(axis))
    return failure();
  Shape out;
  for (int64_t i = 0; i < *axis; ++i)
    out.push_back(data->getDimSize(i));
  for (int64_t d : indices->getShape())
    out.push_back(d);
  for (int64_t i = *axis + 1; i < data->getRank(); ++i)
    out.push_back(data->getDimSize(i));
  setAxis(*axis);
  return setResultShape(*this, out, data->getElementType());
}

LogicalResult SliceOp::inferShapes() {
  auto type = staticType(*this, getData(), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  // Parameters read at run time: the declared shape is the contract, the
  // kernel computes the offsets and checks the extents.
  bool runtime = false;
  std::optional<int64_t> length;
  for (Value v : getParams()) {
    if (llvm::isa<NoneType>(v.getType()) || getConstantInts(v))
      continue;
    runtime = true;
    length = runtimeLength(v);
    if (!length)
      break;
  }
  if (runtime) {
    std::optional<Shape> declared = declaredShape(getOutput());
    if (!length || !declared)
      return dataDependentError(*this, "starts, ends, axes and steps");
    for (Value v : getParams())
      if (!llvm::isa<NoneType>(v.getType()) && runtimeLength(v) != length)
        return emitOpError("starts, ends, axes and steps differ in length");
    bool fits = int64_t(declared->size()) == rank && *length <= rank;
    for (int64_t i = 0; fits && i < rank; ++i)
      fits = (*declared)[i] <= type->getDimSize(i);
    if (!fits)
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " cannot be a slice of "
                           << formatShape(type->getShape());
    return setDeclaredShape(*this, *declared, type->getElementType());
  }
  // Opset 10 on: inputs (starts, ends, axes?, steps?); before: attributes.
  auto param =
      [&](unsigned i, std::optional<ArrayAttr> attr,
          StringRef what) -> FailureOr<std::optional<SmallVector<int64_t>>> {
    if (getParams().size() > i) {
      Value v = getParams()[i];
      if (llvm::isa<NoneType>(v.getType()))
        return std::optional<SmallVector<int64_t>>();
      auto ints = constantInput(*this, v, what);
      if (failed(ints))
        return failure();
      return std::optional<SmallVector<int64_t>>(*ints);
    }
    if (getParams().empty() && attr)
      return std::optional<SmallVector<int64_t>>(getI64s(attr, 0, 0));
    return std::optional<SmallVector<int64_t>>();
  };
  auto starts = param(0, getStarts(), "starts");
  auto ends = param(1, getEnds(), "ends");
  auto axes = param(2, getAxes(), "axes");
  auto steps = param(3, getSteps(), "steps");
  if (failed(starts) || failed(ends) || failed(axes) || failed(steps))
    return failure();
  if (!*starts || !*ends || (*starts)->size() != (*ends)->size())
    return emitOpError("needs starts and ends of the same length");
  size_t n = (*starts)->size();
  SmallVector<int64_t> axisList, stepList(n, 1);
  if (*axes)
    axisList = **axes;
  else
    for (size_t i = 0; i < n; ++i)
      axisList.push_back(i);
  if (*steps)
    stepList = **steps;
  if (axisList.size() != n || stepList.size() != n)
    return emitOpError("starts, ends, axes and steps differ in length");
  // Explicit per-axis start, end and step, clamped as ONNX specifies.
  SmallVector<int64_t> allStarts(rank, 0), allEnds(type->getShape()),
      allSteps(rank, 1), cut;
  SmallVector<bool> seen(rank, false);
  Shape out = toShape(type->getShape());
  for (size_t i = 0; i < n; ++i) {
    auto a = normalizeAxis(*this, axisList[i], rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return emitOpError("repeats an axis");
    seen[*a] = true;
    int64_t dim = type->getDimSize(*a), step = stepList[i];
    if (step == 0)
      return emitOpError("has a zero step");
    int64_t start = (*starts)->operator[](i), end = (*ends)->operator[](i);
    // Axes whose range is not the whole dim whatever its size (0 to an
    // open end, step 1), for onnxc-check-batch.
    if (!(start == 0 && step == 1 && end >= INT32_MAX))
      cut.push_back(*a);
    if (start < 0)
      start += dim;
    if (end < 0)
      end += dim;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      out[*a] = std::max<int64_t>(0, (end - start + step - 1) / step);
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      out[*a] = std::max<int64_t>(0, (start - end + (-step) - 1) / (-step));
    }
    allStarts[*a] = start;
    allEnds[*a] = end;
    allSteps[*a] = step;
  }
  Builder b(getContext());
  SmallVector<int64_t> allAxes;
  for (int64_t i = 0; i < rank; ++i)
    allAxes.push_back(i);
  setStartsAttr(b.getI64ArrayAttr(allStarts));
  setEndsAttr(b.getI64ArrayAttr(allEnds));
  setAxesAttr(b.getI64ArrayAttr(allAxes));
  setStepsAttr(b.getI64ArrayAttr(allSteps));
  // Resolved attributes cover every axis; the model's cut stays as first
  // resolved.
  if (!(*this)->hasAttr("onnx.cut_axes"))
    (*this)->setAttr("onnx.cut_axes", b.getI64ArrayAttr(cut));
  getOperation()->eraseOperands(1, getParams().size());
  return setResultShape(*this, out, type->getElementType());
}

} // namespace onnxc::onnx

//===----------------------------------------------------------------------===//
// More data movement, generators and windows
//===----------------------------------------------------------------------===//

namespace onnxc::onnx {

LogicalResult ExpandOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (!getConstantInts(getShape())) {
    std::optional<int64_t> length = runtimeLength(getShape());
    std::optional<Shape> declared = declaredShape(getOutput());
    if (!length || !declared)
      return dataDependentError(*this, "shape");
    // Leading dims the shape input does not reach keep the input's.
    int64_t rank = declared->size(), lead = rank - *length;
    bool kept = true;
    for (int64_t j = 0; j < lead && rank == type->getRank(); ++j)
      kept &= (*declared)[j] == type->getDimSize(j);
    if (rank != std::max(*length, type->getRank()) || !kept ||
        broadcastShapes(toShape(type->getShape()), *declared) != declared)
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " is no broadcast of "
                           << formatShape(type->getShape());
    return setDeclaredShape(*this, *declared, type->getElementType());
  }
  auto shape = constantInput(*this, getShape(), "shape");
  if (failed(shape))
    return failure();
  auto out = broadcastShapes(toShape(type->getShape()),
                             Shape(shape->begin(), shape->end()));
  if (!out)
    return emitOpError() << "cannot broadcast " << formatShape(type->getShape())
                         << " to " << formatShape(*shape);
  return setResultShape(*this, *out, type->getElementType());
}

LogicalResult TileOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (!getConstantInts(getRepeats())) {
    std::optional<int64_t> length = runtimeLength(getRepeats());
    std::optional<Shape> declared = declaredShape(getOutput());
    if (!length || !declared)
      return dataDependentError(*this, "repeats");
    bool fits = *length == type->getRank() &&
                int64_t(declared->size()) == type->getRank();
    for (int64_t i = 0; fits && i < type->getRank(); ++i)
      fits =
          type->getDimSize(i) > 0 && (*declared)[i] % type->getDimSize(i) == 0;
    if (!fits)
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " is no tiling of "
                           << formatShape(type->getShape());
    return setDeclaredShape(*this, *declared, type->getElementType());
  }
  auto repeats = constantInput(*this, getRepeats(), "repeats");
  if (failed(repeats))
    return failure();
  if (int64_t(repeats->size()) != type->getRank())
    return emitOpError("needs one repeat count per axis");
  Shape out;
  for (int64_t i = 0; i < type->getRank(); ++i) {
    if ((*repeats)[i] < 0)
      return emitOpError("has a negative repeat count");
    out.push_back(type->getDimSize(i) * (*repeats)[i]);
  }
  return setResultShape(*this, out, type->getElementType());
}

namespace {
/// ConstantOfShape's fill value: `value` or a float32 zero.
DenseElementsAttr fillValue(ConstantOfShapeOp op) {
  if (auto v = op.getValueAttr())
    if (auto dense = llvm::dyn_cast<DenseElementsAttr>(v);
        dense && dense.getNumElements() == 1)
      return dense;
  return DenseElementsAttr::get(
      RankedTensorType::get({1}, Float32Type::get(op.getContext())), 0.0f);
}
} // namespace

LogicalResult ConstantOfShapeOp::inferShapes() {
  if (!getConstantInts(getInput())) {
    std::optional<int64_t> length = runtimeLength(getInput());
    std::optional<Shape> declared = declaredShape(getOutput());
    if (!length || !declared)
      return dataDependentError(*this, "the shape");
    if (int64_t(declared->size()) != *length)
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " does not have " << *length << " dims";
    return setDeclaredShape(*this, *declared,
                            fillValue(*this).getElementType());
  }
  auto shape = constantInput(*this, getInput(), "the shape");
  if (failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return emitOpError("has a negative dim");
  return setResultShape(*this, *shape, fillValue(*this).getElementType());
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  // A shape read at run time is checked by a kernel (the declared shape
  // alone does not make the value known).
  auto type = llvm::dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() || !getConstantInts(getInput()))
    return {};
  DenseElementsAttr fill = fillValue(*this);
  if (fill.getElementType() != type.getElementType())
    return {};
  return DenseElementsAttr::get(type, fill.getValues<Attribute>()[0]);
}

namespace {
/// Range's (start, limit, delta) as doubles and its element count, when
/// all three are constant scalars.
std::optional<std::tuple<double, double, double, int64_t>>
rangeParams(RangeOp op) {
  double v[3];
  Value operands[3] = {op.getStart(), op.getLimit(), op.getDelta()};
  for (int i = 0; i < 3; ++i) {
    auto c = operands[i].getDefiningOp<ConstantOp>();
    auto dense = c ? llvm::dyn_cast<DenseElementsAttr>(c.getValue()) : nullptr;
    if (!dense || dense.getNumElements() != 1)
      return std::nullopt;
    Type t = dense.getElementType();
    if (llvm::isa<FloatType>(t))
      v[i] = (*dense.getValues<APFloat>().begin()).convertToDouble();
    else if (t.isSignlessInteger())
      v[i] = double((*dense.getValues<APInt>().begin()).getSExtValue());
    else
      return std::nullopt;
  }
  if (v[2] == 0)
    return std::nullopt;
  int64_t n = std::max<int64_t>(0, int64_t(std::ceil((v[1] - v[0]) / v[2])));
  return std::make_tuple(v[0], v[1], v[2], n);
}
} // namespace

LogicalResult RangeOp::inferShapes() {
  auto params = rangeParams(*this);
  auto type = llvm::cast<ShapedType>(getStart().getType());
  if (!params) {
    // Read at run time under the declared length, which the kernel checks.
    std::optional<Shape> declared = declaredShape(getOutput());
    bool scalars = llvm::all_of(getOperands(), [&](Value v) {
      auto t = llvm::dyn_cast<RankedTensorType>(v.getType());
      return t && t.hasStaticShape() && t.getNumElements() == 1 &&
             t.getElementType() == type.getElementType();
    });
    if (!declared || declared->size() != 1 || !scalars || (*declared)[0] == 0)
      return dataDependentError(
          *this, "start, limit and delta (scalars of one type, delta non-zero, "
                 "a non-empty result)");
    return setDeclaredShape(*this, *declared, type.getElementType());
  }
  return setResultShape(*this, {std::get<3>(*params)}, type.getElementType());
}

OpFoldResult RangeOp::fold(FoldAdaptor) {
  auto params = rangeParams(*this);
  auto type = llvm::dyn_cast<RankedTensorType>(getType());
  if (!params || !type || !type.hasStaticShape())
    return {};
  auto [start, limit, delta, n] = *params;
  Type e = type.getElementType();
  if (auto f = llvm::dyn_cast<FloatType>(e)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < n; ++i) {
      APFloat v(start + double(i) * delta);
      bool lost;
      v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(v);
    }
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  for (int64_t i = 0; i < n; ++i)
    values.push_back(APInt(e.getIntOrFloatBitWidth(),
                           int64_t(start) + i * int64_t(delta), true));
  return DenseElementsAttr::get(type, values);
}

LogicalResult EyeLikeOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (type->getRank() != 2)
    return emitOpError("needs a 2-D input");
  auto element = dtypeOr(*this, getDtype(), type->getElementType());
  if (failed(element))
    return failure();
  return setResultShape(*this, type->getShape(), *element);
}

LogicalResult TriluOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (type->getRank() < 2)
    return emitOpError("needs an input of rank >= 2");
  return setResultShape(*this, type->getShape(), type->getElementType());
}

LogicalResult GatherElementsOp::inferShapes() {
  auto data = staticType(*this, getData(), "data");
  auto indices = staticType(*this, getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  if (data->getRank() != indices->getRank())
    return emitOpError("data and indices differ in rank");
  auto axis = normalizeAxis(*this, getAxis(), data->getRank());
  if (failed(axis))
    return failure();
  setAxis(*axis);
  return setResultShape(*this, indices->getShape(), data->getElementType());
}

LogicalResult CumSumOp::inferShapes() {
  auto type = staticType(*this, getX(), "x");
  if (failed(type))
    return failure();
  // An axis known only at run time is read by the kernel; the shape does
  // not depend on it.
  std::optional<SmallVector<int64_t>> axisValue =
      getConstantInts(getAxisInput());
  if (!axisValue)
    return setResultShape(*this, type->getShape(), type->getElementType());
  if (axisValue->size() != 1)
    return emitOpError("axis must hold one value");
  auto axis = normalizeAxis(*this, (*axisValue)[0], type->getRank());
  if (failed(axis))
    return failure();
  setAxis(*axis);
  return setResultShape(*this, type->getShape(), type->getElementType());
}

LogicalResult HardmaxOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (failed(normalizeAxis(*this, getAxis(),
                           std::max<int64_t>(type->getRank(), 1))))
    return failure();
  return setResultShape(*this, type->getShape(), type->getElementType());
}

LogicalResult PadOp::inferShapes() {
  auto type = staticType(*this, getData(), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> pads;
  SmallVector<int64_t> axes;
  auto present = [&](unsigned i) {
    return getParams().size() > i &&
           !llvm::isa<NoneType>(getParams()[i].getType());
  };
  if ((present(0) && !getConstantInts(getParams()[0])) ||
      (present(2) && !getConstantInts(getParams()[2]))) {
    // Pads or axes read at run time under the declared shape, which the
    // kernel checks.
    std::optional<Shape> declared = declaredShape(getOutput());
    std::optional<int64_t> padCount =
        present(0) ? runtimeLength(getParams()[0]) : std::nullopt;
    std::optional<int64_t> axisCount =
        present(2) ? runtimeLength(getParams()[2]) : rank;
    if (!declared || !padCount || !axisCount)
      return dataDependentError(*this, "pads and axes");
    if (*padCount != 2 * *axisCount || int64_t(declared->size()) != rank)
      return emitOpError() << "needs two pads per axis and a declared shape "
                              "of rank "
                           << rank;
    StringRef mode = getMode();
    if (mode != "constant" && mode != "edge" && mode != "reflect" &&
        mode != "wrap")
      return emitOpError() << "has the unknown mode '" << mode << "'";
    return setDeclaredShape(*this, *declared, type->getElementType());
  }
  if (present(0)) {
    auto given = constantInput(*this, getParams()[0], "pads");
    if (failed(given))
      return failure();
    pads = *given;
  } else if (getPads()) {
    pads = getI64s(getPads(), 0, 0);
  } else {
    return emitOpError("has no pads");
  }
  if (present(2)) {
    auto given = constantInput(*this, getParams()[2], "axes");
    if (failed(given))
      return failure();
    axes = *given;
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  if (pads.size() != 2 * axes.size())
    return emitOpError("needs two pads per axis");
  SmallVector<int64_t> all(2 * rank, 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = normalizeAxis(*this, axes[i], rank);
    if (failed(a))
      return failure();
    all[*a] = pads[i];
    all[*a + rank] = pads[i + axes.size()];
  }
  StringRef mode = getMode();
  if (mode != "constant" && mode != "edge" && mode != "reflect" &&
      mode != "wrap")
    return emitOpError() << "has the unknown mode '" << mode << "'";
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = type->getDimSize(i) + all[i] + all[i + rank];
    if (d < 0)
      return emitOpError("pads crop more than the input holds");
    if (mode == "reflect" &&
        (all[i] >= type->getDimSize(i) || all[i + rank] >= type->getDimSize(i)))
      return emitOpError("reflect pads must be smaller than the dim");
    out.push_back(d);
  }
  setPadsAttr(Builder(getContext()).getI64ArrayAttr(all));
  // The constant value (input 1) is read at run time; the resolved axes
  // input goes.
  if (getParams().size() > 2)
    getOperation()->eraseOperands(1 + 2, getParams().size() - 2);
  return setResultShape(*this, out, type->getElementType());
}

LogicalResult DepthToSpaceOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  int64_t b = getBlocksize();
  if (type->getRank() != 4 || b < 1 || type->getDimSize(1) % (b * b))
    return emitOpError("needs an [N, C, H, W] input with C divisible by "
                       "blocksize^2");
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError() << "has the unknown mode '" << getMode() << "'";
  return setResultShape(*this,
                        {type->getDimSize(0), type->getDimSize(1) / (b * b),
                         type->getDimSize(2) * b, type->getDimSize(3) * b},
                        type->getElementType());
}

LogicalResult SpaceToDepthOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  int64_t b = getBlocksize();
  if (type->getRank() != 4 || b < 1 || type->getDimSize(2) % b ||
      type->getDimSize(3) % b)
    return emitOpError("needs an [N, C, H, W] input with H and W divisible "
                       "by blocksize");
  return setResultShape(*this,
                        {type->getDimSize(0), type->getDimSize(1) * b * b,
                         type->getDimSize(2) / b, type->getDimSize(3) / b},
                        type->getElementType());
}

LogicalResult AveragePoolOp::inferShapes() {
  return inferPool(*this, getX(), getKernelShape(), getStrides(),
                   getDilations(), getPads(), getAutoPad(), getCeilMode());
}

LogicalResult LpPoolOp::inferShapes() {
  return inferPool(*this, getX(), getKernelShape(), getStrides(),
                   getDilations(), getPads(), getAutoPad(), getCeilMode());
}

LogicalResult GlobalMaxPoolOp::inferShapes() {
  return inferGlobalPool(*this, getX());
}

std::optional<double> DropoutOp::constantParam(unsigned i) {
  if (getParams().size() <= i)
    return std::nullopt;
  auto c = getParams()[i].getDefiningOp<ConstantOp>();
  auto dense = c ? llvm::dyn_cast<DenseElementsAttr>(c.getValue()) : nullptr;
  if (!dense || dense.getNumElements() != 1)
    return std::nullopt;
  if (dense.getElementType().isInteger(1))
    return *dense.getValues<bool>().begin() ? 1.0 : 0.0;
  if (llvm::isa<FloatType>(dense.getElementType()))
    return (*dense.getValues<APFloat>().begin()).convertToDouble();
  return std::nullopt;
}

bool DropoutOp::isInference() {
  bool training = getParams().size() > 1 &&
                  !llvm::isa<NoneType>(getParams()[1].getType()) &&
                  constantParam(1) != 0.0;
  bool ratioGiven =
      !getParams().empty() && !llvm::isa<NoneType>(getParams()[0].getType());
  // Without a ratio input, training drops half.
  return !training || (ratioGiven && constantParam(0) == 0.0);
}

LogicalResult DropoutOp::inferShapes() {
  if (failed(inferSameAsOperand(*this, getData())))
    return failure();
  auto type = llvm::cast<RankedTensorType>(getOutput().getType());
  if (!isInference() && !llvm::isa<FloatType>(type.getElementType()))
    return emitOpError("in training mode needs a float input");
  const char *names[] = {"ratio", "training_mode"};
  for (auto [i, what] : llvm::enumerate(names))
    if (getParams().size() > i &&
        !llvm::isa<NoneType>(getParams()[i].getType())) {
      auto param = staticType(*this, getParams()[i], what);
      if (failed(param))
        return failure();
      bool typed = i == 0 ? llvm::isa<FloatType>(param->getElementType())
                          : param->getElementType().isInteger(1);
      if (param->getNumElements() != 1 || !typed)
        return emitOpError() << what << " must be a "
                             << (i == 0 ? "float" : "bool") << " scalar";
    }
  if (Value mask = getMask())
    mask.setType(RankedTensorType::get(type.getShape(),
                                       IntegerType::get(getContext(), 1)));
  return success();
}

/// The element type a random op draws: `dtype` when set, else `fallback`;
/// it must be a float type.
static FailureOr<Type>
randomElementType(Operation *op, std::optional<int64_t> dtype, Type fallback) {
  FailureOr<Type> element = dtypeOr(op, dtype, fallback);
  if (failed(element))
    return failure();
  if (!*element ||
      !llvm::isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(*element))
    return op->emitOpError()
           << "draws float16, bfloat16, float32 or float64 values, not "
           << *element;
  return element;
}

/// RandomUniform and RandomNormal: the `shape` attribute, `dtype`.
template <typename OpTy> static LogicalResult inferRandom(OpTy op) {
  SmallVector<int64_t> shape;
  for (Attribute dim : op.getShape()) {
    shape.push_back(llvm::cast<IntegerAttr>(dim).getInt());
    if (shape.back() < 0)
      return op.emitOpError("needs a shape of non-negative dims");
  }
  auto element = randomElementType(op, op.getDtype(), Type());
  if (failed(element))
    return failure();
  return setResultShape(op, shape, *element);
}

/// The *Like ops and Bernoulli: the input's shape; `dtype`, else the
/// input's element type.
template <typename OpTy> static LogicalResult inferRandomLike(OpTy op) {
  auto type = staticType(op, op.getInput(), "the input");
  if (failed(type))
    return failure();
  auto element = randomElementType(op, op.getDtype(), type->getElementType());
  if (failed(element))
    return failure();
  return setResultShape(op, type->getShape(), *element);
}

LogicalResult RandomUniformOp::inferShapes() { return inferRandom(*this); }
LogicalResult RandomNormalOp::inferShapes() { return inferRandom(*this); }
LogicalResult RandomUniformLikeOp::inferShapes() {
  return inferRandomLike(*this);
}
LogicalResult RandomNormalLikeOp::inferShapes() {
  return inferRandomLike(*this);
}

LogicalResult BernoulliOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (!llvm::isa<FloatType>(type->getElementType()))
    return emitOpError("needs float probabilities");
  auto element = dtypeOr(*this, getDtype(), type->getElementType());
  if (failed(element))
    return failure();
  return setResultShape(*this, type->getShape(), *element);
}

} // namespace onnxc::onnx

namespace onnxc::onnx {

LogicalResult NegativeLogLikelihoodLossOp::inferShapes() {
  auto input = staticType(*this, getInput(), "input");
  auto target = staticType(*this, getTarget(), "target");
  if (failed(input) || failed(target))
    return failure();
  if (input->getRank() < 2 || target->getRank() != input->getRank() - 1 ||
      target->getDimSize(0) != input->getDimSize(0))
    return emitOpError("needs input [N, C, d...] and target [N, d...]");
  for (int64_t i = 1; i < target->getRank(); ++i)
    if (target->getDimSize(i) != input->getDimSize(i + 1))
      return emitOpError("target and input differ in a d dim");
  StringRef reduction = getReduction();
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return emitOpError() << "has the unknown reduction '" << reduction << "'";
  Shape out;
  if (reduction == "none")
    out = toShape(target->getShape());
  return setResultShape(*this, out, input->getElementType());
}

} // namespace onnxc::onnx

namespace onnxc::onnx {

LogicalResult SplitOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  auto axis = normalizeAxis(*this, getAxis(), type->getRank());
  if (failed(axis))
    return failure();
  int64_t dim = type->getDimSize(*axis);
  int64_t parts = getNumResults();
  SmallVector<int64_t> sizes;
  if (getSplitInput() && !getConstantInts(getSplitInput())) {
    // Sizes read at run time: every part's declared shape is the contract
    // (onnxc-decompose makes each a Slice that checks it).
    if (runtimeLength(getSplitInput()) != parts)
      return dataDependentError(*this, "split");
    int64_t total = 0;
    for (int64_t i = 0; i < parts; ++i) {
      std::optional<Shape> declared = declaredShape(getResult(i));
      Shape expected = toShape(type->getShape());
      if (declared && declared->size() == expected.size())
        expected[*axis] = (*declared)[*axis];
      if (!declared || *declared != expected)
        return dataDependentError(*this, "split");
      total += expected[*axis];
      if (failed(setDeclaredShape(*this, expected, type->getElementType(), i)))
        return failure();
    }
    if (total != dim)
      return emitOpError() << "declared parts do not add up to the " << dim
                           << " elements of axis " << *axis;
    setAxis(*axis);
    return success();
  }
  if (getSplitInput()) {
    sizes = *getConstantInts(getSplitInput());
  } else if (getSplit()) {
    sizes = getI64s(getSplit(), 0, 0);
  } else {
    // Equal parts; with num_outputs (opset 18) the last may be smaller.
    int64_t each = (dim + parts - 1) / parts;
    if (!getNumOutputs() && dim % parts)
      return emitOpError() << "cannot split " << dim << " into " << parts
                           << " equal parts";
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::min(each, std::max<int64_t>(dim - i * each, 0)));
  }
  int64_t total = 0;
  for (int64_t s : sizes)
    total += s;
  if (int64_t(sizes.size()) != parts || total != dim)
    return emitOpError() << "split sizes do not add up to the " << dim
                         << " elements of axis " << *axis << " over " << parts
                         << " outputs";
  setAxis(*axis);
  setSplitAttr(Builder(getContext()).getI64ArrayAttr(sizes));
  if (getSplitInput())
    getOperation()->eraseOperand(1);
  for (int64_t i = 0; i < parts; ++i) {
    Shape out = toShape(type->getShape());
    out[*axis] = sizes[i];
    if (failed(setResultShape(*this, out, type->getElementType(), i)))
      return failure();
  }
  return success();
}

LogicalResult LayerNormalizationOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  auto axis = normalizeAxis(*this, getAxis(), type->getRank());
  if (failed(axis))
    return failure();
  setAxis(*axis);
  Shape stats = toShape(type->getShape());
  for (int64_t i = *axis; i < type->getRank(); ++i)
    stats[i] = 1;
  if (failed(setResultShape(*this, type->getShape(), type->getElementType())) ||
      failed(setResultShape(*this, stats, type->getElementType(), 1)) ||
      failed(setResultShape(*this, stats, type->getElementType(), 2)))
    return failure();
  return success();
}

LogicalResult SoftmaxCrossEntropyLossOp::inferShapes() {
  auto scores = staticType(*this, getScores(), "scores");
  auto labels = staticType(*this, getLabels(), "labels");
  if (failed(scores) || failed(labels))
    return failure();
  if (scores->getRank() < 2 || labels->getRank() != scores->getRank() - 1)
    return emitOpError("needs scores [N, C, d...] and labels [N, d...]");
  Shape loss;
  if (getReduction() == "none")
    loss = toShape(labels->getShape());
  if (failed(setResultShape(*this, loss, scores->getElementType())) ||
      failed(setResultShape(*this, scores->getShape(), scores->getElementType(),
                            1)))
    return failure();
  return success();
}

} // namespace onnxc::onnx

namespace onnxc::onnx {

LogicalResult BatchNormalizationOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  if (type->getRank() < 2)
    return emitOpError("X must have rank >= 2");
  if (getSpatial() && *getSpatial() == 0)
    return emitOpError("spatial = 0 is not supported");
  if (getNumResults() > 1 && getTrainingMode() == 0)
    return emitOpError("has running statistics only in training mode");
  if (getNumResults() > 3)
    return emitOpError("has at most 3 results (Y, running_mean, "
                       "running_var)");
  for (Value v : {getScale(), getB(), getInputMean(), getInputVar()}) {
    auto t = staticType(*this, v, "a parameter");
    if (failed(t))
      return failure();
    if (t->getRank() != 1 || t->getDimSize(0) != type->getDimSize(1))
      return emitOpError("parameters must be [C] vectors");
  }
  for (unsigned i = 1; i < getNumResults(); ++i)
    if (failed(setResultShape(*this, {type->getDimSize(1)},
                              type->getElementType(), i)))
      return failure();
  return setResultShape(*this, type->getShape(), type->getElementType());
}

LogicalResult InstanceNormalizationOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  if (failed(type))
    return failure();
  if (type->getRank() < 3)
    return emitOpError("the input must have rank >= 3");
  return setResultShape(*this, type->getShape(), type->getElementType());
}

LogicalResult MeanVarianceNormalizationOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  return setResultShape(*this, type->getShape(), type->getElementType());
}

} // namespace onnxc::onnx

namespace onnxc::onnx {

LogicalResult ScatterElementsOp::inferShapes() {
  auto data = staticType(*this, getData(), "data");
  auto indices = staticType(*this, getIndices(), "indices");
  auto updates = staticType(*this, getUpdates(), "updates");
  if (failed(data) || failed(indices) || failed(updates))
    return failure();
  if (indices->getShape() != updates->getShape() ||
      indices->getRank() != data->getRank())
    return emitOpError("indices and updates must have data's rank and one "
                       "shape");
  auto axis = normalizeAxis(*this, getAxis(), data->getRank());
  if (failed(axis))
    return failure();
  StringRef r = getReduction();
  if (r != "none" && r != "add" && r != "mul" && r != "max" && r != "min")
    return emitOpError() << "has the unknown reduction '" << r << "'";
  setAxis(*axis);
  return setResultShape(*this, data->getShape(), data->getElementType());
}

LogicalResult ScatterNDOp::inferShapes() {
  auto data = staticType(*this, getData(), "data");
  auto indices = staticType(*this, getIndices(), "indices");
  auto updates = staticType(*this, getUpdates(), "updates");
  if (failed(data) || failed(indices) || failed(updates))
    return failure();
  int64_t q = indices->getRank();
  int64_t k = q ? indices->getDimSize(q - 1) : 0;
  if (q < 1 || k > data->getRank() ||
      updates->getRank() != q - 1 + data->getRank() - k)
    return emitOpError("indices, updates and data do not fit together");
  StringRef r = getReduction();
  if (r != "none" && r != "add" && r != "mul" && r != "max" && r != "min")
    return emitOpError() << "has the unknown reduction '" << r << "'";
  return setResultShape(*this, data->getShape(), data->getElementType());
}

LogicalResult GatherNDOp::inferShapes() {
  auto data = staticType(*this, getData(), "data");
  auto indices = staticType(*this, getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  int64_t b = getBatchDims(), q = indices->getRank(), r = data->getRank();
  int64_t k = q ? indices->getDimSize(q - 1) : 0;
  if (q < 1 || b < 0 || b >= std::min(q, r) || k < 1 || b + k > r)
    return emitOpError("indices, batch_dims and data do not fit together");
  Shape out(indices->getShape().begin(), indices->getShape().end() - 1);
  for (int64_t i = b + k; i < r; ++i)
    out.push_back(data->getDimSize(i));
  return setResultShape(*this, out, data->getElementType());
}

namespace {
/// Blocked quantization (opset 21): the scale has x's shape but for the
/// axis, which holds ceil(dim / block_size) blocks.
LogicalResult checkBlockedScale(Operation *op, RankedTensorType x,
                                RankedTensorType scale, int64_t axis,
                                int64_t block) {
  auto a = normalizeAxis(op, axis, x.getRank());
  if (failed(a))
    return failure();
  bool fits = block > 0 && scale.getRank() == x.getRank();
  for (int64_t i = 0; fits && i < x.getRank(); ++i)
    fits = scale.getDimSize(i) ==
           (i == *a ? (x.getDimSize(i) + block - 1) / block : x.getDimSize(i));
  if (!fits)
    return op->emitOpError()
           << "scale " << formatShape(scale.getShape())
           << " does not hold one value per block of " << block
           << " along axis " << *a << " of " << formatShape(x.getShape());
  return success();
}
} // namespace

LogicalResult DequantizeLinearOp::inferShapes() {
  auto x = staticType(*this, getX(), "x");
  auto scale = staticType(*this, getXScale(), "x_scale");
  if (failed(x) || failed(scale))
    return failure();
  if (getBlockSize() != 0) {
    if (failed(checkBlockedScale(*this, *x, *scale, getAxis(), getBlockSize())))
      return failure();
  } else if (scale->getRank() > 1) {
    return emitOpError("x_scale must be a scalar or a vector");
  }
  // The axis matters only for a per-axis scale.
  if (scale->getNumElements() > 1 &&
      failed(normalizeAxis(*this, getAxis(), x->getRank())))
    return failure();
  return setResultShape(*this, x->getShape(), scale->getElementType());
}

LogicalResult QuantizeLinearOp::inferShapes() {
  auto x = staticType(*this, getX(), "x");
  auto scale = staticType(*this, getYScale(), "y_scale");
  if (failed(x) || failed(scale))
    return failure();
  if (getBlockSize() != 0) {
    if (failed(checkBlockedScale(*this, *x, *scale, getAxis(), getBlockSize())))
      return failure();
  } else if (scale->getRank() > 1) {
    return emitOpError("y_scale must be a scalar or a vector");
  }
  // The axis matters only for a per-axis scale.
  if (scale->getNumElements() > 1 &&
      failed(normalizeAxis(*this, getAxis(), x->getRank())))
    return failure();
  Type element = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (getYZeroPoint())
    element =
        llvm::cast<ShapedType>(getYZeroPoint().getType()).getElementType();
  else if (getOutputDtype())
    element = elementTypeOf(getContext(), getOutputDtype());
  if (!element)
    return emitOpError("has an unknown output type");
  return setResultShape(*this, x->getShape(), element);
}

LogicalResult ConvTransposeOp::inferShapes() {
  auto tx = staticType(*this, getX(), "X");
  auto tw = staticType(*this, getW(), "W");
  if (failed(tx) || failed(tw))
    return failure();
  int64_t rank = tx->getRank(), n = rank - 2, group = getGroup();
  if (rank < 3 || tw->getRank() != rank || group < 1 ||
      tw->getDimSize(0) != tx->getDimSize(1) || tx->getDimSize(1) % group)
    return emitOpError("needs X [N, C, spatial...] and W [C, M/group, "
                       "kernel...]");
  SmallVector<int64_t> kernel(tw->getShape().drop_front(2));
  if (getKernelShape() && getI64s(getKernelShape(), 0, 0) != kernel)
    return emitOpError("kernel_shape disagrees with W");
  SmallVector<int64_t> strides = getI64s(getStrides(), n, 1);
  SmallVector<int64_t> dilations = getI64s(getDilations(), n, 1);
  SmallVector<int64_t> outPad = getI64s(getOutputPadding(), n, 0);
  SmallVector<int64_t> pads = getI64s(getPads(), 2 * n, 0);
  if (strides.size() != size_t(n) || dilations.size() != size_t(n) ||
      outPad.size() != size_t(n) || pads.size() != size_t(2 * n))
    return emitOpError("strides/dilations/pads do not match the spatial dims");
  StringRef autoPad = getAutoPad();
  std::optional<SmallVector<int64_t>> wanted;
  if (getOutputShape()) {
    wanted = getI64s(getOutputShape(), 0, 0);
    if (wanted->size() == size_t(rank))
      wanted->erase(wanted->begin(), wanted->begin() + 2);
    if (wanted->size() != size_t(n))
      return emitOpError("output_shape does not match the spatial dims");
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    wanted.emplace();
    for (int64_t i = 0; i < n; ++i)
      wanted->push_back(tx->getDimSize(2 + i) * strides[i]);
  } else if (autoPad != "NOTSET" && autoPad != "VALID") {
    return emitOpError() << "has the unknown auto_pad '" << autoPad << "'";
  }
  if (autoPad == "VALID")
    pads.assign(2 * n, 0);
  Shape out{tx->getDimSize(0), tw->getDimSize(1) * group};
  for (int64_t i = 0; i < n; ++i) {
    int64_t full = strides[i] * (tx->getDimSize(2 + i) - 1) + outPad[i] +
                   (kernel[i] - 1) * dilations[i] + 1;
    if (wanted) {
      // ONNX's formula with floor division: a negative total (output_shape
      // beyond the full size) pads the end with zeros.
      int64_t total = full - (*wanted)[i];
      int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? half : total - half;
      pads[i + n] = upper ? total - half : half;
    }
    int64_t size = full - pads[i] - pads[i + n];
    if (size < 1)
      return emitOpError("the output would be empty");
    out.push_back(size);
  }
  Builder b(getContext());
  setKernelShapeAttr(b.getI64ArrayAttr(kernel));
  setStridesAttr(b.getI64ArrayAttr(strides));
  setDilationsAttr(b.getI64ArrayAttr(dilations));
  setPadsAttr(b.getI64ArrayAttr(pads));
  setOutputPaddingAttr(b.getI64ArrayAttr(outPad));
  removeOutputShapeAttr();
  setAutoPad("NOTSET");
  return setResultShape(*this, out, tx->getElementType());
}

namespace {
/// The values of a constant floating-point tensor.
std::optional<SmallVector<double>> getConstantFloats(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  auto dense = c ? llvm::dyn_cast<DenseElementsAttr>(c.getValue()) : nullptr;
  if (!dense || !llvm::isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  SmallVector<double> out;
  for (const APFloat &f : dense.getValues<APFloat>())
    out.push_back(f.convertToDouble());
  return out;
}
} // namespace

LogicalResult CenterCropPadOp::inferShapes() {
  auto type = staticType(*this, getInputData(), "the input");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> axes;
  if (getAxes()) {
    for (int64_t a : getI64s(*getAxes(), 0, 0)) {
      auto n = normalizeAxis(*this, a, rank);
      if (failed(n))
        return failure();
      axes.push_back(*n);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  setAxesAttr(Builder(getContext()).getI64ArrayAttr(axes));
  if (runtimeLength(getShape()) != int64_t(axes.size()))
    return emitOpError("needs one size per axis");
  Shape out = toShape(type->getShape());
  if (auto sizes = getConstantInts(getShape())) {
    for (size_t i = 0; i < axes.size(); ++i)
      out[axes[i]] = (*sizes)[i];
    return setResultShape(*this, out, type->getElementType());
  }
  std::optional<Shape> declared = declaredShape(getOutputData());
  if (!declared)
    return dataDependentError(*this, "the shape");
  bool fits = int64_t(declared->size()) == rank;
  for (int64_t i = 0; fits && i < rank; ++i)
    fits = llvm::is_contained(axes, i) || (*declared)[i] == out[i];
  if (!fits)
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " does not keep the other dims of "
                         << formatShape(out);
  return setDeclaredShape(*this, *declared, type->getElementType());
}

LogicalResult AffineGridOp::inferShapes() {
  auto theta = staticType(*this, getTheta(), "theta");
  if (failed(theta))
    return failure();
  int64_t spatial = theta->getRank() == 3 ? theta->getDimSize(1) : 0;
  if ((spatial != 2 && spatial != 3) || theta->getDimSize(2) != spatial + 1 ||
      !llvm::isa<FloatType>(theta->getElementType()))
    return emitOpError("needs a float theta of [N, 2, 3] or [N, 3, 4]");
  if (runtimeLength(getSize()) != spatial + 2)
    return emitOpError() << "needs a size of " << spatial + 2 << " values";
  Shape out;
  if (auto size = getConstantInts(getSize())) {
    out.push_back((*size)[0]);
    out.insert(out.end(), size->begin() + 2, size->end());
    out.push_back(spatial);
  } else {
    std::optional<Shape> declared = declaredShape(getGrid());
    if (!declared)
      return dataDependentError(*this, "size");
    out = *declared;
  }
  if (int64_t(out.size()) != spatial + 2 || out[0] != theta->getDimSize(0) ||
      out.back() != spatial)
    return emitOpError() << "result shape " << formatShape(out)
                         << " does not fit theta "
                         << formatShape(theta->getShape());
  return setDeclaredShape(*this, out, theta->getElementType());
}

LogicalResult NonZeroOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  // A constant X is folded by the constant evaluator once the shape is
  // known, so only the count needs the data: else the declared one.
  std::optional<Shape> declared = declaredShape(getY());
  if (auto c = getX().getDefiningOp<ConstantOp>()) {
    auto dense = llvm::dyn_cast<DenseElementsAttr>(c.getValue());
    if (dense && dense.getElementType().isIntOrFloat()) {
      int64_t count = 0;
      for (Attribute v : dense.getValues<Attribute>())
        if (auto f = llvm::dyn_cast<FloatAttr>(v))
          count += !f.getValue().isZero();
        else
          count += !llvm::cast<IntegerAttr>(v).getValue().isZero();
      return setResultShape(*this, {type->getRank(), count},
                            IntegerType::get(getContext(), 64));
    }
  }
  if (!declared)
    return dataDependentError(*this, "X");
  if (declared->size() != 2 || (*declared)[0] != type->getRank() ||
      (*declared)[1] > type->getNumElements())
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " cannot index the non-zeros of "
                         << formatShape(type->getShape());
  return setDeclaredShape(*this, *declared, IntegerType::get(getContext(), 64));
}

LogicalResult ImageDecoderOp::inferShapes() {
  auto type = staticType(*this, getEncodedStream(), "encoded_stream");
  if (failed(type))
    return failure();
  auto u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (type->getRank() != 1 || type->getElementType() != u8)
    return emitOpError() << "needs a 1-D uint8 encoded_stream, not " << *type;
  StringRef format = getPixelFormat();
  if (format != "RGB" && format != "BGR" && format != "Grayscale")
    return emitOpError() << "has the unknown pixel_format '" << format
                         << "' (RGB, BGR or Grayscale)";
  int64_t channels = format == "Grayscale" ? 1 : 3;
  // The image's size is in the stream: the model must declare it.
  std::optional<Shape> declared = declaredShape(getImage());
  if (!declared)
    return emitOpError("needs the model to declare its result's shape: the "
                       "image's size is known only once it is decoded");
  if (declared->size() != 3 || (*declared)[2] != channels)
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " is not [height, width, " << channels
                         << "] for pixel_format " << format;
  return setDeclaredShape(*this, *declared, u8);
}

LogicalResult TfIdfVectorizerOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  if (getPoolStrings() || !getPoolInt64s())
    return emitOpError("with a string pool is not supported yet");
  Type element = type->getElementType();
  if ((type->getRank() != 1 && type->getRank() != 2) ||
      !(element.isInteger(32) || element.isInteger(64)))
    return emitOpError("needs int32 or int64 X of [C] or [B, C]");
  StringRef mode = getMode();
  if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
    return emitOpError() << "has the unknown mode '" << mode << "'";
  SmallVector<int64_t> indexes = getI64s(getNgramIndexes(), 0, 0);
  SmallVector<int64_t> counts = getI64s(getNgramCounts(), 0, 0);
  int64_t poolSize = getPoolInt64s()->size(), entries = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    int64_t end = i + 1 < counts.size() ? counts[i + 1] : poolSize;
    if (counts[i] < 0 || end < counts[i] || end > poolSize)
      return emitOpError("has ngram_counts outside the pool");
    entries += (end - counts[i]) / int64_t(i + 1);
  }
  if (indexes.empty() || int64_t(indexes.size()) < entries ||
      llvm::any_of(indexes, [](int64_t v) { return v < 0; }))
    return emitOpError("needs a non-negative output index per n-gram");
  int64_t size = *llvm::max_element(indexes) + 1;
  if (getWeights() && int64_t(getWeights()->size()) < size)
    return emitOpError("needs a weight per output column");
  Shape out{size};
  if (type->getRank() == 2)
    out.insert(out.begin(), type->getDimSize(0));
  return setResultShape(*this, out, Float32Type::get(getContext()));
}

LogicalResult DetOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (rank < 2 || type->getDimSize(rank - 1) != type->getDimSize(rank - 2) ||
      !llvm::isa<FloatType>(type->getElementType()))
    return emitOpError("needs floating-point square matrices [..., M, M]");
  // The kernel sums over the M! permutations.
  if (type->getDimSize(rank - 1) > 6)
    return emitOpError("supports matrices up to 6 x 6 yet");
  return setResultShape(*this, type->getShape().drop_back(2),
                        type->getElementType());
}

LogicalResult TopKOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  auto axis = normalizeAxis(*this, getAxis(), type->getRank());
  if (failed(axis))
    return failure();
  setAxis(*axis);
  if (runtimeLength(getK()) != 1)
    return emitOpError("needs a single int64 K");
  Shape out = toShape(type->getShape());
  Type indexType = IntegerType::get(getContext(), 64);
  if (auto k = getConstantInts(getK())) {
    if ((*k)[0] < 0 || (*k)[0] > out[*axis])
      return emitOpError() << "K " << (*k)[0] << " is out of range for "
                           << out[*axis] << " elements";
    out[*axis] = (*k)[0];
    if (failed(setResultShape(*this, out, type->getElementType(), 0)))
      return failure();
    return setResultShape(*this, out, indexType, 1);
  }
  // K read at run time: the declared shape of either result.
  std::optional<Shape> declared = declaredShape(getValues());
  if (!declared)
    declared = declaredShape(getIndices());
  if (declared && declared->size() == out.size() &&
      (*declared)[*axis] <= out[*axis])
    out[*axis] = (*declared)[*axis];
  if (!declared || *declared != out)
    return dataDependentError(*this, "K");
  if (failed(setDeclaredShape(*this, out, type->getElementType(), 0)))
    return failure();
  return setDeclaredShape(*this, out, indexType, 1);
}

LogicalResult MaxUnpoolOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  auto indices = staticType(*this, getI(), "I");
  if (failed(type) || failed(indices))
    return failure();
  int64_t rank = type->getRank(), spatial = rank - 2;
  SmallVector<int64_t> kernel = getI64s(getKernelShape(), 0, 0);
  SmallVector<int64_t> strides = getI64s(getStrides(), spatial, 1);
  SmallVector<int64_t> pads = getI64s(getPads(), 2 * spatial, 0);
  if (spatial < 1 || int64_t(kernel.size()) != spatial ||
      int64_t(strides.size()) != spatial ||
      int64_t(pads.size()) != 2 * spatial ||
      indices->getShape() != type->getShape())
    return emitOpError("needs X and I of one shape [N, C, spatial...] and "
                       "window attributes per spatial axis");
  Shape out = toShape(type->getShape());
  for (int64_t i = 0; i < spatial; ++i)
    out[2 + i] =
        (out[2 + i] - 1) * strides[i] - pads[i] - pads[spatial + i] + kernel[i];
  if (Value shape = getOutputShape()) {
    if (runtimeLength(shape) != rank)
      return emitOpError("needs an output_shape of one value per axis");
    if (auto given = getConstantInts(shape))
      out = toShape(*given);
    else if (std::optional<Shape> declared = declaredShape(getOutput()))
      out = *declared;
    else
      return dataDependentError(*this, "output_shape");
    if (int64_t(out.size()) != rank || out[0] != type->getDimSize(0) ||
        out[1] != type->getDimSize(1))
      return emitOpError() << "output shape " << formatShape(out)
                           << " does not keep N and C of "
                           << formatShape(type->getShape());
    return setDeclaredShape(*this, out, type->getElementType());
  }
  return setResultShape(*this, out, type->getElementType());
}

LogicalResult OneHotOp::inferShapes() {
  auto type = staticType(*this, getIndices(), "indices");
  auto values = staticType(*this, getValues(), "values");
  auto depthType = staticType(*this, getDepth(), "depth");
  if (failed(type) || failed(values) || failed(depthType))
    return failure();
  if (values->getNumElements() != 2 || depthType->getNumElements() != 1)
    return emitOpError("needs one depth and two values (off, on)");
  int64_t rank = type->getRank() + 1;
  auto axis = normalizeAxis(*this, getAxis(), rank);
  if (failed(axis))
    return failure();
  Shape out = toShape(type->getShape());
  std::optional<int64_t> depth;
  if (auto ints = getConstantInts(getDepth()))
    depth = (*ints)[0];
  else if (auto floats = getConstantFloats(getDepth()))
    depth = int64_t((*floats)[0]);
  if (depth) {
    if (*depth < 1)
      return emitOpError("needs a positive depth");
    out.insert(out.begin() + *axis, *depth);
    return setResultShape(*this, out, values->getElementType());
  }
  // Read at run time under the declared depth, which the kernel checks.
  std::optional<Shape> declared = declaredShape(getOutput());
  if (!declared)
    return dataDependentError(*this, "depth");
  out.insert(out.begin() + *axis, declared->size() == size_t(rank)
                                      ? (*declared)[*axis]
                                      : int64_t(0));
  if (*declared != out)
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " does not fit indices "
                         << formatShape(type->getShape());
  return setDeclaredShape(*this, *declared, values->getElementType());
}

LogicalResult CompressOp::inferShapes() {
  auto type = staticType(*this, getInput(), "the input");
  auto cond = staticType(*this, getCondition(), "condition");
  if (failed(type) || failed(cond))
    return failure();
  if (cond->getRank() != 1 || !cond->getElementType().isInteger(1))
    return emitOpError("needs a 1-D bool condition");
  Shape out;
  int64_t axis = -1, extent = type->getNumElements();
  if (getAxis()) {
    auto a = normalizeAxis(*this, *getAxis(), type->getRank());
    if (failed(a))
      return failure();
    axis = *a;
    extent = type->getDimSize(axis);
    out = toShape(type->getShape());
    setAxis(axis);
  } else {
    out = {0};
  }
  if (cond->getDimSize(0) > extent)
    return emitOpError() << "has " << cond->getDimSize(0) << " conditions for "
                         << extent << " slices";
  int64_t at = axis < 0 ? 0 : axis;
  if (auto c = getCondition().getDefiningOp<ConstantOp>())
    if (auto dense = llvm::dyn_cast<DenseElementsAttr>(c.getValue())) {
      out[at] = llvm::count(dense.getValues<bool>(), true);
      return setResultShape(*this, out, type->getElementType());
    }
  std::optional<Shape> declared = declaredShape(getOutput());
  if (!declared)
    return dataDependentError(*this, "condition");
  if (declared->size() == out.size())
    out[at] = (*declared)[at];
  if (*declared != out || out[at] > cond->getDimSize(0))
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " cannot come from compressing "
                         << formatShape(type->getShape());
  return setDeclaredShape(*this, *declared, type->getElementType());
}

namespace {
LogicalResult inferWindow(Operation *op, Value size, int64_t dataType) {
  Type element = elementTypeOf(op->getContext(), dataType);
  if (!element || !llvm::isa<FloatType, IntegerType>(element))
    return op->emitOpError()
           << "has the unsupported output_datatype " << dataType;
  auto type = staticType(op, size, "size");
  if (failed(type))
    return failure();
  if (type->getNumElements() != 1)
    return op->emitOpError("needs a scalar size");
  if (auto n = getConstantInts(size)) {
    if ((*n)[0] < 1)
      return op->emitOpError("needs a positive size");
    return setResultShape(op, {(*n)[0]}, element);
  }
  std::optional<Shape> declared = declaredShape(op->getResult(0));
  if (!declared || declared->size() != 1)
    return dataDependentError(op, "size");
  return setDeclaredShape(op, *declared, element);
}
} // namespace

LogicalResult HannWindowOp::inferShapes() {
  return inferWindow(*this, getSize(), getOutputDatatype());
}
LogicalResult HammingWindowOp::inferShapes() {
  return inferWindow(*this, getSize(), getOutputDatatype());
}
LogicalResult BlackmanWindowOp::inferShapes() {
  return inferWindow(*this, getSize(), getOutputDatatype());
}

LogicalResult ResizeOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (getParams().size() < 2)
    return emitOpError("of opset 10 (scales as the second input) is not "
                       "supported yet");
  if (getAntialias() && getMode() == "nearest")
    return emitOpError("with antialias needs mode linear or cubic");
  StringRef mode = getMode(), coords = getCoordinateTransformationMode(),
            nearest = getNearestMode(), policy = getKeepAspectRatioPolicy();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError() << "has the unknown mode '" << mode << "'";
  if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                           "pytorch_half_pixel", "align_corners", "asymmetric",
                           "tf_crop_and_resize", "tf_half_pixel_for_nn"},
                          coords))
    return emitOpError() << "has the unknown coordinate_transformation_mode '"
                         << coords << "'";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          nearest))
    return emitOpError() << "has the unknown nearest_mode '" << nearest << "'";
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return emitOpError() << "has the unknown keep_aspect_ratio_policy '"
                         << policy << "'";
  SmallVector<int64_t> axes;
  if (getAxes()) {
    for (int64_t a : getI64s(*getAxes(), 0, 0)) {
      auto n = normalizeAxis(*this, a, rank);
      if (failed(n))
        return failure();
      axes.push_back(*n);
    }
    setAxesAttr(Builder(getContext()).getI64ArrayAttr(axes));
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  // scales (maybe an empty tensor standing for none) or sizes, one value per
  // axis.
  auto given = [&](unsigned i) -> Value {
    Value v = optionalOperand(getParams(), i);
    auto t = v ? llvm::dyn_cast<RankedTensorType>(v.getType()) : nullptr;
    return t && t.hasStaticShape() && t.getNumElements() == 0 ? Value() : v;
  };
  Value scales = given(1), sizes = given(2);
  // Inputs without values (an empty roi or scales) become absent ones:
  // kernels take no empty tensors.
  for (unsigned i = 0; i < getParams().size(); ++i)
    if (auto t = llvm::dyn_cast<RankedTensorType>(getParams()[i].getType());
        t && t.hasStaticShape() && t.getNumElements() == 0) {
      OpBuilder b(getOperation());
      getOperation()->setOperand(
          1 + i, b.create<NoValueOp>(getLoc(), b.getNoneType()).getResult());
    }
  if (!scales == !sizes)
    return emitOpError("needs exactly one of scales and sizes");
  Value decider = scales ? scales : sizes;
  auto length = llvm::dyn_cast<RankedTensorType>(decider.getType());
  if (!length || !length.hasStaticShape() || length.getRank() != 1 ||
      length.getNumElements() != int64_t(axes.size()))
    return emitOpError("needs one scale or size per resized axis");
  Shape out = toShape(type->getShape());
  if (auto c = scales ? getConstantFloats(scales) : std::nullopt) {
    for (size_t i = 0; i < axes.size(); ++i) {
      if ((*c)[i] <= 0)
        return emitOpError("has a scale that is not positive");
      out[axes[i]] = int64_t(double(out[axes[i]]) * (*c)[i]);
    }
  } else if (auto c = sizes ? getConstantInts(sizes) : std::nullopt) {
    double scale = policy == "not_larger" ? INFINITY : 0;
    for (size_t i = 0; i < axes.size(); ++i) {
      double r = double((*c)[i]) / double(out[axes[i]]);
      scale = policy == "not_larger" ? std::min(scale, r) : std::max(scale, r);
    }
    for (size_t i = 0; i < axes.size(); ++i)
      out[axes[i]] = policy == "stretch"
                         ? (*c)[i]
                         : int64_t(scale * double(out[axes[i]]) + 0.5);
  } else {
    // Read at run time: the declared shape, which the kernel checks.
    std::optional<Shape> declared = declaredShape(getY());
    if (!declared)
      return dataDependentError(*this, scales ? "scales" : "sizes");
    bool fits = int64_t(declared->size()) == rank;
    for (int64_t i = 0; fits && i < rank; ++i)
      fits = llvm::is_contained(axes, i) || (*declared)[i] == out[i];
    if (!fits)
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " is no resize of " << formatShape(out);
    if (failed(checkAntialiasTaps(*declared)))
      return failure();
    return setDeclaredShape(*this, *declared, type->getElementType());
  }
  if (failed(checkAntialiasTaps(out)))
    return failure();
  return setResultShape(*this, out, type->getElementType());
}

/// Antialiased downsampling reads support / scale taps on each side: the
/// kernel unrolls them, so strong reductions are refused.
LogicalResult ResizeOp::checkAntialiasTaps(ArrayRef<int64_t> out) {
  if (!getAntialias())
    return success();
  auto in = llvm::cast<RankedTensorType>(getX().getType()).getShape();
  double support = getMode() == "linear" ? 1 : 2;
  for (size_t a = 0; a < in.size(); ++a) {
    double least = std::min(1.0, (double(out[a]) - 0.5) / double(in[a]));
    if (least <= 0 || 2 * support * (1 / least + 1) > 64)
      return emitOpError() << "with antialias from " << in[a] << " to "
                           << out[a]
                           << " would read too many taps per output (more "
                              "than 64; not supported yet)";
  }
  return success();
}

LogicalResult GridSampleOp::inferShapes() {
  auto x = staticType(*this, getX(), "X");
  auto grid = staticType(*this, getGrid(), "grid");
  if (failed(x) || failed(grid))
    return failure();
  int64_t spatial = x->getRank() - 2;
  if (spatial < 1 || grid->getRank() != spatial + 2 ||
      grid->getDimSize(0) != x->getDimSize(0) ||
      grid->getDimSize(spatial + 1) != spatial)
    return emitOpError("needs X [N, C, d...] and grid [N, o..., rank(d)]");
  StringRef mode = getMode(), padding = getPaddingMode();
  if (mode == "bilinear")
    setMode("linear");
  else if (mode == "bicubic")
    setMode("cubic");
  else if (mode != "linear" && mode != "nearest" && mode != "cubic")
    return emitOpError() << "has unknown mode '" << mode << "'";
  if (padding != "zeros" && padding != "border" && padding != "reflection")
    return emitOpError() << "has unknown padding_mode '" << padding << "'";
  SmallVector<int64_t> shape{x->getDimSize(0), x->getDimSize(1)};
  for (int64_t i = 1; i <= spatial; ++i)
    shape.push_back(grid->getDimSize(i));
  return setResultShape(*this, shape, x->getElementType());
}

/// Result types of RNN (1 gate), GRU (3) and LSTM (4): Y and the final
/// states, in the op's layout.
static LogicalResult inferRecurrent(Operation *op, int64_t gates) {
  auto tx = staticType(op, op->getOperand(0), "X");
  auto tw = staticType(op, op->getOperand(1), "W");
  auto tr = staticType(op, op->getOperand(2), "R");
  if (failed(tx) || failed(tw) || failed(tr))
    return failure();
  if (tx->getRank() != 3 || tw->getRank() != 3 || tr->getRank() != 3)
    return op->emitOpError("needs X, W and R of rank 3");
  StringRef direction = op->getAttrOfType<StringAttr>("direction").getValue();
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return op->emitOpError() << "has unknown direction '" << direction << "'";
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t hidden = tr->getDimSize(2);
  auto size = op->getAttrOfType<IntegerAttr>("hidden_size");
  if (tw->getDimSize(0) != dirs || tr->getDimSize(0) != dirs ||
      tw->getDimSize(1) != gates * hidden ||
      tr->getDimSize(1) != gates * hidden || (size && size.getInt() != hidden))
    return op->emitOpError() << "needs W [" << dirs << ", " << gates
                             << " * hidden, input] and R [" << dirs << ", "
                             << gates << " * hidden, hidden]";
  bool batchFirst = op->getAttrOfType<IntegerAttr>("layout").getInt() != 0;
  int64_t seq = tx->getDimSize(batchFirst ? 1 : 0);
  int64_t batch = tx->getDimSize(batchFirst ? 0 : 1);
  Type element = tx->getElementType();
  SmallVector<int64_t> y = batchFirst
                               ? SmallVector<int64_t>{batch, seq, dirs, hidden}
                               : SmallVector<int64_t>{seq, dirs, batch, hidden};
  SmallVector<int64_t> state = batchFirst
                                   ? SmallVector<int64_t>{batch, dirs, hidden}
                                   : SmallVector<int64_t>{dirs, batch, hidden};
  if (failed(setResultShape(op, y, element, 0)))
    return failure();
  for (unsigned i = 1; i < op->getNumResults(); ++i)
    if (failed(setResultShape(op, state, element, i)))
      return failure();
  return success();
}

LogicalResult RNNOp::inferShapes() { return inferRecurrent(*this, 1); }
LogicalResult GRUOp::inferShapes() { return inferRecurrent(*this, 3); }
LogicalResult LSTMOp::inferShapes() { return inferRecurrent(*this, 4); }

LogicalResult EinsumOp::inferShapes() {
  SmallVector<RankedTensorType> types;
  for (Value v : getInputs()) {
    auto t = staticType(*this, v, "every input");
    if (failed(t))
      return failure();
    types.push_back(*t);
  }
  std::string eq;
  for (char ch : getEquation())
    if (ch != ' ')
      eq += ch;
  size_t arrow = eq.find("->");
  std::string lhs = eq.substr(0, arrow);
  std::optional<std::string> rhs;
  if (arrow != std::string::npos)
    rhs = eq.substr(arrow + 2);
  SmallVector<std::string> terms;
  llvm::SmallVector<StringRef> parts;
  StringRef(lhs).split(parts, ',');
  for (StringRef p : parts)
    terms.push_back(p.str());
  if (terms.size() != types.size())
    return emitOpError() << "equation has " << terms.size() << " terms for "
                         << types.size() << " inputs";
  // Letters for the ellipsis: unused ones, from the end of the alphabet.
  std::string used = eq, spare;
  for (char ch = 'Z'; ch >= 'A'; --ch)
    if (used.find(ch) == std::string::npos)
      spare += ch;
  int64_t ellipsisRank = 0;
  auto isLetter = [](char ch) { return std::isalpha(ch) != 0; };
  for (auto [term, type] : llvm::zip(terms, types)) {
    size_t dots = term.find("...");
    int64_t letters = llvm::count_if(term, isLetter);
    if (dots != std::string::npos)
      ellipsisRank = std::max(ellipsisRank, type.getRank() - letters);
  }
  if (ellipsisRank > static_cast<int64_t>(spare.size()))
    return emitOpError("has too many ellipsis axes");
  // Every term written out: the ellipsis covers the term's leading axes,
  // its letters aligned to the right like numpy broadcasting.
  std::map<char, int64_t> sizes;
  for (auto [term, type] : llvm::zip(terms, types)) {
    size_t dots = term.find("...");
    int64_t letters = llvm::count_if(term, isLetter);
    std::string full = term;
    if (dots != std::string::npos) {
      int64_t n = type.getRank() - letters;
      if (n < 0)
        return emitOpError() << "term '" << term << "' has more letters than "
                             << "its input's rank " << type.getRank();
      full = term.substr(0, dots) + spare.substr(ellipsisRank - n, n) +
             term.substr(dots + 3);
    }
    if (!llvm::all_of(full, isLetter) ||
        static_cast<int64_t>(full.size()) != type.getRank())
      return emitOpError() << "term '" << term << "' does not fit an input of "
                           << "rank " << type.getRank();
    for (auto [ch, d] : llvm::zip(full, type.getShape())) {
      auto [it, fresh] = sizes.emplace(ch, d);
      if (!fresh && it->second != d) {
        if (it->second == 1)
          it->second = d;
        else if (d != 1 || spare.find(ch) == std::string::npos)
          return emitOpError() << "label '" << ch << "' has sizes "
                               << it->second << " and " << d;
      }
    }
    term = full;
  }
  std::string out;
  if (rhs) {
    size_t dots = rhs->find("...");
    out = dots == std::string::npos
              ? *rhs
              : rhs->substr(0, dots) + spare.substr(0, ellipsisRank) +
                    rhs->substr(dots + 3);
  } else { // implicit: the ellipsis, then letters used once, sorted
    out = spare.substr(0, ellipsisRank);
    std::map<char, int> count;
    for (const std::string &t : terms)
      for (char ch : t)
        ++count[ch];
    for (auto [ch, n] : count)
      if (n == 1 && spare.find(ch) == std::string::npos)
        out += ch;
  }
  SmallVector<int64_t> shape;
  for (char ch : out) {
    if (llvm::count(out, ch) != 1)
      return emitOpError() << "output label '" << ch << "' appears twice";
    auto it = sizes.find(ch);
    if (it == sizes.end())
      return emitOpError() << "output label '" << ch << "' appears in no input";
    shape.push_back(it->second);
  }
  std::string explicitEq = llvm::join(terms, ",") + "->" + out;
  setEquation(explicitEq);
  return setResultShape(*this, shape, types[0].getElementType());
}

LogicalResult MatMulIntegerOp::inferShapes() {
  return inferMatMul(*this, getA(), getB(), IntegerType::get(getContext(), 32));
}

LogicalResult QLinearMatMulOp::inferShapes() {
  Type element =
      getYZeroPoint()
          ? llvm::cast<ShapedType>(getYZeroPoint().getType()).getElementType()
          : llvm::cast<ShapedType>(getA().getType()).getElementType();
  return inferMatMul(*this, getA(), getB(), element);
}

LogicalResult DynamicQuantizeLinearOp::inferShapes() {
  auto x = staticType(*this, getX(), "x");
  if (failed(x))
    return failure();
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (failed(setResultShape(*this, x->getShape(), u8, 0)) ||
      failed(setResultShape(*this, {}, x->getElementType(), 1)))
    return failure();
  return setResultShape(*this, {}, u8, 2);
}

LogicalResult LRNOp::inferShapes() {
  auto x = staticType(*this, getX(), "X");
  if (failed(x))
    return failure();
  if (x->getRank() < 2 || getSize() < 1)
    return emitOpError("needs X [N, C, ...] and a positive size");
  return setResultShape(*this, x->getShape(), x->getElementType());
}

LogicalResult ReverseSequenceOp::inferShapes() {
  auto x = staticType(*this, getInput(), "input");
  auto lens = staticType(*this, getSequenceLens(), "sequence_lens");
  if (failed(x) || failed(lens))
    return failure();
  int64_t b = getBatchAxis(), t = getTimeAxis();
  if (x->getRank() < 2 || (b != 0 && b != 1) || (t != 0 && t != 1) || b == t ||
      lens->getRank() != 1 || lens->getDimSize(0) != x->getDimSize(b))
    return emitOpError("needs batch_axis and time_axis of 0 and 1 and one "
                       "length per batch entry");
  return setResultShape(*this, x->getShape(), x->getElementType());
}

LogicalResult GroupNormalizationOp::inferShapes() {
  auto x = staticType(*this, getX(), "X");
  auto scale = staticType(*this, getScale(), "scale");
  if (failed(x) || failed(scale))
    return failure();
  int64_t groups = getNumGroups();
  if (x->getRank() < 2 || groups < 1 || x->getDimSize(1) % groups != 0)
    return emitOpError("needs X [N, C, ...] with C a multiple of num_groups");
  if (scale->getNumElements() != x->getDimSize(1) &&
      scale->getNumElements() != groups)
    return emitOpError("needs one scale per channel or per group");
  return setResultShape(*this, x->getShape(), x->getElementType());
}

LogicalResult ConvIntegerOp::inferShapes() {
  return inferConv(*this, Value(), IntegerType::get(getContext(), 32));
}

LogicalResult QLinearConvOp::inferShapes() {
  Type element =
      getYZeroPoint()
          ? llvm::cast<ShapedType>(getYZeroPoint().getType()).getElementType()
          : llvm::cast<ShapedType>(getX().getType()).getElementType();
  return inferConv(*this, getB(), element);
}

LogicalResult DeformConvOp::inferShapes() {
  auto x = staticType(*this, getX(), "X");
  auto w = staticType(*this, getW(), "W");
  auto offset = staticType(*this, getOffset(), "offset");
  if (failed(x) || failed(w) || failed(offset))
    return failure();
  if (x->getRank() != 4 || w->getRank() != 4 || offset->getRank() != 4)
    return emitOpError("supports only 2-D inputs yet (X [N, C, H, W])");
  if (!x->getElementType().isF32())
    return emitOpError("supports only float32 yet");
  int64_t group = getGroup(), offsetGroup = getOffsetGroup();
  int64_t c = x->getDimSize(1), m = w->getDimSize(0);
  int64_t kh = w->getDimSize(2), kw = w->getDimSize(3);
  if (group < 1 || offsetGroup < 1 || c != w->getDimSize(1) * group ||
      m % group || c % offsetGroup)
    return emitOpError() << "has X " << formatShape(x->getShape()) << " and W "
                         << formatShape(w->getShape())
                         << " that do not fit group " << group
                         << " and offset_group " << offsetGroup;
  if (getKernelShape() &&
      getI64s(*getKernelShape(), 0, 0) != SmallVector<int64_t>{kh, kw})
    return emitOpError("has a kernel_shape other than W's");
  SmallVector<int64_t> dilations = getI64s(getDilations(), 2, 1);
  SmallVector<int64_t> pads = getI64s(getPads(), 4, 0);
  SmallVector<int64_t> strides = getI64s(getStrides(), 2, 1);
  if (dilations.size() != 2 || pads.size() != 4 || strides.size() != 2)
    return emitOpError("has dilations, pads or strides of the wrong length");
  Shape out = {x->getDimSize(0), m};
  int64_t k[2] = {kh, kw};
  for (int i = 0; i < 2; ++i) {
    int64_t span = x->getDimSize(2 + i) + pads[i] + pads[2 + i] -
                   dilations[i] * (k[i] - 1) - 1;
    out.push_back(span < 0 ? 0 : span / strides[i] + 1);
  }
  Shape expected = {out[0], offsetGroup * 2 * kh * kw, out[2], out[3]};
  if (toShape(offset->getShape()) != expected)
    return emitOpError() << "needs offset " << formatShape(expected) << ", not "
                         << formatShape(offset->getShape());
  for (auto [i, v] : llvm::enumerate(getParams())) {
    if (llvm::isa<NoneType>(v.getType()))
      continue;
    auto type = staticType(*this, v, i ? "mask" : "B");
    if (failed(type))
      return failure();
    Shape want =
        i ? Shape{out[0], offsetGroup * kh * kw, out[2], out[3]} : Shape{m};
    if (toShape(type->getShape()) != want)
      return emitOpError() << "needs " << (i ? "mask " : "B ")
                           << formatShape(want);
  }
  Builder b(getContext());
  setDilationsAttr(b.getI64ArrayAttr(dilations));
  setPadsAttr(b.getI64ArrayAttr(pads));
  setStridesAttr(b.getI64ArrayAttr(strides));
  return setResultShape(*this, out, x->getElementType());
}

LogicalResult STFTOp::inferShapes() {
  auto signal = staticType(*this, getSignal(), "signal");
  auto step = staticType(*this, getFrameStep(), "frame_step");
  if (failed(signal) || failed(step))
    return failure();
  if (signal->getRank() != 3 ||
      (signal->getDimSize(2) != 1 && signal->getDimSize(2) != 2) ||
      !llvm::isa<FloatType>(signal->getElementType()))
    return emitOpError("needs a float signal [batch, length, 1 or 2]");
  Value window = optionalOperand(getParams(), 0),
        frameLength = optionalOperand(getParams(), 1);
  int64_t length = signal->getDimSize(1);
  std::optional<int64_t> frame, hop;
  if (window) {
    auto type = staticType(*this, window, "window");
    if (failed(type))
      return failure();
    if (type->getRank() != 1)
      return emitOpError("needs a 1-D window");
    frame = type->getDimSize(0);
  }
  if (frameLength) {
    auto type = staticType(*this, frameLength, "frame_length");
    if (failed(type))
      return failure();
    if (type->getNumElements() != 1)
      return emitOpError("needs a scalar frame_length");
    if (auto v = getConstantInts(frameLength))
      frame = (*v)[0];
    else if (!window)
      frame.reset();
  } else if (!window) {
    frame = length;
  }
  if (step->getNumElements() != 1)
    return emitOpError("needs a scalar frame_step");
  if (auto v = getConstantInts(getFrameStep()))
    hop = (*v)[0];
  bool onesided = getOnesided() != 0;
  if (frame && hop) {
    if (*frame < 1 || *frame > length || *hop < 1)
      return emitOpError() << "has frames of " << *frame << " every " << *hop
                           << " samples over " << length;
    return setResultShape(*this,
                          {signal->getDimSize(0), (length - *frame) / *hop + 1,
                           onesided ? *frame / 2 + 1 : *frame, 2},
                          signal->getElementType());
  }
  std::optional<Shape> declared = declaredShape(getOutput());
  if (!declared)
    return dataDependentError(*this, "frame_step and frame_length");
  if (declared->size() != 4 || (*declared)[0] != signal->getDimSize(0) ||
      (*declared)[3] != 2 || (*declared)[1] < 1 ||
      (frame && (*declared)[2] != (onesided ? *frame / 2 + 1 : *frame)))
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " does not fit signal "
                         << formatShape(signal->getShape());
  return setDeclaredShape(*this, *declared, signal->getElementType());
}

LogicalResult MelWeightMatrixOp::inferShapes() {
  Type element = elementTypeOf(getContext(), getOutputDatatype());
  if (!element || !llvm::isa<FloatType>(element))
    return emitOpError() << "has the unsupported output_datatype "
                         << getOutputDatatype();
  for (Value v : getOperands()) {
    auto type = staticType(*this, v, "an input");
    if (failed(type))
      return failure();
    if (type->getNumElements() != 1)
      return emitOpError("needs scalar inputs");
  }
  auto bins = getConstantInts(getNumMelBins());
  auto dft = getConstantInts(getDftLength());
  if (bins && dft)
    return setResultShape(*this, {(*dft)[0] / 2 + 1, (*bins)[0]}, element);
  std::optional<Shape> declared = declaredShape(getOutput());
  if (!declared || declared->size() != 2)
    return dataDependentError(*this, "num_mel_bins and dft_length");
  return setDeclaredShape(*this, *declared, element);
}

LogicalResult DFTOp::inferShapes() {
  auto x = staticType(*this, getInput(), "input");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  if (rank < 3 ||
      (x->getDimSize(rank - 1) != 1 && x->getDimSize(rank - 1) != 2))
    return emitOpError("needs input [batch, n..., 1 or 2]");
  auto param = [&](size_t i) { return optionalOperand(getParams(), i); };
  // The axis: attribute, constant input, input read at run time, or -2.
  if (!getAxis()) {
    Value axisInput = param(1);
    std::optional<SmallVector<int64_t>> value =
        axisInput
            ? getConstantInts(axisInput)
            : std::optional<SmallVector<int64_t>>(SmallVector<int64_t>{-2});
    if (value && value->size() == 1)
      setAxis((*value)[0]);
  }
  if (std::optional<int64_t> axis = getAxis()) {
    int64_t a = *axis < 0 ? *axis + rank : *axis;
    if (a < 1 || a > rank - 2)
      return emitOpError() << "axis " << *axis
                           << " is not a signal axis of the input";
    setAxis(a);
  }
  SmallVector<int64_t> shape(x->getShape());
  shape.back() = 2;
  if (Value length = param(0)) {
    auto n = constantInput(*this, length, "dft_length");
    if (failed(n))
      return failure();
    if (n->size() != 1 || (*n)[0] < 1)
      return emitOpError("dft_length must be one positive value");
    if (!getAxis())
      return emitOpError("a dft_length needs a constant axis");
    setLength((*n)[0]);
  }
  if (getAxis()) {
    int64_t n = getLength() ? *getLength() : shape[*getAxis()];
    shape[*getAxis()] = getOnesided() ? n / 2 + 1 : n;
  } else if (getOnesided()) {
    return emitOpError("axis must be a constant with onesided (shapes that "
                       "depend on input data are not supported yet)");
  }
  return setResultShape(*this, shape, x->getElementType());
}

// If, Loop and Scan are expanded by onnxc-infer-shapes (expandControlFlow),
// not inferred as ops.
LogicalResult IfOp::inferShapes() {
  return emitOpError("is expanded by onnxc-infer-shapes, not inferred");
}
LogicalResult LoopOp::inferShapes() {
  return emitOpError("is expanded by onnxc-infer-shapes, not inferred");
}
LogicalResult ScanOp::inferShapes() {
  return emitOpError("is expanded by onnxc-infer-shapes, not inferred");
}
LogicalResult SequenceMapOp::inferShapes() {
  return emitOpError("is expanded by onnxc-infer-shapes, not inferred");
}

LogicalResult Col2ImOp::inferShapes() {
  auto type = staticType(*this, getInput(), "input");
  auto image = staticType(*this, getImageShape(), "image_shape");
  auto block = staticType(*this, getBlockShape(), "block_shape");
  if (failed(type) || failed(image) || failed(block))
    return failure();
  if (type->getRank() != 3 || image->getRank() != 1 || block->getRank() != 1 ||
      image->getDimSize(0) != block->getDimSize(0) || image->getDimSize(0) < 1)
    return emitOpError("needs input [N, C * prod(block_shape), L] and 1-D "
                       "image_shape and block_shape of one length");
  int64_t spatial = image->getDimSize(0);
  Shape out;
  if (auto dims = getConstantInts(getImageShape())) {
    out = {type->getDimSize(0), -1};
    out.insert(out.end(), dims->begin(), dims->end());
  } else {
    std::optional<Shape> declared = declaredShape(getOutput());
    if (!declared)
      return dataDependentError(*this, "image_shape");
    out = *declared;
  }
  if (int64_t(out.size()) != spatial + 2 || out[0] != type->getDimSize(0))
    return emitOpError() << "result shape " << formatShape(out)
                         << " does not fit input "
                         << formatShape(type->getShape());
  Builder b(getContext());
  SmallVector<int64_t> dilations = getI64s(getDilations(), spatial, 1);
  SmallVector<int64_t> pads = getI64s(getPads(), 2 * spatial, 0);
  SmallVector<int64_t> strides = getI64s(getStrides(), spatial, 1);
  if (int64_t(dilations.size()) != spatial ||
      int64_t(pads.size()) != 2 * spatial || int64_t(strides.size()) != spatial)
    return emitOpError("has dilations, pads or strides of the wrong length");
  setDilationsAttr(b.getI64ArrayAttr(dilations));
  setPadsAttr(b.getI64ArrayAttr(pads));
  setStridesAttr(b.getI64ArrayAttr(strides));
  // The channel count: from a constant block_shape, else from the declared
  // result; the block shapes that fit must exist.
  Shape imageDims(out.begin() + 2, out.end());
  Shape padding(pads.begin(), pads.end()),
      stride(strides.begin(), strides.end()),
      dilation(dilations.begin(), dilations.end());
  int64_t columns = type->getDimSize(1);
  std::vector<Shape> candidates;
  if (auto dims = getConstantInts(getBlockShape())) {
    int64_t product = 1;
    for (int64_t d : *dims)
      product *= d;
    if (product <= 0 || columns % product)
      return emitOpError() << "block_shape " << formatShape(*dims)
                           << " does not divide the " << columns
                           << " columns of input";
    if (out[1] < 0)
      out[1] = columns / product;
    candidates = col2imBlockCandidates(product, imageDims, padding, stride,
                                       dilation, type->getDimSize(2));
    if (!llvm::is_contained(candidates, Shape(dims->begin(), dims->end())))
      candidates.clear();
  } else {
    if (out[1] < 0) {
      std::optional<Shape> declared = declaredShape(getOutput());
      if (!declared || declared->size() != out.size())
        return dataDependentError(*this, "block_shape");
      out[1] = (*declared)[1];
    }
    if (out[1] <= 0 || columns % out[1])
      return emitOpError() << "has " << columns << " columns of input for "
                           << out[1] << " channels";
    candidates = col2imBlockCandidates(columns / out[1], imageDims, padding,
                                       stride, dilation, type->getDimSize(2));
  }
  if (candidates.empty())
    return emitOpError() << "has no block shape that gives "
                         << type->getDimSize(2) << " blocks of image "
                         << formatShape(imageDims);
  return setDeclaredShape(*this, out, type->getElementType());
}

LogicalResult UniqueOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  Shape y = {type->getNumElements()};
  int64_t at = 0;
  if (getAxis()) {
    auto a = normalizeAxis(*this, *getAxis(), type->getRank());
    if (failed(a))
      return failure();
    setAxis(*a);
    at = *a;
    y = toShape(type->getShape());
  }
  int64_t n = y[at], width = n ? type->getNumElements() / n : 0;
  // Every pair of slices is compared, element by element.
  if (n > 4096 || n * n * width > (int64_t(1) << 26))
    return emitOpError() << "over " << n << " slices of " << width
                         << " elements is not supported yet (the comparison "
                            "is quadratic; at most 4096 slices and 2^26 "
                            "compared elements)";
  // The distinct count depends on the data: the declared one.
  std::optional<int64_t> count;
  auto agree = [&](Value result, bool isY, StringRef what) -> LogicalResult {
    std::optional<Shape> declared = declaredShape(result);
    if (!declared)
      return success();
    Shape expected = isY ? y : Shape{0};
    int64_t pos = isY ? at : 0;
    if (declared->size() == expected.size())
      expected[pos] = (*declared)[pos];
    int64_t c = expected[pos];
    if (*declared != expected || c > n || (count && *count != c))
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " of " << what
                           << " does not fit the distinct slices of "
                           << formatShape(type->getShape());
    count = c;
    return success();
  };
  if (failed(agree(getY(), true, "Y")) ||
      failed(agree(getIndices(), false, "indices")) ||
      failed(agree(getCounts(), false, "counts")))
    return failure();
  if (!count)
    return emitOpError("finds a number of distinct slices that depends on "
                       "the data: the model must declare the shape of Y, "
                       "indices or counts (shapes that depend on input data "
                       "are not supported yet)");
  Type i64 = IntegerType::get(getContext(), 64);
  y[at] = *count;
  if (failed(setDeclaredShape(*this, y, type->getElementType(), 0)) ||
      failed(setDeclaredShape(*this, {*count}, i64, 1)) ||
      failed(setResultShape(*this, {n}, i64, 2)) ||
      failed(setDeclaredShape(*this, {*count}, i64, 3)))
    return failure();
  return success();
}

LogicalResult NonMaxSuppressionOp::inferShapes() {
  auto boxes = staticType(*this, getBoxes(), "boxes");
  auto scores = staticType(*this, getScores(), "scores");
  if (failed(boxes) || failed(scores))
    return failure();
  if (boxes->getRank() != 3 || boxes->getDimSize(2) != 4 ||
      scores->getRank() != 3 || scores->getDimSize(0) != boxes->getDimSize(0) ||
      scores->getDimSize(2) != boxes->getDimSize(1))
    return emitOpError() << "needs boxes [batch, boxes, 4] and scores "
                            "[batch, classes, boxes], not "
                         << formatShape(boxes->getShape()) << " and "
                         << formatShape(scores->getShape());
  if (!boxes->getElementType().isF32() || !scores->getElementType().isF32())
    return emitOpError("supports only float32 boxes and scores yet");
  if (getParams().size() > 3)
    return emitOpError("has more than five inputs");
  for (auto [i, v] : llvm::enumerate(getParams())) {
    if (llvm::isa<NoneType>(v.getType()))
      continue;
    static const char *names[] = {"max_output_boxes_per_class", "iou_threshold",
                                  "score_threshold"};
    auto type = staticType(*this, v, names[i]);
    if (failed(type))
      return failure();
    Type element = type->getElementType();
    if (type->getNumElements() != 1 || type->getRank() > 1 ||
        (i == 0 ? !element.isInteger(64) : !element.isF32()))
      return emitOpError() << "needs " << names[i] << " as one "
                           << (i == 0 ? "int64" : "float32") << " value";
  }
  if (getCenterPointBox() != 0 && getCenterPointBox() != 1)
    return emitOpError() << "has center_point_box " << getCenterPointBox()
                         << " (0 or 1)";
  // How many boxes survive depends on the data: the declared count.
  std::optional<Shape> declared = declaredShape(getSelectedIndices());
  if (!declared)
    return emitOpError("selects a number of boxes that depends on the data: "
                       "the model must declare the result's shape (shapes "
                       "that depend on input data are not supported yet)");
  int64_t most = scores->getNumElements();
  if (declared->size() != 2 || (*declared)[1] != 3 || (*declared)[0] > most)
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " cannot hold the selected boxes of scores "
                         << formatShape(scores->getShape());
  return setDeclaredShape(*this, *declared, IntegerType::get(getContext(), 64));
}

LogicalResult RoiAlignOp::inferShapes() {
  auto x = staticType(*this, getX(), "X");
  auto rois = staticType(*this, getRois(), "rois");
  if (failed(x) || failed(rois))
    return failure();
  if (x->getRank() != 4 || rois->getRank() != 2 || rois->getDimSize(1) != 4)
    return emitOpError("needs X [N, C, H, W] and rois [num_rois, 4]");
  if (getMode() != "avg" && getMode() != "max")
    return emitOpError() << "has unknown mode '" << getMode() << "'";
  StringRef ctm = getCoordinateTransformationMode();
  if (ctm != "half_pixel" && ctm != "output_half_pixel")
    return emitOpError() << "has unknown coordinate_transformation_mode '"
                         << ctm << "'";
  // With sampling_ratio 0 the number of samples depends on each region's
  // size, read at run time.
  if (getSamplingRatio() < 1)
    return emitOpError("adaptive sampling (sampling_ratio 0) is not "
                       "supported yet");
  return setResultShape(*this,
                        {rois->getDimSize(0), x->getDimSize(1),
                         getOutputHeight(), getOutputWidth()},
                        x->getElementType());
}

/// The static type of string tensor `v`, or an error on `op`.
static FailureOr<RankedTensorType> stringType(Operation *op, Value v) {
  auto type = staticType(op, v, "X");
  if (failed(type))
    return failure();
  if (!llvm::isa<StringType>(type->getElementType()))
    return op->emitOpError() << "needs a string tensor, got " << *type;
  return type;
}

LogicalResult StringNormalizerOp::inferShapes() {
  auto type = stringType(*this, getX());
  if (failed(type))
    return failure();
  ArrayRef<int64_t> shape = type->getShape();
  if (!(shape.size() == 1 || (shape.size() == 2 && shape[0] == 1)))
    return emitOpError() << "needs X of shape [C] or [1, C], got "
                         << formatShape(shape);
  StringRef action = getCaseChangeAction();
  if (action != "NONE" && action != "LOWER" && action != "UPPER")
    return emitOpError() << "has unknown case_change_action '" << action << "'";
  if (!getStopwords() || getStopwords()->empty())
    return setResultShape(*this, shape, type->getElementType());
  // How many strings remain depends on the data: the declared count,
  // between 1 (all removed gives [""]) and C.
  std::optional<Shape> declared = declaredShape(getY());
  if (!declared)
    return dataDependentError(*this, "the stopwords' removal");
  if (declared->size() != shape.size() ||
      (shape.size() == 2 && (*declared)[0] != 1) || declared->back() < 1 ||
      declared->back() > std::max<int64_t>(shape.back(), 1))
    return emitOpError() << "declared shape " << formatShape(*declared)
                         << " cannot come from removing stopwords from "
                         << formatShape(shape);
  return setResultShape(*this, *declared, type->getElementType());
}

LogicalResult StringSplitOp::inferShapes() {
  auto type = stringType(*this, getX());
  if (failed(type))
    return failure();
  if (getMaxsplit() && *getMaxsplit() < 0)
    return emitOpError("needs a maxsplit of 0 or more");
  Shape shape = toShape(type->getShape());
  auto lengths = IntegerType::get(getContext(), 64);
  if (getSelectLengths()) // Z alone: X's shape
    return setResultShape(*this, shape, lengths);
  // The most substrings of one element depends on the data: the declared
  // width, which the kernel checks. An empty X splits into nothing.
  int64_t width = 0;
  if (type->getNumElements() > 0) {
    std::optional<Shape> declared = declaredShape(getY());
    if (!declared)
      return dataDependentError(*this, "the split of X");
    Shape prefix(declared->begin(),
                 declared->end() - (declared->empty() ? 0 : 1));
    if (declared->size() != shape.size() + 1 || prefix != shape ||
        declared->back() < 1)
      return emitOpError() << "declared shape " << formatShape(*declared)
                           << " cannot come from splitting "
                           << formatShape(shape);
    width = declared->back();
  }
  Shape y = shape;
  y.push_back(width);
  if (failed(setResultShape(*this, y, type->getElementType(), 0)))
    return failure();
  return getZ() ? setResultShape(*this, shape, lengths, 1) : success();
}

LogicalResult BinarizerOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  Type e = type->getElementType();
  if (!(llvm::isa<FloatType>(e) ||
        (llvm::isa<IntegerType>(e) && !e.isInteger(1))))
    return emitOpError() << "needs a numeric X, got " << *type;
  return setResultShape(*this, type->getShape(), e);
}

LogicalResult ArrayFeatureExtractorOp::inferShapes() {
  auto x = staticType(*this, getX(), "X");
  auto y = staticType(*this, getY(), "Y");
  if (failed(x) || failed(y))
    return failure();
  if (x->getRank() < 1 || !llvm::isa<IntegerType>(y->getElementType()))
    return emitOpError("needs X of rank 1 or more and integer indices Y");
  Shape out = toShape(x->getShape());
  if (out.size() == 1)
    out.insert(out.begin(), 1);
  out.back() = y->getNumElements();
  return setResultShape(*this, out, x->getElementType());
}

/// One of a LabelEncoder's list-or-tensor attribute groups as a 1-D dense
/// tensor; `count` is how many of them are set.
static DenseElementsAttr
labelTable(MLIRContext *ctx, std::optional<ArrayAttr> floats,
           std::optional<ArrayAttr> ints, std::optional<ArrayAttr> strings,
           std::optional<ElementsAttr> tensor, int &count) {
  count = int(floats.has_value()) + int(ints.has_value()) +
          int(strings.has_value()) + int(tensor.has_value());
  auto vector = [](int64_t n, Type e) { return RankedTensorType::get({n}, e); };
  if (floats) {
    SmallVector<float> v;
    for (Attribute a : *floats)
      v.push_back(llvm::cast<FloatAttr>(a).getValueAsDouble());
    return DenseElementsAttr::get(vector(v.size(), Float32Type::get(ctx)),
                                  ArrayRef<float>(v));
  }
  if (ints) {
    SmallVector<int64_t> v;
    for (Attribute a : *ints)
      v.push_back(llvm::cast<IntegerAttr>(a).getInt());
    return DenseElementsAttr::get(vector(v.size(), IntegerType::get(ctx, 64)),
                                  ArrayRef<int64_t>(v));
  }
  if (strings) {
    SmallVector<StringRef> v;
    for (Attribute a : *strings)
      v.push_back(llvm::cast<StringAttr>(a).getValue());
    return DenseStringElementsAttr::get(vector(v.size(), StringType::get(ctx)),
                                        v);
  }
  if (tensor) {
    auto type = llvm::cast<ShapedType>(tensor->getType());
    auto flat = vector(type.getNumElements(), type.getElementType());
    if (auto dense = llvm::dyn_cast<DenseElementsAttr>(*tensor))
      return dense.reshape(flat);
    bool splat;
    ArrayRef<char> bytes = getConstantBytes(*tensor, splat);
    if (!splat && !bytes.empty())
      return DenseElementsAttr::getFromRawBuffer(flat, bytes);
  }
  return {};
}

LogicalResult LabelEncoderOp::getTable(DenseElementsAttr &keys,
                                       DenseElementsAttr &values,
                                       DenseElementsAttr &dflt) {
  MLIRContext *ctx = getContext();
  int keyCount, valueCount;
  keys = labelTable(ctx, getKeysFloats(), getKeysInt64s(), getKeysStrings(),
                    getKeysTensor(), keyCount);
  values = labelTable(ctx, getValuesFloats(), getValuesInt64s(),
                      getValuesStrings(), getValuesTensor(), valueCount);
  if (keyCount != 1 || valueCount != 1 || !keys || !values)
    return emitOpError("needs exactly one keys_* and one values_* attribute");
  if (keys.getNumElements() != values.getNumElements())
    return emitOpError() << "has " << keys.getNumElements() << " keys and "
                         << values.getNumElements() << " values";
  Type e = values.getElementType();
  auto one = RankedTensorType::get({1}, e);
  if (auto t = getDefaultTensor()) {
    auto type = llvm::cast<ShapedType>(t->getType());
    auto dense = llvm::dyn_cast<DenseElementsAttr>(*t);
    if (!dense || type.getNumElements() != 1 || type.getElementType() != e)
      return emitOpError("needs a default_tensor of one value of the values' "
                         "type");
    dflt = dense.reshape(one);
  } else if (llvm::isa<StringType>(e)) {
    dflt = DenseStringElementsAttr::get(
        one, {getDefaultString().value_or("_Unused")});
  } else if (llvm::isa<FloatType>(e)) {
    dflt = DenseElementsAttr::get(
        one, FloatAttr::get(e, getDefaultFloat()
                                   ? getDefaultFloat()->convertToDouble()
                                   : -0.0));
  } else if (llvm::isa<IntegerType>(e)) {
    dflt = DenseElementsAttr::get(
        one, IntegerAttr::get(e, getDefaultInt64().value_or(-1)));
  } else {
    return emitOpError() << "has values of the unsupported type " << e;
  }
  return success();
}

LogicalResult LabelEncoderOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  DenseElementsAttr keys, values, dflt;
  if (failed(getTable(keys, values, dflt)))
    return failure();
  if (keys.getElementType() != type->getElementType())
    return emitOpError() << "has keys of type " << keys.getElementType()
                         << " for X of type " << type->getElementType();
  return setResultShape(*this, type->getShape(), values.getElementType());
}

/// The values of a float (or integer) elements attribute as doubles.
static std::optional<SmallVector<double>>
doublesOf(std::optional<ElementsAttr> attr) {
  if (!attr)
    return std::nullopt;
  SmallVector<double> out;
  auto dense = llvm::dyn_cast<DenseElementsAttr>(*attr);
  if (!dense)
    return std::nullopt;
  if (llvm::isa<FloatType>(dense.getElementType())) {
    for (APFloat v : dense.getValues<APFloat>())
      out.push_back(v.convertToDouble());
  } else if (llvm::isa<IntegerType>(dense.getElementType())) {
    for (APInt v : dense.getValues<APInt>())
      out.push_back(double(v.getZExtValue()));
  } else {
    return std::nullopt;
  }
  return out;
}

static SmallVector<int64_t> intsOf(std::optional<ArrayAttr> attr) {
  SmallVector<int64_t> out;
  if (attr)
    for (Attribute a : *attr)
      out.push_back(llvm::cast<IntegerAttr>(a).getInt());
  return out;
}

LogicalResult TreeEnsembleOp::getTables(SmallVectorImpl<int64_t> &ints,
                                        SmallVectorImpl<double> &reals) {
  std::optional<SmallVector<double>> splits = doublesOf(getNodesSplits()),
                                     modes = doublesOf(getNodesModes()),
                                     weights = doublesOf(getLeafWeights());
  if (!splits || !modes || !weights || !getNTargets() || !getTreeRoots())
    return emitOpError("needs nodes_splits, nodes_modes, leaf_weights, "
                       "n_targets and tree_roots");
  SmallVector<int64_t> feature = intsOf(getNodesFeatureids()),
                       trueId = intsOf(getNodesTruenodeids()),
                       falseId = intsOf(getNodesFalsenodeids()),
                       trueLeaf = intsOf(getNodesTrueleafs()),
                       falseLeaf = intsOf(getNodesFalseleafs()),
                       missing = intsOf(getNodesMissingValueTracksTrue()),
                       roots = intsOf(getTreeRoots()),
                       targets = intsOf(getLeafTargetids());
  int64_t nodes = splits->size(), leaves = weights->size(),
          numTargets = *getNTargets();
  if (missing.empty())
    missing.assign(nodes, 0);
  for (size_t n : {modes->size(), feature.size(), trueId.size(), falseId.size(),
                   trueLeaf.size(), falseLeaf.size(), missing.size()})
    if (int64_t(n) != nodes)
      return emitOpError() << "has node tables of different lengths (" << n
                           << " and " << nodes << ")";
  if (int64_t(targets.size()) != leaves)
    return emitOpError() << "has " << targets.size() << " leaf targets for "
                         << leaves << " leaf weights";
  if (numTargets < 1 || llvm::any_of(targets, [&](int64_t t) {
        return t < 0 || t >= numTargets;
      }))
    return emitOpError() << "has leaf targets outside [0, " << numTargets
                         << ")";
  if (getAggregateFunction() < 0 || getAggregateFunction() > 3)
    return emitOpError() << "has unknown aggregate_function "
                         << getAggregateFunction();
  if (getPostTransform() < 0 || getPostTransform() > 3)
    return emitOpError() << "post_transform " << getPostTransform()
                         << (getPostTransform() == 4
                                 ? " (PROBIT) is not supported yet"
                                 : " is unknown");
  // Member sets, in order of the BRANCH_MEMBER nodes, each ended by NaN.
  SmallVector<int64_t> memberStart(nodes, 0), memberCount(nodes, 0);
  SmallVector<double> members;
  std::optional<SmallVector<double>> values = doublesOf(getMembershipValues());
  size_t at = 0;
  for (int64_t n = 0; n < nodes; ++n) {
    int64_t mode = int64_t((*modes)[n]);
    if (mode < 0 || mode > 6)
      return emitOpError() << "node " << n << " has unknown mode " << mode;
    if (mode != 6)
      continue;
    memberStart[n] = members.size();
    while (values && at < values->size() && !std::isnan((*values)[at]))
      members.push_back((*values)[at++]);
    if (!values || at >= values->size())
      return emitOpError("needs one NaN-ended membership_values set per "
                         "BRANCH_MEMBER node");
    ++at; // the NaN
    memberCount[n] = int64_t(members.size()) - memberStart[n];
  }
  // Every branch in range; every tree acyclic (depth-first, on a path).
  auto checkIndex = [&](int64_t id, bool leaf) {
    return id >= 0 && id < (leaf ? leaves : nodes);
  };
  for (int64_t n = 0; n < nodes; ++n)
    if (!checkIndex(trueId[n], trueLeaf[n]) ||
        !checkIndex(falseId[n], falseLeaf[n]) || feature[n] < 0)
      return emitOpError() << "node " << n << " has a branch or feature "
                           << "out of range";
  SmallVector<char> state(nodes, 0); // 0 new, 1 on the path, 2 done
  std::function<bool(int64_t)> acyclic = [&](int64_t n) {
    if (state[n] == 1)
      return false;
    if (state[n] == 2)
      return true;
    state[n] = 1;
    bool ok = (trueLeaf[n] || acyclic(trueId[n])) &&
              (falseLeaf[n] || acyclic(falseId[n]));
    state[n] = 2;
    return ok;
  };
  for (int64_t r : roots)
    if (r < 0 || r >= nodes || !acyclic(r))
      return emitOpError() << "has a tree root " << r
                           << " out of range or a cycle";
  ints.assign({nodes, int64_t(roots.size()), leaves, numTargets,
               getAggregateFunction(), getPostTransform()});
  for (ArrayRef<int64_t> table :
       {ArrayRef<int64_t>(feature), ArrayRef<int64_t>(trueId),
        ArrayRef<int64_t>(falseId), ArrayRef<int64_t>(trueLeaf),
        ArrayRef<int64_t>(falseLeaf), ArrayRef<int64_t>(missing),
        ArrayRef<int64_t>(memberStart), ArrayRef<int64_t>(memberCount)})
    ints.append(table.begin(), table.end());
  for (double m : *modes)
    ints.push_back(int64_t(m));
  ints.append(roots.begin(), roots.end());
  ints.append(targets.begin(), targets.end());
  reals.assign(splits->begin(), splits->end());
  reals.append(weights->begin(), weights->end());
  reals.append(members.begin(), members.end());
  return success();
}

LogicalResult TreeEnsembleOp::inferShapes() {
  auto type = staticType(*this, getX(), "X");
  if (failed(type))
    return failure();
  Type e = type->getElementType();
  if (type->getRank() != 2 || !(e.isF32() || e.isF64()))
    return emitOpError() << "needs X of float32 or float64 [N, F], got "
                         << *type;
  SmallVector<int64_t> ints;
  SmallVector<double> reals;
  if (failed(getTables(ints, reals)))
    return failure();
  int64_t nodes = ints[0];
  for (int64_t n = 0; n < nodes; ++n)
    if (ints[6 + n] >= type->getDimSize(1))
      return emitOpError() << "node " << n << " reads feature " << ints[6 + n]
                           << " of " << type->getDimSize(1);
  return setResultShape(*this, {type->getDimSize(0), ints[3]}, e);
}

// Sequence ops are rewritten by onnxc-infer-shapes (ControlFlow.cpp); a
// list of tensors has no shape of its own.
LogicalResult SequenceConstructOp::inferShapes() { return success(); }
LogicalResult SequenceEmptyOp::inferShapes() { return success(); }
LogicalResult SequenceInsertOp::inferShapes() { return success(); }
LogicalResult SequenceEraseOp::inferShapes() { return success(); }
LogicalResult SequenceAtOp::inferShapes() { return success(); }
LogicalResult SequenceLengthOp::inferShapes() { return success(); }
LogicalResult ConcatFromSequenceOp::inferShapes() { return success(); }
LogicalResult SplitToSequenceOp::inferShapes() { return success(); }

} // namespace onnxc::onnx
