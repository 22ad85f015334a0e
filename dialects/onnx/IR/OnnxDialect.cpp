// Registration of the `onnx` dialect and helpers to read constant tensors.
#include "dialects/onnx/IR/OnnxDialect.h"
#include "onnxc/runtime.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

#include "dialects/onnx/IR/OnnxDialect.cpp.inc"
#include "dialects/onnx/IR/ShapeInferenceInterface.cpp.inc"
#define GET_TYPEDEF_CLASSES
#include "dialects/onnx/IR/OnnxTypes.cpp.inc"

namespace onnxc::onnx {

void OnnxDialect::initialize() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/onnx/IR/OnnxTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/onnx/IR/OnnxOps.cpp.inc"
      >();
}

int32_t onnxDataType(Type t) {
  if (llvm::isa<onnx::StringType>(t))
    return ONNXC_STRING;
  if (t.isF32())
    return ONNXC_FLOAT32;
  if (t.isF64())
    return ONNXC_FLOAT64;
  if (t.isF16())
    return ONNXC_FLOAT16;
  if (t.isBF16())
    return ONNXC_BFLOAT16;
  if (llvm::isa<Float8E4M3FNType>(t))
    return ONNXC_FLOAT8E4M3FN;
  if (llvm::isa<Float8E4M3FNUZType>(t))
    return ONNXC_FLOAT8E4M3FNUZ;
  if (llvm::isa<Float8E5M2Type>(t))
    return ONNXC_FLOAT8E5M2;
  if (llvm::isa<Float8E5M2FNUZType>(t))
    return ONNXC_FLOAT8E5M2FNUZ;
  if (t.isInteger(1))
    return ONNXC_BOOL;
  if (auto i = llvm::dyn_cast<IntegerType>(t)) {
    bool u = i.isUnsigned();
    switch (i.getWidth()) {
    case 4:
      return u ? ONNXC_UINT4 : ONNXC_INT4;
    case 8:
      return u ? ONNXC_UINT8 : ONNXC_INT8;
    case 16:
      return u ? ONNXC_UINT16 : ONNXC_INT16;
    case 32:
      return u ? ONNXC_UINT32 : ONNXC_INT32;
    case 64:
      return u ? ONNXC_UINT64 : ONNXC_INT64;
    }
  }
  return 0;
}

Type elementTypeOf(MLIRContext *ctx, int64_t dtype) {
  Builder b(ctx);
  switch (dtype) {
  case ONNXC_FLOAT32:
    return b.getF32Type();
  case ONNXC_FLOAT64:
    return b.getF64Type();
  case ONNXC_FLOAT16:
    return b.getF16Type();
  case ONNXC_BFLOAT16:
    return b.getBF16Type();
  case ONNXC_FLOAT8E4M3FN:
    return b.getFloat8E4M3FNType();
  case ONNXC_FLOAT8E4M3FNUZ:
    return b.getFloat8E4M3FNUZType();
  case ONNXC_FLOAT8E5M2:
    return b.getFloat8E5M2Type();
  case ONNXC_FLOAT8E5M2FNUZ:
    return b.getFloat8E5M2FNUZType();
  case ONNXC_INT4:
    return b.getIntegerType(4);
  case ONNXC_INT8:
    return b.getIntegerType(8);
  case ONNXC_INT16:
    return b.getIntegerType(16);
  case ONNXC_INT32:
    return b.getI32Type();
  case ONNXC_INT64:
    return b.getI64Type();
  case ONNXC_UINT4:
    return b.getIntegerType(4, false);
  case ONNXC_UINT8:
    return b.getIntegerType(8, false);
  case ONNXC_UINT16:
    return b.getIntegerType(16, false);
  case ONNXC_UINT32:
    return b.getIntegerType(32, false);
  case ONNXC_UINT64:
    return b.getIntegerType(64, false);
  case ONNXC_BOOL:
    return b.getI1Type();
  case ONNXC_COMPLEX64:
    return ComplexType::get(b.getF32Type());
  case ONNXC_COMPLEX128:
    return ComplexType::get(b.getF64Type());
  case ONNXC_STRING:
    return StringType::get(ctx);
  default:
    return Type();
  }
}

Type storageElementType(Type t) {
  if (llvm::isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
                Float8E5M2FNUZType>(t))
    return IntegerType::get(t.getContext(), 8, IntegerType::Unsigned);
  if (auto i = llvm::dyn_cast<IntegerType>(t); i && i.getWidth() == 4)
    return IntegerType::get(t.getContext(), 8, i.getSignedness());
  return t;
}

static ConstantEvaluator &constantEvaluator() {
  static ConstantEvaluator evaluator;
  return evaluator;
}

void setConstantEvaluator(ConstantEvaluator evaluator) {
  constantEvaluator() = std::move(evaluator);
}

const ConstantEvaluator &getConstantEvaluator() { return constantEvaluator(); }

bool usesStrings(Operation *op) {
  auto isString = [](Type t) {
    auto shaped = llvm::dyn_cast<ShapedType>(t);
    return shaped && llvm::isa<StringType>(shaped.getElementType());
  };
  return llvm::any_of(op->getOperandTypes(), isString) ||
         llvm::any_of(op->getResultTypes(), isString);
}

bool isOptionalInput(Value v) {
  auto arg = llvm::dyn_cast<BlockArgument>(v);
  auto func = arg ? llvm::dyn_cast_if_present<FunctionOpInterface>(
                        arg.getOwner()->getParentOp())
                  : FunctionOpInterface();
  return func && func.getArgAttr(arg.getArgNumber(), "onnx.optional");
}

bool runsInRuntime(Operation *op) {
  // The optional ops on an optional graph input read its pointer.
  if (isa<OptionalHasElementOp, OptionalGetElementOp>(op))
    return op->getNumOperands() && isOptionalInput(op->getOperand(0));
  return usesStrings(op) || isa<LabelEncoderOp, TreeEnsembleOp, RandomUniformOp,
                                RandomUniformLikeOp, RandomNormalOp,
                                RandomNormalLikeOp, ImageDecoderOp>(op);
}

bool drawsRandom(Operation *op) {
  if (auto dropout = llvm::dyn_cast<DropoutOp>(op))
    return !dropout.isInference();
  return isa<RandomUniformOp, RandomUniformLikeOp, RandomNormalOp,
             RandomNormalLikeOp, BernoulliOp>(op);
}

bool isView(Operation *op) {
  // A Reshape, Squeeze or Unsqueeze whose shape is read at run time is a
  // kernel that checks it (see HalideKernels.cpp).
  if (auto reshape = llvm::dyn_cast_if_present<ReshapeOp>(op))
    return getConstantInts(reshape.getShape()).has_value();
  if (isa_and_nonnull<SqueezeOp, UnsqueezeOp>(op))
    return op->getNumOperands() == 1;
  if (auto dropout = llvm::dyn_cast_if_present<DropoutOp>(op))
    return dropout.isInference();
  return isa_and_nonnull<IdentityOp, FlattenOp>(op);
}

Value storageRoot(Value v) {
  while (isView(v.getDefiningOp()))
    v = v.getDefiningOp()->getOperand(0);
  return v;
}

void forEachUserThroughViews(Value root,
                             llvm::function_ref<void(Operation *)> fn) {
  llvm::SmallVector<Value> worklist{root};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      fn(user);
      if (isView(user))
        worklist.push_back(user->getResult(0));
    }
  }
}

llvm::ArrayRef<char> getConstantBytes(ElementsAttr attr, bool &isSplat) {
  isSplat = false;
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(attr)) {
    isSplat = dense.isSplat();
    return dense.getRawData();
  }
  if (auto resource = llvm::dyn_cast<DenseResourceElementsAttr>(attr)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  }
  return {};
}

std::optional<SmallVector<int64_t>> getConstantInts(Value value) {
  // A tensor without elements has one value whoever produces it.
  if (auto t = llvm::dyn_cast<RankedTensorType>(value.getType());
      t && t.hasStaticShape() && t.getNumElements() == 0 &&
      t.getElementType().isSignlessInteger())
    return SmallVector<int64_t>();
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = llvm::dyn_cast<RankedTensorType>(constant.getValue().getType());
  if (!type || !type.getElementType().isSignlessInteger())
    return std::nullopt;
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  if (bits != 32 && bits != 64)
    return std::nullopt;
  bool isSplat = false;
  ArrayRef<char> bytes = getConstantBytes(constant.getValue(), isSplat);
  int64_t count = type.getNumElements();
  size_t stored = isSplat ? 1 : count;
  if (bytes.size() < stored * (bits / 8))
    return std::nullopt;
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < count; ++i) {
    size_t at = (isSplat ? 0 : i) * (bits / 8);
    if (bits == 64) {
      int64_t v;
      memcpy(&v, bytes.data() + at, 8);
      out.push_back(v);
    } else {
      int32_t v;
      memcpy(&v, bytes.data() + at, 4);
      out.push_back(v);
    }
  }
  return out;
}

ConstantOp constantOf(Value v) {
  while (auto identity = v.getDefiningOp<IdentityOp>())
    v = identity.getInput();
  return v.getDefiningOp<ConstantOp>();
}

Value reshapedConstant(OpBuilder &b, Location loc, Value v,
                       ArrayRef<int64_t> shape) {
  ElementsAttr value = constantOf(v).getValue();
  auto type = RankedTensorType::get(shape, value.getElementType());
  ElementsAttr attr;
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(value))
    attr = dense.reshape(type);
  else
    attr = DenseResourceElementsAttr::get(
        type, llvm::cast<DenseResourceElementsAttr>(value).getRawHandle());
  return b.create<ConstantOp>(loc, type, attr);
}

std::optional<std::vector<float>> getConstantF32s(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant || !constant.getValue().getElementType().isF32())
    return std::nullopt;
  bool isSplat = false;
  ArrayRef<char> bytes = getConstantBytes(constant.getValue(), isSplat);
  int64_t count = constant.getValue().getNumElements();
  if (bytes.size() < (isSplat ? 1 : size_t(count)) * 4)
    return std::nullopt;
  std::vector<float> out(count);
  for (int64_t i = 0; i < count; ++i)
    memcpy(&out[i], bytes.data() + (isSplat ? 0 : i * 4), 4);
  return out;
}

SmallVector<int64_t> getI64s(std::optional<ArrayAttr> attr, size_t count,
                             int64_t dflt) {
  SmallVector<int64_t> out;
  if (attr) {
    for (Attribute a : *attr)
      out.push_back(llvm::cast<IntegerAttr>(a).getInt());
    return out;
  }
  out.assign(count, dflt);
  return out;
}

} // namespace onnxc::onnx
