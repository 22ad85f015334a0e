// onnxc-lower-to-host: the graph function becomes `<name>_run` in the LLVM
// dialect, calling one Halide kernel per kernel.group on a planned
// workspace.
#include "codegen/Passes.h"
#include "codegen/halide/HalideKernels.h"
#include "codegen/host/MemoryPlan.h"

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

int64_t byteSize(Type type) {
  auto tensor = llvm::cast<RankedTensorType>(type);
  Type e = onnx::storageElementType(tensor.getElementType());
  return tensor.getNumElements() * ((e.getIntOrFloatBitWidth() + 7) / 8);
}

using onnx::isView;

/// Follows view ops to the value that owns the storage.
Value storageRoot(Value v) {
  while (isView(v.getDefiningOp()))
    v = v.getDefiningOp()->getOperand(0);
  return v;
}

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
  }

  LogicalResult build();

private:
  Value constI32(int32_t v) {
    return b.create<LLVM::ConstantOp>(loc(), i32Ty, b.getI32IntegerAttr(v));
  }
  Value constI64(int64_t v) {
    return b.create<LLVM::ConstantOp>(loc(), i64Ty, b.getI64IntegerAttr(v));
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
  void buildErrorHandler();

  /// Ends the current block with "if (cond) goto dest(code)" and continues
  /// in a new block.
  void branchIf(Value cond, Block *dest, int32_t code) {
    Block *current = b.getInsertionBlock();
    Block *next = b.createBlock(current->getNextNode());
    b.setInsertionPointToEnd(current);
    b.create<LLVM::CondBrOp>(loc(), cond, dest, ValueRange{constI32(code)},
                             next, ValueRange{});
    b.setInsertionPointToStart(next);
  }

  ModuleOp module;
  func::FuncOp graph;
  std::string name;
  MLIRContext *ctx;
  OpBuilder b;
  Type ptrTy, i8Ty, i32Ty, i64Ty;
  LLVM::LLVMStructType bufferTy;
  Block *entry = nullptr;
  Value null; // the null pointer, defined first in the entry block

  llvm::DenseMap<Value, Value> pointers;        // storage root -> llvm.ptr
  llvm::DenseMap<Value, int64_t> workspaceAt;   // root -> workspace offset
  llvm::DenseMap<Value, unsigned> writesOutput; // root -> output it fills
  int64_t workspaceBytes = 0;
  llvm::StringMap<LLVM::GlobalOp> dimsGlobals;
  int globalCount = 0;
};

LLVM::GlobalOp HostBuilder::makeGlobal(StringRef sym, ElementsAttr attr,
                                       uint64_t alignment) {
  auto type = llvm::cast<ShapedType>(attr.getType());
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
/// it is returned (the first time), else in the workspace.
void HostBuilder::planStorage() {
  auto ret = cast<func::ReturnOp>(graph.getBody().back().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value root = storageRoot(v);
    if (isa_and_nonnull<kernel::GroupOp>(root.getDefiningOp()) &&
        !writesOutput.count(root))
      writesOutput[root] = i;
  }

  // Lifetimes in steps (op positions); views extend their root's life.
  llvm::DenseMap<Operation *, int> step;
  int n = 0;
  for (Operation &op : graph.getBody().front())
    step[&op] = n++;
  std::vector<BufferLifetime> lifetimes;
  std::vector<Value> roots;
  for (Operation &op : graph.getBody().front()) {
    auto group = dyn_cast<kernel::GroupOp>(op);
    if (!group || writesOutput.count(group.getResult()))
      continue;
    BufferLifetime life{byteSize(group.getType()), step[&op], step[&op]};
    SmallVector<Value> worklist{group.getResult()};
    while (!worklist.empty()) {
      Value v = worklist.pop_back_val();
      for (Operation *user : v.getUsers()) {
        life.last = std::max(life.last, step[user]);
        if (isView(user))
          worklist.push_back(user->getResult(0));
      }
    }
    lifetimes.push_back(life);
    roots.push_back(group.getResult());
  }
  MemoryPlan plan = planMemory(lifetimes);
  for (auto [root, offset] : llvm::zip(roots, plan.offsets))
    workspaceAt[root] = offset;
  workspaceBytes = plan.totalBytes;
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
    } else if (byteSize(arg.getType()) > 0) { // nothing to read otherwise
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
    Value target;
    if (auto it = writesOutput.find(result); it != writesOutput.end())
      target = outputPtrs[it->second];
    else
      // A 64-bit index: workspaces may exceed 2 GiB.
      target = b.create<LLVM::GEPOp>(
          loc(), ptrTy, i8Ty, workspace,
          ArrayRef<LLVM::GEPArg>{constI64(workspaceAt[result])});
    pointers[result] = target;

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
  b.create<LLVM::BrOp>(loc(), ValueRange{constI32(0)}, finish);

  b.setInsertionPointToStart(finish);
  if (workspaceBytes > 0) {
    Block *release = b.createBlock(&run.getBody(), Region::iterator(exit));
    b.setInsertionPointToEnd(finish);
    b.create<LLVM::CondBrOp>(loc(), ownsWorkspace, release, ValueRange{}, exit,
                             ValueRange{finish->getArgument(0)});
    b.setInsertionPointToStart(release);
    b.create<LLVM::CallOp>(
        loc(), declare("free", LLVM::LLVMVoidType::get(ctx), {ptrTy}),
        ValueRange{workspace});
    b.create<LLVM::BrOp>(loc(), ValueRange{finish->getArgument(0)}, exit);
  } else {
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

  // void <name>_set_num_threads(int n): Halide's thread pool size.
  b.setInsertionPointToEnd(module.getBody());
  auto threadsFn = b.create<LLVM::LLVMFuncOp>(
      loc(), name + "_set_num_threads",
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {i32Ty}));
  LLVM::LLVMFuncOp halideThreads =
      declare("halide_set_num_threads", i32Ty, {i32Ty});
  b.setInsertionPointToStart(threadsFn.addEntryBlock(b));
  b.create<LLVM::CallOp>(loc(), halideThreads,
                         ValueRange{threadsFn.getArgument(0)});
  b.create<LLVM::ReturnOp>(loc(), ValueRange{});

  buildErrorHandler();
  return success();
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
