// onnxc-lower-to-host: the graph function becomes `<name>_run` in the LLVM
// dialect, calling one Halide kernel per kernel.group on a planned
// workspace.
#include "codegen/Passes.h"
#include "codegen/halide/HalideKernels.h"
#include "codegen/host/Header.h"
#include "codegen/host/MemoryPlan.h"
#include "codegen/host/Regex.h"
#include "onnxc/kernels.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace onnxc {
#define GEN_PASS_DEF_LOWERTOHOST
#include "codegen/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

// halide_buffer_t, field by field (HalideRuntime.h).
enum BufferField {
  kDevice = 0,
  kDeviceInterface,
  kHost,
  kFlags,
  kType,
  kDimensions,
  kDim,
  kPadding
};
/// halide_type_t{code, bits, lanes = 1} of a tensor's elements, as one i32:
/// code 0 int, 1 uint, 2 float, 4 bfloat; bool is uint of 1 bit (a byte in
/// memory); float8 and 4-bit types are stored as bytes
/// (onnx::storageElementType).
int32_t halideTypeBits(RankedTensorType type) {
  Type e = onnx::storageElementType(type.getElementType());
  int32_t code = 2;
  if (e.isBF16())
    code = 4;
  else if (auto i = llvm::dyn_cast<IntegerType>(e))
    code = i.getWidth() == 1 || i.isUnsigned() ? 1 : 0;
  return code | (int32_t(e.getIntOrFloatBitWidth()) << 8) | (1 << 16);
}
// Status codes of onnxc/runtime.h.
constexpr int32_t kStatusInvalidArgument = 1, kStatusOutOfMemory = 2,
                  kStatusKernel = 3;

bool isStringTensor(Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor && llvm::isa<onnx::StringType>(tensor.getElementType());
}

int64_t byteSize(Type type) {
  auto tensor = llvm::cast<RankedTensorType>(type);
  if (isStringTensor(tensor)) // onnxc_string: {const char *, int64_t}
    return tensor.getNumElements() * 16;
  Type e = onnx::storageElementType(tensor.getElementType());
  return tensor.getNumElements() * ((e.getIntOrFloatBitWidth() + 7) / 8);
}

using onnx::forEachUserThroughViews;
using onnx::isView;
using onnx::storageRoot;

class HostBuilder {
public:
  HostBuilder(ModuleOp module, func::FuncOp graph, StringRef name)
      : module(module), graph(graph), name(name.str()),
        ctx(module.getContext()), b(ctx) {
    ptrTy = LLVM::LLVMPointerType::get(ctx);
    i8Ty = b.getI8Type();
    i32Ty = b.getI32Type();
    i64Ty = b.getI64Type();
    bufferTy = LLVM::LLVMStructType::getLiteral(
        ctx, {i64Ty, ptrTy, ptrTy, i64Ty, i32Ty, i32Ty, ptrTy, ptrTy});
    stringTy = LLVM::LLVMStructType::getLiteral(ctx, {ptrTy, i64Ty});
  }

  LogicalResult build();

private:
  Value constI32(int32_t v) {
    return b.create<LLVM::ConstantOp>(loc(), i32Ty, b.getI32IntegerAttr(v));
  }
  Value constI64(int64_t v) {
    return b.create<LLVM::ConstantOp>(loc(), i64Ty, b.getI64IntegerAttr(v));
  }
  Value constF64(double v) {
    return b.create<LLVM::ConstantOp>(loc(), b.getF64Type(),
                                      b.getF64FloatAttr(v));
  }
  Location loc() { return graph.getLoc(); }

  LLVM::LLVMFuncOp declare(StringRef sym, Type result, ArrayRef<Type> args) {
    if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(sym))
      return f;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(module.getBody());
    return b.create<LLVM::LLVMFuncOp>(
        loc(), sym, LLVM::LLVMFunctionType::get(result, args));
  }

  /// A private constant global holding `attr` (flattened to 1-D).
  LLVM::GlobalOp makeGlobal(StringRef sym, ElementsAttr attr,
                            uint64_t alignment);
  /// Private constants: `bytes` as an i8 array; `strings` as onnxc_string
  /// elements pointing into one such array; 64-bit integers.
  LLVM::GlobalOp makeBytesGlobal(StringRef sym, StringRef bytes);
  LLVM::GlobalOp makeStringsGlobal(StringRef sym, ArrayRef<StringRef> strings);
  Value i64sPointer(ArrayRef<int64_t> values);
  Value cStringPointer(StringRef text);
  /// The runtime's string kernel for `group` (isRuntimeGroup), writing to
  /// `target`; a failing kernel leaves for `finish` with its status.
  LogicalResult callRuntimeKernel(kernel::GroupOp group, Value target,
                                  Block *finish);
  Value callRuntime(StringRef fn, ArrayRef<Value> args);
  Value weightPointer(onnx::ConstantOp constant);
  /// The data pointer of a tensor: arguments and group results are mapped
  /// as they are defined; weights and views are materialized here.
  Value pointerOf(Value v) {
    if (Value p = pointers.lookup(v))
      return p;
    Operation *def = v.getDefiningOp();
    Value p = isa<onnx::ConstantOp>(def)
                  ? weightPointer(cast<onnx::ConstantOp>(def))
                  : pointerOf(def->getOperand(0)); // a view
    pointers[v] = p;
    return p;
  }
  Value dimsPointer(ArrayRef<int64_t> shape);
  Value makeBuffer(Value host, RankedTensorType type);
  void planStorage();
  void planInPlaceConcat(kernel::GroupOp group);
  void buildErrorHandler();
  void buildRunBatch(LLVM::LLVMFuncOp run);
  LLVM::LLVMFuncOp buildBatchLane(LLVM::LLVMFuncOp run);

  /// Ends the current block with "if (cond) goto dest(code)" and continues
  /// in a new block.
  void branchIf(Value cond, Block *dest, int32_t code) {
    branchIf(cond, dest, constI32(code));
  }
  /// Ends the current block with "if (cond) goto side" and continues in a
  /// new block; returns `side`, empty, for the caller to fill and end.
  Block *branchAside(Value cond) {
    Block *current = b.getInsertionBlock();
    Block *side = b.createBlock(current->getNextNode());
    Block *next = b.createBlock(side->getNextNode());
    b.setInsertionPointToEnd(current);
    b.create<LLVM::CondBrOp>(loc(), cond, side, ValueRange{}, next,
                             ValueRange{});
    b.setInsertionPointToStart(next);
    return side;
  }
  void branchIf(Value cond, Block *dest, Value code) {
    Block *current = b.getInsertionBlock();
    Block *next = b.createBlock(current->getNextNode());
    b.setInsertionPointToEnd(current);
    b.create<LLVM::CondBrOp>(loc(), cond, dest, ValueRange{code}, next,
                             ValueRange{});
    b.setInsertionPointToStart(next);
  }

  ModuleOp module;
  func::FuncOp graph;
  std::string name;
  MLIRContext *ctx;
  OpBuilder b;
  Type ptrTy, i8Ty, i32Ty, i64Ty;
  LLVM::LLVMStructType bufferTy, stringTy;
  Value arena; // the run's string arena (a void * slot), when strings occur
  Block *entry = nullptr;
  Value null; // the null pointer, defined first in the entry block

  llvm::DenseMap<Value, Value> pointers;        // storage root -> llvm.ptr
  llvm::DenseMap<Value, int64_t> workspaceAt;   // root -> workspace offset
  llvm::DenseMap<Value, unsigned> writesOutput; // root -> output it fills
  // root -> (in-place Concat result, byte offset): a kernel result written
  // straight into its place in the Concat that is its only reader.
  llvm::DenseMap<Value, std::pair<Value, int64_t>> writesInto;
  llvm::DenseSet<Operation *> inPlaceConcats; // their kernels copy nothing
  int64_t workspaceBytes = 0;
  llvm::StringMap<LLVM::GlobalOp> dimsGlobals, textGlobals;
  int globalCount = 0;
};

LLVM::GlobalOp HostBuilder::makeGlobal(StringRef sym, ElementsAttr attr,
                                       uint64_t alignment) {
  auto type = llvm::cast<ShapedType>(attr.getType());
  if (llvm::isa<onnx::StringType>(type.getElementType())) {
    auto dense = llvm::cast<DenseElementsAttr>(attr);
    auto values = dense.getValues<StringRef>();
    SmallVector<StringRef> strings(values.begin(), values.end());
    return makeStringsGlobal(sym, strings);
  }
  // Float8 and 4-bit values are stored as the bytes kernels read (MLIR
  // keeps them one byte per element too).
  Type element = onnx::storageElementType(type.getElementType());
  auto flat = RankedTensorType::get({type.getNumElements()}, element);
  Attribute value;
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(attr))
    value = element == type.getElementType()
                ? dense.reshape(flat)
                : DenseElementsAttr::getFromRawBuffer(flat, dense.getRawData());
  else if (auto resource = llvm::dyn_cast<DenseResourceElementsAttr>(attr))
    value = DenseResourceElementsAttr::get(flat, resource.getRawHandle());
  Type arrayTy = LLVM::LLVMArrayType::get(element, type.getNumElements());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  return b.create<LLVM::GlobalOp>(loc(), arrayTy, /*isConstant=*/true,
                                  LLVM::Linkage::Internal, sym, value,
                                  alignment);
}

LLVM::GlobalOp HostBuilder::makeBytesGlobal(StringRef sym, StringRef bytes) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  return b.create<LLVM::GlobalOp>(
      loc(), LLVM::LLVMArrayType::get(i8Ty, bytes.size()), /*isConstant=*/true,
      LLVM::Linkage::Internal, sym, b.getStringAttr(bytes), 1);
}

LLVM::GlobalOp HostBuilder::makeStringsGlobal(StringRef sym,
                                              ArrayRef<StringRef> strings) {
  std::string bytes;
  SmallVector<int64_t> offsets;
  for (StringRef s : strings) {
    offsets.push_back(bytes.size());
    bytes += s.str();
  }
  bytes.push_back('\0');
  LLVM::GlobalOp data = makeBytesGlobal((sym + "_bytes").str(), bytes);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto arrayTy = LLVM::LLVMArrayType::get(stringTy, strings.size());
  auto global =
      b.create<LLVM::GlobalOp>(loc(), arrayTy, /*isConstant=*/true,
                               LLVM::Linkage::Internal, sym, Attribute(), 16);
  // The initializer: {&data[offset], size} per element.
  b.createBlock(&global.getInitializerRegion());
  Value array = b.create<LLVM::UndefOp>(loc(), arrayTy);
  Value base = b.create<LLVM::AddressOfOp>(loc(), data);
  for (auto [i, s] : llvm::enumerate(strings)) {
    // A 64-bit index (a constant index is 32-bit): the strings' bytes may
    // exceed 2 GiB.
    Value at = b.create<LLVM::GEPOp>(
        loc(), ptrTy, i8Ty, base, ArrayRef<LLVM::GEPArg>{constI64(offsets[i])});
    Value element = b.create<LLVM::UndefOp>(loc(), stringTy);
    element = b.create<LLVM::InsertValueOp>(loc(), element, at, 0);
    element = b.create<LLVM::InsertValueOp>(
        loc(), element, constI64(static_cast<int64_t>(s.size())), 1);
    array = b.create<LLVM::InsertValueOp>(loc(), array, element, i);
  }
  b.create<LLVM::ReturnOp>(loc(), array);
  return global;
}

Value HostBuilder::i64sPointer(ArrayRef<int64_t> values) {
  if (values.empty())
    return null;
  std::string key = "i64:";
  for (int64_t v : values)
    key += std::to_string(v) + ",";
  LLVM::GlobalOp &global = textGlobals[key];
  if (!global)
    global = makeGlobal(
        name + "_i64s" + std::to_string(textGlobals.size() - 1),
        DenseIntElementsAttr::get(
            RankedTensorType::get({static_cast<int64_t>(values.size())}, i64Ty),
            values),
        8);
  return b.create<LLVM::AddressOfOp>(loc(), global);
}

Value HostBuilder::cStringPointer(StringRef text) {
  std::string key = "str:" + text.str();
  LLVM::GlobalOp &global = textGlobals[key];
  if (!global)
    global =
        makeBytesGlobal(name + "_text" + std::to_string(textGlobals.size() - 1),
                        (text + llvm::Twine('\0')).str());
  return b.create<LLVM::AddressOfOp>(loc(), global);
}

Value HostBuilder::callRuntime(StringRef fn, ArrayRef<Value> args) {
  SmallVector<Type> types;
  for (Value a : args)
    types.push_back(a.getType());
  return b.create<LLVM::CallOp>(loc(), declare(fn, i32Ty, types), args)
      .getResult();
}

/// The element strides of `operand` read at each index of `shape` under
/// numpy broadcasting (0 along broadcast dims).
static SmallVector<int64_t> broadcastStrides(RankedTensorType operand,
                                             ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 0);
  int64_t stride = 1, rank = operand.getRank(), offset = shape.size() - rank;
  for (int64_t d = rank - 1; d >= 0; --d) {
    int64_t extent = operand.getDimSize(d);
    strides[offset + d] = extent == 1 ? 0 : stride;
    stride *= extent;
  }
  return strides;
}

LogicalResult HostBuilder::callRuntimeKernel(kernel::GroupOp group,
                                             Value target, Block *finish) {
  Operation *op = nullptr;
  for (Operation &inner : group.getBody().front())
    if (!isa<onnx::NoValueOp, kernel::YieldOp>(inner))
      op = &inner;
  auto operand = [&](unsigned i) {
    auto arg = llvm::cast<BlockArgument>(op->getOperand(i));
    return pointerOf(group.getInputs()[arg.getArgNumber()]);
  };
  auto typeOf = [&](Value v) {
    return llvm::cast<RankedTensorType>(v.getType());
  };
  auto result = typeOf(op->getResult(0));
  std::string node = "?";
  if (auto name = llvm::dyn_cast<NameLoc>(op->getLoc()))
    node = name.getName().str();
  Value nodeName = cStringPointer(node);
  Value count = constI64(result.getNumElements());
  Value rc;

  // An optional graph input: present when its pointer is not NULL.
  if (isa<onnx::OptionalHasElementOp, onnx::OptionalGetElementOp>(op)) {
    Value p = operand(0);
    if (isa<onnx::OptionalHasElementOp>(op)) {
      Value present =
          b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::ne, p, null);
      b.create<LLVM::StoreOp>(
          loc(), b.create<LLVM::ZExtOp>(loc(), i8Ty, present), target);
      return success();
    }
    Block *absent = branchAside(
        b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, p, null));
    Block *next = b.getInsertionBlock();
    b.setInsertionPointToStart(absent);
    std::string message =
        "node '" + node + "' (OptionalGetElement): the optional is absent\n";
    b.create<LLVM::CallOp>(loc(),
                           declare("write", i64Ty, {i32Ty, ptrTy, i64Ty}),
                           ValueRange{constI32(2), cStringPointer(message),
                                      constI64(message.size())});
    b.create<LLVM::BrOp>(loc(), ValueRange{constI32(kStatusKernel)}, finish);
    b.setInsertionPointToStart(next);
    b.create<LLVM::MemcpyOp>(loc(), target, p, constI64(byteSize(result)),
                             /*isVolatile=*/false);
    return success();
  }

  // Random draws: distribution 0 uniform in [a, b), 1 normal (mean a,
  // standard deviation b).
  auto draw = [&](int32_t distribution, const APFloat &a, const APFloat &b,
                  std::optional<APFloat> seed) {
    return callRuntime(
        "onnxc_rt_random",
        {constI32(distribution), constI32(seed ? 1 : 0),
         constF64(seed ? seed->convertToDouble() : 0.0),
         constF64(a.convertToDouble()), constF64(b.convertToDouble()),
         constI32(onnx::onnxDataType(result.getElementType())), count, target});
  };
  if (auto r = dyn_cast<onnx::RandomUniformOp>(op)) {
    rc = draw(0, r.getLow(), r.getHigh(), r.getSeed());
  } else if (auto r = dyn_cast<onnx::RandomUniformLikeOp>(op)) {
    rc = draw(0, r.getLow(), r.getHigh(), r.getSeed());
  } else if (auto r = dyn_cast<onnx::RandomNormalOp>(op)) {
    rc = draw(1, r.getMean(), r.getScale(), r.getSeed());
  } else if (auto r = dyn_cast<onnx::RandomNormalLikeOp>(op)) {
    rc = draw(1, r.getMean(), r.getScale(), r.getSeed());
  } else if (isa<onnx::StringConcatOp, onnx::EqualOp>(op)) {
    if (result.getRank() > 8)
      return op->emitOpError("on strings supports rank 8 at most");
    auto a = typeOf(op->getOperand(0)), bt = typeOf(op->getOperand(1));
    if (!isStringTensor(a) || !isStringTensor(bt))
      return op->emitOpError("needs two string tensors");
    SmallVector<Value> args;
    if (isa<onnx::StringConcatOp>(op))
      args.push_back(arena);
    args.append(
        {constI32(result.getRank()), i64sPointer(result.getShape()), operand(0),
         i64sPointer(broadcastStrides(a, result.getShape())), operand(1),
         i64sPointer(broadcastStrides(bt, result.getShape())), target});
    rc = callRuntime(isa<onnx::StringConcatOp>(op) ? "onnxc_rt_string_concat"
                                                   : "onnxc_rt_string_equal",
                     args);
  } else if (isa<onnx::CastOp, onnx::CastLikeOp>(op)) {
    Type from = typeOf(op->getOperand(0)).getElementType();
    Type to = result.getElementType();
    if (llvm::isa<onnx::StringType>(from) && !llvm::isa<onnx::StringType>(to)) {
      int32_t dtype = onnx::onnxDataType(to);
      if (dtype != ONNXC_FLOAT32 && dtype != ONNXC_FLOAT64 &&
          dtype != ONNXC_INT64 && dtype != ONNXC_UINT64)
        return op->emitOpError()
               << "from strings to " << to
               << " is not supported yet (float32, float64, int64 and "
                  "uint64 are)";
      rc = callRuntime("onnxc_rt_string_to_number",
                       {nodeName, operand(0), count, constI32(dtype), target});
    } else if (llvm::isa<onnx::StringType>(to) &&
               !llvm::isa<onnx::StringType>(from)) {
      int32_t dtype = onnx::onnxDataType(from);
      if (dtype != ONNXC_FLOAT32 && dtype != ONNXC_FLOAT64 &&
          dtype != ONNXC_INT64 && dtype != ONNXC_UINT64 && dtype != ONNXC_BOOL)
        return op->emitOpError()
               << "from " << from
               << " to strings is not supported yet (float32, float64, "
                  "integers and bool are)";
      rc = callRuntime("onnxc_rt_number_to_string",
                       {arena, operand(0), constI32(dtype), count, target});
    } else { // string to string: the same elements
      b.create<LLVM::MemcpyOp>(loc(), target, operand(0),
                               constI64(byteSize(result)), false);
      return success();
    }
  } else if (auto norm = dyn_cast<onnx::StringNormalizerOp>(op)) {
    SmallVector<StringRef> stopwords;
    if (auto words = norm.getStopwords())
      for (Attribute w : *words)
        stopwords.push_back(llvm::cast<StringAttr>(w).getValue());
    Value words = null;
    if (!stopwords.empty())
      words = b.create<LLVM::AddressOfOp>(
          loc(),
          makeStringsGlobal(name + "_stopwords" + std::to_string(globalCount++),
                            stopwords));
    StringRef action = norm.getCaseChangeAction();
    int32_t caseAction = action == "LOWER" ? 1 : action == "UPPER" ? 2 : 0;
    rc = callRuntime("onnxc_rt_string_normalize",
                     {arena, nodeName, operand(0),
                      constI64(typeOf(norm.getX()).getNumElements()),
                      constI32(caseAction),
                      constI32(norm.getIsCaseSensitive() != 0 ? 1 : 0), words,
                      constI64(stopwords.size()), target, count});
  } else if (auto split = dyn_cast<onnx::StringSplitOp>(op)) {
    StringRef delimiter = split.getDelimiter().value_or("");
    int64_t width = split.getSelectLengths() ? 0 : result.getShape().back();
    rc = callRuntime("onnxc_rt_string_split",
                     {nodeName, operand(0),
                      constI64(typeOf(split.getX()).getNumElements()),
                      cStringPointer(delimiter), constI64(delimiter.size()),
                      constI64(split.getMaxsplit().value_or(-1)),
                      split.getSelectLengths() ? null : target, constI64(width),
                      split.getSelectLengths() ? target : null});
  } else if (auto encoder = dyn_cast<onnx::LabelEncoderOp>(op)) {
    DenseElementsAttr keys, values, dflt;
    if (failed(encoder.getTable(keys, values, dflt)))
      return failure();
    auto global = [&](StringRef what, DenseElementsAttr attr) -> Value {
      return b.create<LLVM::AddressOfOp>(
          loc(),
          makeGlobal(name + "_" + what.str() + std::to_string(globalCount++),
                     attr, 16));
    };
    auto elementBytes = [](DenseElementsAttr attr) {
      auto type = llvm::cast<RankedTensorType>(attr.getType());
      return byteSize(RankedTensorType::get({1}, type.getElementType()));
    };
    bool stringKeys = llvm::isa<onnx::StringType>(keys.getElementType());
    rc = callRuntime("onnxc_rt_label_encode",
                     {operand(0), count, constI32(stringKeys ? 1 : 0),
                      constI64(elementBytes(keys)),
                      keys.getNumElements() ? global("keys", keys) : null,
                      constI64(keys.getNumElements()),
                      constI64(elementBytes(values)),
                      values.getNumElements() ? global("values", values) : null,
                      global("default", dflt), target});
  } else if (auto trees = dyn_cast<onnx::TreeEnsembleOp>(op)) {
    SmallVector<int64_t> ints;
    SmallVector<double> reals;
    if (failed(trees.getTables(ints, reals)))
      return failure();
    auto x = typeOf(trees.getX());
    auto realsType =
        RankedTensorType::get({int64_t(reals.size())}, b.getF64Type());
    Value realsPtr = b.create<LLVM::AddressOfOp>(
        loc(),
        makeGlobal(name + "_reals" + std::to_string(globalCount++),
                   DenseElementsAttr::get(realsType, ArrayRef<double>(reals)),
                   8));
    rc = callRuntime("onnxc_rt_tree_ensemble",
                     {i64sPointer(ints), realsPtr, operand(0),
                      constI32(onnx::onnxDataType(x.getElementType())),
                      constI64(x.getDimSize(0)), constI64(x.getDimSize(1)),
                      target});
  } else if (auto decoder = dyn_cast<onnx::ImageDecoderOp>(op)) {
    StringRef format = decoder.getPixelFormat();
    int32_t code = format == "BGR"         ? ONNXC_IMAGE_BGR
                   : format == "Grayscale" ? ONNXC_IMAGE_GRAYSCALE
                                           : ONNXC_IMAGE_RGB;
    rc = callRuntime(
        "onnxc_rt_image_decode",
        {nodeName, operand(0),
         constI64(typeOf(decoder.getEncodedStream()).getNumElements()),
         constI32(code), constI64(result.getDimSize(0)),
         constI64(result.getDimSize(1)), target});
  } else if (auto regex = dyn_cast<onnx::RegexFullMatchOp>(op)) {
    if (!regex.getPattern())
      return op->emitOpError("needs a pattern");
    std::string error;
    std::optional<std::string> posix =
        re2ToPosixFullMatch(regex.getPattern()->str(), error);
    if (!posix)
      return op->emitOpError()
             << "pattern '" << *regex.getPattern() << "': " << error;
    rc = callRuntime(
        "onnxc_rt_regex_full_match",
        {nodeName, cStringPointer(*posix), operand(0), count, target});
  } else {
    return op->emitOpError("on string tensors is not supported yet (strings "
                           "go through StringConcat, StringSplit, "
                           "StringNormalizer, RegexFullMatch, Equal, Cast, "
                           "CastLike and the view ops)");
  }
  Value bad =
      b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::ne, rc, constI32(0));
  branchIf(bad, finish, rc);
  return success();
}

Value HostBuilder::weightPointer(onnx::ConstantOp constant) {
  std::string sym = name + "_w" + std::to_string(globalCount++);
  LLVM::GlobalOp global = makeGlobal(sym, constant.getValue(), 64);
  return b.create<LLVM::AddressOfOp>(constant.getLoc(), global);
}

Value HostBuilder::dimsPointer(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return null;
  // halide_dimension_t is {min, extent, stride, flags}, innermost dim first.
  SmallVector<int32_t> dims;
  int64_t stride = 1;
  for (int64_t extent : llvm::reverse(shape)) {
    dims.append(
        {0, static_cast<int32_t>(extent), static_cast<int32_t>(stride), 0});
    stride *= extent;
  }
  std::string key;
  for (int32_t d : dims)
    key += std::to_string(d) + ",";
  LLVM::GlobalOp &global = dimsGlobals[key];
  if (!global) {
    auto attr = DenseIntElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(dims.size())}, i32Ty),
        ArrayRef<int32_t>(dims));
    global = makeGlobal(name + "_dims" + std::to_string(dimsGlobals.size() - 1),
                        attr, 16);
  }
  return b.create<LLVM::AddressOfOp>(loc(), global);
}

Value HostBuilder::makeBuffer(Value host, RankedTensorType type) {
  ArrayRef<int64_t> shape = type.getShape();
  Value buffer;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(entry);
    buffer = b.create<LLVM::AllocaOp>(
        loc(), ptrTy, bufferTy,
        b.create<LLVM::ConstantOp>(loc(), i32Ty, b.getI32IntegerAttr(1)), 8);
  }
  auto field = [&](BufferField f) {
    return b.create<LLVM::GEPOp>(loc(), ptrTy, bufferTy, buffer,
                                 ArrayRef<LLVM::GEPArg>{0, int32_t(f)});
  };
  b.create<LLVM::StoreOp>(loc(), constI64(0), field(kDevice));
  b.create<LLVM::StoreOp>(loc(), null, field(kDeviceInterface));
  b.create<LLVM::StoreOp>(loc(), host, field(kHost));
  b.create<LLVM::StoreOp>(loc(), constI64(0), field(kFlags));
  b.create<LLVM::StoreOp>(loc(), constI32(halideTypeBits(type)), field(kType));
  b.create<LLVM::StoreOp>(loc(), constI32(shape.size()), field(kDimensions));
  b.create<LLVM::StoreOp>(loc(), dimsPointer(shape), field(kDim));
  b.create<LLVM::StoreOp>(loc(), null, field(kPadding));
  return buffer;
}

/// Decides where every group result lives: directly in a graph output when
/// it is returned (the first time), else in the workspace, over the input
/// it names when compileKernels marked it in_place_input.
void HostBuilder::planStorage() {
  auto ret = cast<func::ReturnOp>(graph.getBody().back().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value root = storageRoot(v);
    if (isa_and_nonnull<kernel::GroupOp>(root.getDefiningOp()) &&
        !writesOutput.count(root))
      writesOutput[root] = i;
  }

  for (Operation &op : graph.getBody().front())
    if (auto group = dyn_cast<kernel::GroupOp>(op))
      planInPlaceConcat(group);

  // Lifetimes in steps (op positions); views extend their root's life. An
  // in-place Concat's storage lives from its first operand's kernel on.
  llvm::DenseMap<Operation *, int> step;
  int n = 0;
  for (Operation &op : graph.getBody().front())
    step[&op] = n++;
  llvm::DenseMap<Value, int> firstWrite;
  for (auto &[root, place] : writesInto) {
    int at = step[root.getDefiningOp()];
    auto [it, inserted] = firstWrite.try_emplace(place.first, at);
    if (!inserted)
      it->second = std::min(it->second, at);
  }
  std::vector<BufferLifetime> lifetimes;
  std::vector<Value> roots;
  llvm::DenseMap<Value, size_t> lifetimeOf; // workspace root -> its lifetime
  // A result written over an input it reads only at its own points
  // (inPlaceInput: a residual Add after a conv) shares that input's
  // storage, whose lifetime then runs to the result's last reader.
  llvm::DenseMap<Value, Value> sharesWith;
  for (Operation &op : graph.getBody().front()) {
    auto group = dyn_cast<kernel::GroupOp>(op);
    if (!group || writesOutput.count(group.getResult()) ||
        writesInto.count(group.getResult()))
      continue;
    int last = step[&op];
    forEachUserThroughViews(group.getResult(), [&](Operation *user) {
      last = std::max(last, step[user]);
    });
    // The mark is checked again: the IR may have been written by hand.
    auto marked = group->getAttrOfType<IntegerAttr>(kInPlaceInputAttr);
    std::optional<unsigned> i;
    if (marked && !inPlaceConcats.count(group))
      i = inPlaceInput(group);
    if (i && marked.getInt() == *i) {
      Value root = storageRoot(group.getInputs()[*i]);
      if (Value owner = sharesWith.lookup(root))
        root = owner;
      if (auto it = lifetimeOf.find(root); it != lifetimeOf.end()) {
        sharesWith[group.getResult()] = root;
        lifetimes[it->second].last = std::max(lifetimes[it->second].last, last);
        continue;
      }
    }
    BufferLifetime life{byteSize(group.getType()), step[&op], last};
    if (auto it = firstWrite.find(group.getResult()); it != firstWrite.end())
      life.first = it->second;
    lifetimeOf[group.getResult()] = lifetimes.size();
    lifetimes.push_back(life);
    roots.push_back(group.getResult());
  }
  MemoryPlan plan = planMemory(lifetimes);
  for (auto [root, offset] : llvm::zip(roots, plan.offsets))
    workspaceAt[root] = offset;
  for (auto [result, owner] : sharesWith)
    workspaceAt[result] = workspaceAt[owner];
  workspaceBytes = plan.totalBytes;
}

/// A group that is only a Concat whose every operand is another kernel's result
/// that nothing else reads: those kernels write their results straight into
/// their places in the Concat's result, and the Concat copies nothing
/// (SqueezeNet's fire modules, GoogLeNet's inception blocks). Only where each
/// operand takes one contiguous range of the result (every axis before the
/// concatenation axis has extent 1) and every operand qualifies.
void HostBuilder::planInPlaceConcat(kernel::GroupOp group) {
  Block &body = group.getBody().front();
  auto concat = dyn_cast<onnx::ConcatOp>(body.front());
  if (!concat || body.getOperations().size() != 2 || isRuntimeGroup(group))
    return;
  auto type = llvm::cast<RankedTensorType>(group.getType());
  int64_t axis = concat.getAxis();
  if (axis < 0)
    axis += type.getRank();
  if (isStringTensor(type) || axis < 0 || axis >= type.getRank() ||
      llvm::any_of(type.getShape().take_front(axis),
                   [](int64_t d) { return d != 1; }))
    return;
  // Read by this group alone, once, through views only.
  auto readOnlyByGroup = [&](Value root) {
    int reads = 0, others = 0;
    forEachUserThroughViews(root, [&](Operation *user) {
      if (!isView(user))
        ++(user == group.getOperation() ? reads : others);
    });
    return reads == 1 && others == 0;
  };
  SmallVector<std::pair<Value, int64_t>> places;
  int64_t offset = 0;
  for (Value operand : concat.getOperands()) {
    auto arg = llvm::dyn_cast<BlockArgument>(operand);
    if (!arg || arg.getOwner() != &body)
      return;
    Value input = group.getInputs()[arg.getArgNumber()];
    Value root = storageRoot(input);
    auto producer = root.getDefiningOp<kernel::GroupOp>();
    if (!producer || isRuntimeGroup(producer) || writesOutput.count(root) ||
        writesInto.count(root) || inPlaceConcats.count(producer) ||
        byteSize(root.getType()) != byteSize(input.getType()) ||
        llvm::any_of(places, [&](auto &p) { return p.first == root; }) ||
        !readOnlyByGroup(root))
      return;
    places.emplace_back(root, offset);
    offset += byteSize(input.getType());
  }
  if (places.empty() || offset != byteSize(type))
    return;
  for (auto [root, at] : places)
    writesInto[root] = {group.getResult(), at};
  inPlaceConcats.insert(group);
}

LogicalResult HostBuilder::build() {
  planStorage();
  FunctionType graphType = graph.getFunctionType();
  auto ret = cast<func::ReturnOp>(graph.getBody().back().getTerminator());

  b.setInsertionPointToEnd(module.getBody());
  // int <name>_run(const void *const *inputs, void *const *outputs, void *ws)
  auto run = b.create<LLVM::LLVMFuncOp>(
      loc(), name + "_run",
      LLVM::LLVMFunctionType::get(i32Ty, {ptrTy, ptrTy, ptrTy}));
  entry = run.addEntryBlock(b);
  Value inputs = run.getArgument(0), outputs = run.getArgument(1),
        wsArg = run.getArgument(2);
  // `finish` releases an owned workspace and returns the status; `exit`
  // returns it (used before the workspace exists).
  Block *finish =
      b.createBlock(&run.getBody(), run.getBody().end(), {i32Ty}, {loc()});
  Block *exit =
      b.createBlock(&run.getBody(), run.getBody().end(), {i32Ty}, {loc()});
  b.setInsertionPointToStart(entry);
  null = b.create<LLVM::ZeroOp>(loc(), ptrTy);
  // The kernels' parallel loops run on the runtime's thread pool.
  b.create<LLVM::CallOp>(
      loc(),
      declare("onnxc_rt_threads_prepare", LLVM::LLVMVoidType::get(ctx), {}),
      ValueRange{});
  // Strings made during the run live in an arena released at its end.
  bool strings = false;
  graph.walk([&](kernel::GroupOp group) { strings |= isRuntimeGroup(group); });
  if (strings) {
    arena = b.create<LLVM::AllocaOp>(loc(), ptrTy, ptrTy, constI32(1), 8);
    b.create<LLVM::StoreOp>(loc(), null, arena);
  }

  // Argument checks: a NULL array or a NULL tensor pointer is an error.
  auto checkNotNull = [&](Value p) {
    Value isNull =
        b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, p, null);
    branchIf(isNull, exit, kStatusInvalidArgument);
  };
  auto loadPointer = [&](Value array, unsigned index) {
    Value slot = b.create<LLVM::GEPOp>(loc(), ptrTy, ptrTy, array,
                                       ArrayRef<LLVM::GEPArg>{int32_t(index)});
    return b.create<LLVM::LoadOp>(loc(), ptrTy, slot).getResult();
  };
  if (graphType.getNumInputs())
    checkNotNull(inputs);
  checkNotNull(outputs);
  for (auto [i, arg] : llvm::enumerate(graph.getArguments())) {
    Value p = loadPointer(inputs, i);
    // An input with a default (an ONNX initializer listed as an input)
    // takes the model's value when the caller passes NULL.
    if (auto dflt = graph.getArgAttrOfType<ElementsAttr>(i, "onnx.default")) {
      LLVM::GlobalOp global =
          makeGlobal(name + "_default" + std::to_string(i), dflt, 64);
      Value isNull =
          b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, p, null);
      p = b.create<LLVM::SelectOp>(
          loc(), isNull, b.create<LLVM::AddressOfOp>(loc(), global), p);
    } else if (byteSize(arg.getType()) > 0 &&
               !graph.getArgAttr(i, "onnx.optional")) { // NULL: absent
      checkNotNull(p);
    }
    pointers[arg] = p;
  }
  SmallVector<Value> outputPtrs;
  for (unsigned i = 0; i < graphType.getNumResults(); ++i) {
    outputPtrs.push_back(loadPointer(outputs, i));
    if (byteSize(graphType.getResult(i)) > 0)
      checkNotNull(outputPtrs.back());
  }

  // The workspace: the caller's, or one allocated for this call.
  Value workspace = wsArg, ownsWorkspace;
  if (workspaceBytes > 0) {
    LLVM::LLVMFuncOp mallocFn = declare("malloc", ptrTy, {i64Ty});
    ownsWorkspace =
        b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, wsArg, null);
    Block *current = b.getInsertionBlock();
    Block *alloc = b.createBlock(finish);
    Block *ready = b.createBlock(finish);
    ready->addArgument(ptrTy, loc());
    b.setInsertionPointToEnd(current);
    b.create<LLVM::CondBrOp>(loc(), ownsWorkspace, alloc, ValueRange{}, ready,
                             ValueRange{wsArg});
    b.setInsertionPointToStart(alloc);
    Value fresh = b.create<LLVM::CallOp>(loc(), mallocFn,
                                         ValueRange{constI64(workspaceBytes)})
                      .getResult();
    Value failed =
        b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, fresh, null);
    b.create<LLVM::CondBrOp>(loc(), failed, exit,
                             ValueRange{constI32(kStatusOutOfMemory)}, ready,
                             ValueRange{fresh});
    b.setInsertionPointToStart(ready);
    workspace = ready->getArgument(0);
  }

  // Where a group's result is stored: a graph output or the workspace, or
  // a place in an in-place Concat's result (itself never in place).
  auto ownStorage = [&](Value result) -> Value {
    if (auto it = writesOutput.find(result); it != writesOutput.end())
      return outputPtrs[it->second];
    // A 64-bit index: workspaces may exceed 2 GiB.
    return b.create<LLVM::GEPOp>(
        loc(), ptrTy, i8Ty, workspace,
        ArrayRef<LLVM::GEPArg>{constI64(workspaceAt[result])});
  };
  auto storageOf = [&](Value result) -> Value {
    auto it = writesInto.find(result);
    if (it == writesInto.end())
      return ownStorage(result);
    return b.create<LLVM::GEPOp>(
        loc(), ptrTy, i8Ty, ownStorage(it->second.first),
        ArrayRef<LLVM::GEPArg>{constI64(it->second.second)});
  };

  // Walk the graph in order, materializing pointers and calling kernels.
  for (Operation &op : graph.getBody().front()) {
    // Weights and views get pointers when first read (pointerOf), so
    // constants only a Reshape reads never become globals.
    if (isView(&op) ||
        isa<onnx::ConstantOp, onnx::NoValueOp, func::ReturnOp>(op))
      continue;
    auto group = dyn_cast<kernel::GroupOp>(op);
    if (!group)
      return op.emitOpError("cannot be lowered to host code; it should have "
                            "been fused into a kernel group");
    Value result = group.getResult();
    Value target = storageOf(result);
    pointers[result] = target;
    // Its operands' kernels wrote it in place.
    if (inPlaceConcats.count(group))
      continue;
    if (isRuntimeGroup(group)) {
      if (failed(callRuntimeKernel(group, target, finish)))
        return failure();
      continue;
    }

    SmallVector<Value> args;
    SmallVector<Type> argTypes;
    for (Value input : group.getInputs()) {
      args.push_back(makeBuffer(pointerOf(input),
                                llvm::cast<RankedTensorType>(input.getType())));
      argTypes.push_back(ptrTy);
    }
    args.push_back(
        makeBuffer(target, llvm::cast<RankedTensorType>(result.getType())));
    argTypes.push_back(ptrTy);
    LLVM::LLVMFuncOp kernelFn =
        declare(kernelSymbol(name, group.getSymName()), i32Ty, argTypes);
    Value rc =
        b.create<LLVM::CallOp>(group.getLoc(), kernelFn, args).getResult();
    Value bad =
        b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::ne, rc, constI32(0));
    branchIf(bad, finish, kStatusKernel);
  }

  // Outputs not written in place (returned twice, or a view of an input or
  // weight) are copied.
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value root = storageRoot(v);
    auto it = writesOutput.find(root);
    if (it != writesOutput.end() && it->second == i)
      continue;
    b.create<LLVM::MemcpyOp>(loc(), outputPtrs[i], pointerOf(v),
                             constI64(byteSize(v.getType())),
                             /*isVolatile=*/false);
  }
  // String outputs become the caller's: each element a copy of its own.
  // If a copy fails, the outputs exported before it are freed again.
  SmallVector<unsigned> stringOutputs;
  for (auto [i, type] : llvm::enumerate(graphType.getResults()))
    if (isStringTensor(type) && byteSize(type) > 0)
      stringOutputs.push_back(i);
  auto elementsOf = [&](unsigned i) {
    return constI64(
        llvm::cast<RankedTensorType>(graphType.getResult(i)).getNumElements());
  };
  LLVM::LLVMFuncOp freeStrings =
      stringOutputs.empty()
          ? LLVM::LLVMFuncOp()
          : declare("onnxc_free_strings", LLVM::LLVMVoidType::get(ctx),
                    {ptrTy, i64Ty});
  for (auto [k, i] : llvm::enumerate(stringOutputs)) {
    Value rc =
        callRuntime("onnxc_rt_strings_export", {outputPtrs[i], elementsOf(i)});
    Value bad =
        b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::ne, rc, constI32(0));
    Block *undo = branchAside(bad);
    Block *next = b.getInsertionBlock();
    b.setInsertionPointToStart(undo);
    for (unsigned j : ArrayRef<unsigned>(stringOutputs).take_front(k))
      b.create<LLVM::CallOp>(loc(), freeStrings,
                             ValueRange{outputPtrs[j], elementsOf(j)});
    b.create<LLVM::BrOp>(loc(), ValueRange{rc}, finish);
    b.setInsertionPointToStart(next);
  }
  b.create<LLVM::BrOp>(loc(), ValueRange{constI32(0)}, finish);

  b.setInsertionPointToStart(finish);
  Block *tail = finish;
  if (strings) {
    b.create<LLVM::CallOp>(loc(),
                           declare("onnxc_rt_arena_release",
                                   LLVM::LLVMVoidType::get(ctx), {ptrTy}),
                           ValueRange{arena});
    // After a failure string outputs hold nothing the caller owns: they
    // are emptied, so that onnxc_free_strings on them is harmless.
    if (!stringOutputs.empty()) {
      Value failed = b.create<LLVM::ICmpOp>(
          loc(), LLVM::ICmpPredicate::ne, finish->getArgument(0), constI32(0));
      Block *empty = b.createBlock(&run.getBody(), Region::iterator(exit));
      tail = b.createBlock(&run.getBody(), Region::iterator(exit));
      b.setInsertionPointToEnd(finish);
      b.create<LLVM::CondBrOp>(loc(), failed, empty, ValueRange{}, tail,
                               ValueRange{});
      b.setInsertionPointToStart(empty);
      for (unsigned i : stringOutputs)
        b.create<LLVM::MemsetOp>(
            loc(), outputPtrs[i],
            b.create<LLVM::ConstantOp>(loc(), i8Ty, b.getI8IntegerAttr(0)),
            constI64(byteSize(graphType.getResult(i))), /*isVolatile=*/false);
      b.create<LLVM::BrOp>(loc(), ValueRange{}, tail);
      b.setInsertionPointToStart(tail);
    }
  }
  if (workspaceBytes > 0) {
    Block *release = b.createBlock(&run.getBody(), Region::iterator(exit));
    b.setInsertionPointToEnd(tail);
    b.create<LLVM::CondBrOp>(loc(), ownsWorkspace, release, ValueRange{}, exit,
                             ValueRange{finish->getArgument(0)});
    b.setInsertionPointToStart(release);
    b.create<LLVM::CallOp>(
        loc(), declare("free", LLVM::LLVMVoidType::get(ctx), {ptrTy}),
        ValueRange{workspace});
    b.create<LLVM::BrOp>(loc(), ValueRange{finish->getArgument(0)}, exit);
  } else {
    b.setInsertionPointToEnd(tail);
    b.create<LLVM::BrOp>(loc(), ValueRange{finish->getArgument(0)}, exit);
  }
  b.setInsertionPointToStart(exit);
  b.create<LLVM::ReturnOp>(loc(), exit->getArgument(0));

  // size_t <name>_workspace_size(void)
  b.setInsertionPointToEnd(module.getBody());
  auto sizeFn = b.create<LLVM::LLVMFuncOp>(
      loc(), name + "_workspace_size", LLVM::LLVMFunctionType::get(i64Ty, {}));
  b.setInsertionPointToStart(sizeFn.addEntryBlock(b));
  b.create<LLVM::ReturnOp>(loc(), constI64(workspaceBytes));

  // void <name>_set_num_threads(int n): the size of the runtime's thread
  // pool, which runs the kernels' parallel loops (onnxc_rt_set_num_threads
  // ends the workers beyond it), and of Halide's own pool, left to Halide's
  // other parallel work. Halide's pool keeps every worker it has started
  // busy, whatever the size asked for later, so a smaller size first shuts
  // it down (the next use starts as many as the new size asks for).
  b.setInsertionPointToEnd(module.getBody());
  Type voidTy = LLVM::LLVMVoidType::get(ctx);
  auto threadsFn =
      b.create<LLVM::LLVMFuncOp>(loc(), name + "_set_num_threads",
                                 LLVM::LLVMFunctionType::get(voidTy, {i32Ty}));
  LLVM::LLVMFuncOp halideThreads =
      declare("halide_set_num_threads", i32Ty, {i32Ty});
  LLVM::LLVMFuncOp halideShutdown =
      declare("halide_shutdown_thread_pool", voidTy, {});
  Block *setEntry = threadsFn.addEntryBlock(b);
  Value n = threadsFn.getArgument(0);
  Block *shrink =
      b.createBlock(&threadsFn.getBody(), threadsFn.getBody().end());
  Block *setDone =
      b.createBlock(&threadsFn.getBody(), threadsFn.getBody().end());
  b.setInsertionPointToStart(setEntry);
  b.create<LLVM::CallOp>(loc(),
                         declare("onnxc_rt_set_num_threads", voidTy, {i32Ty}),
                         ValueRange{n});
  Value old =
      b.create<LLVM::CallOp>(loc(), halideThreads, ValueRange{n}).getResult();
  Value fewer = b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::slt, n, old);
  b.create<LLVM::CondBrOp>(loc(), fewer, shrink, setDone);
  b.setInsertionPointToStart(shrink);
  b.create<LLVM::CallOp>(loc(), halideShutdown, ValueRange{});
  b.create<LLVM::CallOp>(loc(), halideThreads, ValueRange{n});
  b.create<LLVM::BrOp>(loc(), ValueRange{}, setDone);
  b.setInsertionPointToStart(setDone);
  b.create<LLVM::ReturnOp>(loc(), ValueRange{});

  if (graph->hasAttr("onnx.batch"))
    buildRunBatch(run);
  buildErrorHandler();
  return success();
}

/// The items of a batch run in lanes, as many as the thread pool has
/// threads (at most one per item), each lane in its own workspace. Lane
/// `lane` of `lanes` runs items lane, lane + lanes, ...:
///   int <name>_batch_lane(void *, int lane, uint8_t *closure)
/// with the closure {batch, lanes, inputs, outputs, workspace, serial} (six
/// 8-byte slots). Lane 0 uses the caller's workspace, the others one of
/// their own (or, if that allocation fails, `run` allocates per call). When
/// `serial` is set (a lane per thread), the kernels of the lane run their
/// parallel loops on the lane's thread (onnxc_rt_lane_serial). It returns
/// the first failure of its items.
LLVM::LLVMFuncOp HostBuilder::buildBatchLane(LLVM::LLVMFuncOp run) {
  FunctionType type = graph.getFunctionType();
  b.setInsertionPointToEnd(module.getBody());
  auto fn = b.create<LLVM::LLVMFuncOp>(
      loc(), name + "_batch_lane",
      LLVM::LLVMFunctionType::get(i32Ty, {ptrTy, i32Ty, ptrTy}),
      LLVM::Linkage::Internal);
  Block *entry = fn.addEntryBlock(b);
  Value lane32 = fn.getArgument(1), closure = fn.getArgument(2);
  Block *header =
      b.createBlock(&fn.getBody(), fn.getBody().end(), {i64Ty}, {loc()});
  Block *body = b.createBlock(&fn.getBody(), fn.getBody().end());
  Block *done =
      b.createBlock(&fn.getBody(), fn.getBody().end(), {i32Ty}, {loc()});

  b.setInsertionPointToStart(entry);
  auto slot = [&](int32_t i, Type t) {
    Value at = b.create<LLVM::GEPOp>(loc(), ptrTy, i64Ty, closure,
                                     ArrayRef<LLVM::GEPArg>{i});
    return b.create<LLVM::LoadOp>(loc(), t, at).getResult();
  };
  Value batch = slot(0, i64Ty), lanes = slot(1, i64Ty);
  Value inputs = slot(2, ptrTy), outputs = slot(3, ptrTy), ws = slot(4, ptrTy);
  Value serial = b.create<LLVM::TruncOp>(loc(), i32Ty, slot(5, i64Ty));
  Type voidTy = LLVM::LLVMVoidType::get(ctx);
  LLVM::LLVMFuncOp laneSerial =
      declare("onnxc_rt_lane_serial", voidTy, {i32Ty});
  b.create<LLVM::CallOp>(loc(), laneSerial, ValueRange{serial});
  Value lane = b.create<LLVM::SExtOp>(loc(), i64Ty, lane32);
  Value none = b.create<LLVM::ZeroOp>(loc(), ptrTy);
  Value first = b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, lane32,
                                       constI32(0));
  // Lanes after the first allocate a workspace of their own.
  Value own = none;
  if (workspaceBytes > 0) {
    Block *alloc = b.createBlock(header);
    Block *ready = b.createBlock(header, {ptrTy}, {loc()});
    b.setInsertionPointToEnd(entry);
    b.create<LLVM::CondBrOp>(loc(), first, ready, ValueRange{none}, alloc,
                             ValueRange{});
    b.setInsertionPointToStart(alloc);
    Value fresh =
        b.create<LLVM::CallOp>(loc(), declare("malloc", ptrTy, {i64Ty}),
                               ValueRange{constI64(workspaceBytes)})
            .getResult();
    b.create<LLVM::BrOp>(loc(), ValueRange{fresh}, ready);
    b.setInsertionPointToStart(ready);
    own = ready->getArgument(0);
  }
  Value laneWs = b.create<LLVM::SelectOp>(loc(), first, ws, own);
  auto ptrSlots = [&](unsigned n) {
    return b.create<LLVM::AllocaOp>(loc(), ptrTy, ptrTy,
                                    constI32(std::max(n, 1u)), 8);
  };
  Value itemInputs = ptrSlots(type.getNumInputs());
  Value itemOutputs = ptrSlots(type.getNumResults());
  b.create<LLVM::BrOp>(loc(), ValueRange{lane}, header);

  b.setInsertionPointToStart(header);
  Value item = header->getArgument(0);
  Value more =
      b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::slt, item, batch);
  b.create<LLVM::CondBrOp>(loc(), more, body, ValueRange{}, done,
                           ValueRange{constI32(0)});

  b.setInsertionPointToStart(body);
  auto advance = [&](Value array, Value into, Type tensor, bool batched,
                     unsigned i) {
    Value slot = b.create<LLVM::GEPOp>(loc(), ptrTy, ptrTy, array,
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
    Value p = b.create<LLVM::LoadOp>(loc(), ptrTy, slot);
    if (batched) {
      Value offset =
          b.create<LLVM::MulOp>(loc(), item, constI64(byteSize(tensor)));
      Value moved = b.create<LLVM::GEPOp>(loc(), ptrTy, i8Ty, p,
                                          ArrayRef<LLVM::GEPArg>{offset});
      Value isNull =
          b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, p, none);
      p = b.create<LLVM::SelectOp>(loc(), isNull, p, moved);
    }
    Value target = b.create<LLVM::GEPOp>(loc(), ptrTy, ptrTy, into,
                                         ArrayRef<LLVM::GEPArg>{int32_t(i)});
    b.create<LLVM::StoreOp>(loc(), p, target);
  };
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    advance(inputs, itemInputs, type.getInput(i),
            bool(graph.getArgAttr(i, "onnx.batched")), i);
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    advance(outputs, itemOutputs, type.getResult(i),
            bool(graph.getResultAttr(i, "onnx.batched")), i);
  Value rc = b.create<LLVM::CallOp>(loc(), run,
                                    ValueRange{itemInputs, itemOutputs, laneWs})
                 .getResult();
  Value failed =
      b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::ne, rc, constI32(0));
  Value next = b.create<LLVM::AddOp>(loc(), item, lanes);
  b.create<LLVM::CondBrOp>(loc(), failed, done, ValueRange{rc}, header,
                           ValueRange{next});

  b.setInsertionPointToStart(done);
  b.create<LLVM::CallOp>(loc(), laneSerial, ValueRange{constI32(0)});
  if (workspaceBytes > 0) // free(NULL) for lane 0
    b.create<LLVM::CallOp>(loc(), declare("free", voidTy, {ptrTy}),
                           ValueRange{own});
  b.create<LLVM::ReturnOp>(loc(), done->getArgument(0));
  return fn;
}

/// int <name>_run_batch(int64_t batch, const void *const *inputs,
///                      void *const *outputs, void *ws):
/// `run` once per item, each batched tensor's pointer advanced by one
/// item's bytes (a NULL input stays NULL). onnxc_rt_run_batch spreads the
/// items over lanes (buildBatchLane) as the model's batch plan says:
/// parallel lanes on the runtime's pool, each lane's kernels serially when
/// there is a lane per thread, or one lane whose kernels use every thread.
/// The first failure is returned. void <name>_set_batch_mode(int mode)
/// sets the plan's mode (ONNXC_BATCH_AUTO, _LANES or _ITEMS); int
/// <name>_batch_way(void) returns the way taken (AUTO while probing).
void HostBuilder::buildRunBatch(LLVM::LLVMFuncOp run) {
  FunctionType type = graph.getFunctionType();
  LLVM::LLVMFuncOp laneFn = buildBatchLane(run);
  Type voidTy = LLVM::LLVMVoidType::get(ctx);
  Type planTy = LLVM::LLVMArrayType::get(i64Ty, ONNXC_RT_BATCH_SLOTS);
  b.setInsertionPointToStart(module.getBody());
  auto plan = b.create<LLVM::GlobalOp>(
      loc(), planTy, /*isConstant=*/false, LLVM::Linkage::Internal,
      name + "_batch_plan", b.getZeroAttr(planTy), /*alignment=*/8);

  b.setInsertionPointToEnd(module.getBody());
  auto fn = b.create<LLVM::LLVMFuncOp>(
      loc(), name + "_run_batch",
      LLVM::LLVMFunctionType::get(i32Ty, {i64Ty, ptrTy, ptrTy, ptrTy}));
  Block *entry = fn.addEntryBlock(b);
  Value batch = fn.getArgument(0), inputs = fn.getArgument(1),
        outputs = fn.getArgument(2), ws = fn.getArgument(3);
  Block *dispatch = b.createBlock(&fn.getBody(), fn.getBody().end());
  Block *done =
      b.createBlock(&fn.getBody(), fn.getBody().end(), {i32Ty}, {loc()});

  b.setInsertionPointToStart(entry);
  Value zero = constI64(0);
  Value none = b.create<LLVM::ZeroOp>(loc(), ptrTy);
  Value negative =
      b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::slt, batch, zero);
  Value noArrays = b.create<LLVM::OrOp>(
      loc(),
      b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, outputs, none),
      type.getNumInputs()
          ? b.create<LLVM::ICmpOp>(loc(), LLVM::ICmpPredicate::eq, inputs, none)
                .getResult()
          : b.create<LLVM::ConstantOp>(loc(), b.getI1Type(),
                                       b.getBoolAttr(false))
                .getResult());
  Value bad = b.create<LLVM::OrOp>(loc(), negative, noArrays);
  b.create<LLVM::CondBrOp>(loc(), bad, done,
                           ValueRange{constI32(kStatusInvalidArgument)},
                           dispatch, ValueRange{});

  // The closure {batch, lanes, inputs, outputs, workspace, serial}; the
  // runtime fills in the lanes and serial.
  b.setInsertionPointToStart(dispatch);
  Value closure = b.create<LLVM::AllocaOp>(loc(), ptrTy, i64Ty, constI32(6), 8);
  auto store = [&](int32_t i, Value v) {
    Value at = b.create<LLVM::GEPOp>(loc(), ptrTy, i64Ty, closure,
                                     ArrayRef<LLVM::GEPArg>{i});
    b.create<LLVM::StoreOp>(loc(), v, at);
  };
  store(0, batch);
  store(1, zero);
  store(2, inputs);
  store(3, outputs);
  store(4, ws);
  store(5, zero);
  Value planPtr = b.create<LLVM::AddressOfOp>(loc(), plan);
  Value task = b.create<LLVM::AddressOfOp>(loc(), laneFn);
  Value rc =
      b.create<LLVM::CallOp>(
           loc(), declare("onnxc_rt_run_batch", i32Ty, {ptrTy, ptrTy, ptrTy}),
           ValueRange{planPtr, task, closure})
          .getResult();
  b.create<LLVM::BrOp>(loc(), ValueRange{rc}, done);

  b.setInsertionPointToStart(done);
  b.create<LLVM::ReturnOp>(loc(), done->getArgument(0));

  // void <name>_set_batch_mode(int) and int <name>_batch_way(void): the
  // runtime's functions on the plan, its address first.
  auto forwardToPlan = [&](StringRef suffix, StringRef runtimeFn, Type result,
                           ArrayRef<Type> params) {
    b.setInsertionPointToEnd(module.getBody());
    auto f =
        b.create<LLVM::LLVMFuncOp>(loc(), name + suffix.str(),
                                   LLVM::LLVMFunctionType::get(result, params));
    b.setInsertionPointToStart(f.addEntryBlock(b));
    SmallVector<Value> args = {b.create<LLVM::AddressOfOp>(loc(), plan)};
    SmallVector<Type> types = {ptrTy};
    for (BlockArgument a : f.getArguments()) {
      args.push_back(a);
      types.push_back(a.getType());
    }
    auto call = b.create<LLVM::CallOp>(loc(), declare(runtimeFn, result, types),
                                       ValueRange(args));
    if (isa<LLVM::LLVMVoidType>(result))
      b.create<LLVM::ReturnOp>(loc(), ValueRange{});
    else
      b.create<LLVM::ReturnOp>(loc(), ValueRange{call.getResult()});
  };
  forwardToPlan("_set_batch_mode", "onnxc_rt_batch_set_mode", voidTy, {i32Ty});
  forwardToPlan("_batch_way", "onnxc_rt_batch_way", i32Ty, {});
}

/// Halide's default error handler aborts the process. A library must not:
/// this weak `halide_error` writes the message to stderr and returns, so the
/// kernel returns its error code and `<name>_run` returns ONNXC_ERR_KERNEL.
/// Weak, like the runtime's own, so that several models link together.
void HostBuilder::buildErrorHandler() {
  if (module.lookupSymbol("halide_error"))
    return;
  LLVM::LLVMFuncOp strlenFn = declare("strlen", i64Ty, {ptrTy});
  LLVM::LLVMFuncOp writeFn = declare("write", i64Ty, {i32Ty, ptrTy, i64Ty});
  b.setInsertionPointToEnd(module.getBody());
  auto handler = b.create<LLVM::LLVMFuncOp>(
      loc(), "halide_error",
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptrTy, ptrTy}),
      LLVM::Linkage::Weak);
  b.setInsertionPointToStart(handler.addEntryBlock(b));
  Value message = handler.getArgument(1);
  Value length =
      b.create<LLVM::CallOp>(loc(), strlenFn, ValueRange{message}).getResult();
  b.create<LLVM::CallOp>(loc(), writeFn,
                         ValueRange{constI32(2), message, length});
  b.create<LLVM::ReturnOp>(loc(), ValueRange{});
}

struct LowerToHostPass : impl::LowerToHostBase<LowerToHostPass> {
  using LowerToHostBase::LowerToHostBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    if (funcs.size() != 1) {
      module.emitError() << "expected one graph function, found "
                         << funcs.size();
      return signalPassFailure();
    }
    func::FuncOp graph = funcs.front();
    if (!graph.getBody().hasOneBlock()) {
      graph.emitError("the graph function must have a single block");
      return signalPassFailure();
    }
    HostBuilder builder(module, graph, modelName);
    if (failed(builder.build()))
      return signalPassFailure();
    graph.erase();
  }
};

} // namespace
} // namespace onnxc
