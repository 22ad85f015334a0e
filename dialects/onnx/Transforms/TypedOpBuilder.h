// Builds onnx ops after a given op, each typed by its own shape inference:
// the rewrites after onnxc-infer-shapes (onnxc-decompose, the codegen
// graph rewrites) make ops whose result types and resolved attributes
// come out exactly as shape inference would have left them.
#ifndef ONNXC_DIALECTS_ONNX_TRANSFORMS_TYPEDOPBUILDER_H
#define ONNXC_DIALECTS_ONNX_TRANSFORMS_TYPEDOPBUILDER_H

#include "dialects/onnx/IR/OnnxDialect.h"

#include "mlir/IR/Builders.h"

namespace onnxc::onnx {

/// Builds single-result ops after `anchor`, each typed by its own shape
/// inference; one whose result has no elements becomes an empty constant.
class TypedOpBuilder {
public:
  explicit TypedOpBuilder(mlir::Operation *anchor)
      : b(anchor), loc(anchor->getLoc()), ok(true) {}

  template <typename OpTy>
  mlir::Value make(mlir::ValueRange operands,
                   llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    return make(OpTy::getOperationName(), operands, attrs);
  }

  /// An op whose result shape `declared` states (its inputs decide it only
  /// at run time; its kernel checks them).
  template <typename OpTy>
  mlir::Value makeDeclared(mlir::Type declared, mlir::ValueRange operands,
                           llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    return make(OpTy::getOperationName(), operands, attrs, declared);
  }

  /// The onnx op named `name` (one with one result); a null Value when the
  /// dialect has no such op.
  mlir::Value makeNamed(llvm::StringRef name, mlir::ValueRange operands,
                        llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    return make(("onnx." + name).str(), operands, attrs);
  }

  /// A scalar constant of `like`'s element type (a float type).
  mlir::Value scalar(mlir::Value like, double v) {
    mlir::Type element =
        llvm::cast<mlir::ShapedType>(like.getType()).getElementType();
    return splat({}, mlir::FloatAttr::get(element, v));
  }

  /// A constant of `shape` holding `value` everywhere.
  mlir::Value splat(llvm::ArrayRef<int64_t> shape, mlir::TypedAttr value) {
    auto type = mlir::RankedTensorType::get(shape, value.getType());
    return b.create<ConstantOp>(loc, type,
                                mlir::DenseElementsAttr::get(type, value));
  }
  mlir::Value zeros(llvm::ArrayRef<int64_t> shape, mlir::Type element) {
    return splat(shape, llvm::cast<mlir::TypedAttr>(b.getZeroAttr(element)));
  }

  /// A constant int64 vector.
  mlir::Value i64Vector(llvm::ArrayRef<int64_t> values) {
    auto type =
        mlir::RankedTensorType::get({int64_t(values.size())}, b.getI64Type());
    return b.create<ConstantOp>(loc, type,
                                mlir::DenseElementsAttr::get(type, values));
  }

  mlir::NamedAttribute attr(llvm::StringRef name, mlir::Attribute value) {
    return b.getNamedAttr(name, value);
  }
  mlir::Attribute i64(int64_t v) {
    return b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), v);
  }
  mlir::Attribute i64s(llvm::ArrayRef<int64_t> v) {
    return b.getI64ArrayAttr(v);
  }

  mlir::OpBuilder b;
  mlir::Location loc;
  bool ok;

private:
  /// An op typed by its own shape inference (its operand's element type
  /// until then).
  mlir::Value make(llvm::StringRef opName, mlir::ValueRange operands,
                   llvm::ArrayRef<mlir::NamedAttribute> attrs,
                   mlir::Type declared = mlir::Type()) {
    mlir::OperationState state(loc, opName);
    if (!state.name.getRegisteredInfo())
      return mlir::Value();
    mlir::Type element =
        llvm::cast<mlir::ShapedType>(operands[0].getType()).getElementType();
    state.addOperands(operands);
    state.addTypes(declared ? declared
                            : mlir::UnrankedTensorType::get(element));
    state.addAttributes(attrs);
    mlir::Operation *op = b.create(state);
    auto infer = llvm::dyn_cast<ShapeInference>(op);
    ok &= infer && op->getNumResults() == 1 && succeeded(infer.inferShapes());
    // A result without elements is known now, as onnxc-infer-shapes knows
    // it (kernels take no empty tensors); a declared one stays, for its
    // kernel checks the inputs that decide it.
    auto type =
        llvm::dyn_cast<mlir::RankedTensorType>(op->getResult(0).getType());
    if (ok && !declared && type && type.hasStaticShape() &&
        type.getNumElements() == 0 && type.getElementType().isIntOrFloat() &&
        !drawsRandom(op)) {
      op->erase();
      return b.create<ConstantOp>(loc, type,
                                  mlir::DenseElementsAttr::get(
                                      type, llvm::ArrayRef<mlir::Attribute>()));
    }
    return op->getResult(0);
  }
};

} // namespace onnxc::onnx

#endif
