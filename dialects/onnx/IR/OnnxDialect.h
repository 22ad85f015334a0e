// The `onnx` dialect: ONNX operators as MLIR ops.
#ifndef ONNXC_DIALECTS_ONNX_IR_ONNXDIALECT_H
#define ONNXC_DIALECTS_ONNX_IR_ONNXDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <functional>
#include <optional>
#include <vector>

#include "dialects/onnx/IR/OnnxDialect.h.inc"

namespace onnxc::onnx::OpTrait {
/// Ops computed element by element over broadcast operands (see
/// OnnxElementwiseOps.td); fusion chains them.
template <typename ConcreteType>
class Elementwise : public mlir::OpTrait::TraitBase<ConcreteType, Elementwise> {
};
} // namespace onnxc::onnx::OpTrait

namespace onnxc::onnx {
/// Shape inference of the elementwise ops: the numpy broadcast of every
/// tensor operand (none-typed absent operands are skipped), with the element
/// type `resultType` gives for the first operand's.
mlir::LogicalResult
inferElementwise(mlir::Operation *op,
                 llvm::function_ref<mlir::Type(mlir::Type)> resultType);

/// Shape inference of the Reduce* ops (resolves `axes`) and of
/// ArgMax/ArgMin.
mlir::LogicalResult inferReduction(mlir::Operation *op);
mlir::LogicalResult inferArgReduction(mlir::Operation *op);

/// The MLIR element type of an ONNX TensorProto.DataType code: signless
/// integers for signed ones, `ui*` for unsigned, i1 for bool,
/// !onnx.string; a null type for codes outside the table.
mlir::Type elementTypeOf(mlir::MLIRContext *ctx, int64_t onnxDataType);

/// The ONNX data type code (TensorProto.DataType) of an element type; 0 if
/// it has none.
int32_t onnxDataType(mlir::Type elementType);

/// The element type a tensor of element type `t` is stored as in kernels
/// and in the buffers of the generated API: the float8 types as their ui8
/// bit patterns, 4-bit integers unpacked to one byte each (i8 sign-extended,
/// ui8); every other type as itself.
mlir::Type storageElementType(mlir::Type t);

/// True for the types stored as another one (float8, 4-bit integers):
/// only conversions and data movement handle them.
inline bool isStoredAsBits(mlir::Type t) { return storageElementType(t) != t; }
} // namespace onnxc::onnx

#define GET_TYPEDEF_CLASSES
#include "dialects/onnx/IR/OnnxTypes.h.inc"
#include "dialects/onnx/IR/ShapeInferenceInterface.h.inc"

#define GET_OP_CLASSES
#include "dialects/onnx/IR/OnnxOps.h.inc"

namespace onnxc::onnx {

/// The bytes of a constant, row-major, whatever attribute kind holds them
/// (dense, splat or dense_resource). For a splat the single element is
/// returned and `isSplat` is set.
llvm::ArrayRef<char> getConstantBytes(mlir::ElementsAttr attr, bool &isSplat);

/// The values of an integer tensor produced by an onnx.Constant, widened to
/// int64 (none for a tensor without elements, whatever produces it);
/// std::nullopt when `value` is not such a constant.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value value);

/// The onnx.Constant that `v` is, directly or through Identity ops
/// (exporters share equal weights that way); null if none.
ConstantOp constantOf(mlir::Value v);

/// A new onnx.Constant holding the elements of the constant `v` (see
/// constantOf) under `shape`; weights held as a resource share its blob.
mlir::Value reshapedConstant(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value v, llvm::ArrayRef<int64_t> shape);

/// The values of a float32 tensor produced by an onnx.Constant of any
/// attribute kind (dense, splat repeated, dense_resource weights);
/// std::nullopt when `value` is not such a constant.
std::optional<std::vector<float>> getConstantF32s(mlir::Value value);

/// Computes an op whose operands are all constants, at compile time; set by
/// code generation (which owns the kernels), used by shape inference so
/// that shape-computing chains (Shape -> Gather -> Concat -> Reshape...)
/// become constants. Fails when it does not fold the op.
using ConstantEvaluator =
    std::function<mlir::FailureOr<mlir::ElementsAttr>(mlir::Operation *)>;
void setConstantEvaluator(ConstantEvaluator evaluator);
const ConstantEvaluator &getConstantEvaluator();

/// Ops whose result is their first operand's storage, reinterpreted
/// (Identity, Flatten, Reshape, Squeeze, Unsqueeze, Dropout at inference).
bool isView(mlir::Operation *op);
/// Follows view ops to the value that owns the storage.
mlir::Value storageRoot(mlir::Value v);
/// Calls `fn` on each user of `root` and, through the view ops among them
/// (which `fn` sees too), on theirs: every op that reads root's storage.
void forEachUserThroughViews(mlir::Value root,
                             llvm::function_ref<void(mlir::Operation *)> fn);

/// A graph input of optional type (`onnx.optional`): a tensor the caller
/// may leave out (a NULL pointer).
bool isOptionalInput(mlir::Value v);

/// Ops with a string tensor among their operands or results.
bool usesStrings(mlir::Operation *op);

/// Ops computed by the runtime library rather than by Halide kernels: the
/// string ops, LabelEncoder, TreeEnsemble, the random generators and
/// ImageDecoder. Each is a kernel group of its own.
bool runsInRuntime(mlir::Operation *op);

/// Ops whose results are random draws (never folded to constants): the
/// random generators, Bernoulli, and Dropout in training mode.
bool drawsRandom(mlir::Operation *op);

/// Reads an optional I64ArrayAttr, or returns `count` copies of `dflt`.
llvm::SmallVector<int64_t> getI64s(std::optional<mlir::ArrayAttr> attr,
                                   size_t count, int64_t dflt);

} // namespace onnxc::onnx

#endif
