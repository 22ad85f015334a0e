// Graph-level passes on the onnx dialect.
#ifndef ONNXC_ONNX_PASSES
#define ONNXC_ONNX_PASSES

include "mlir/Pass/PassBase.td"

def InferShapes : Pass<"onnxc-infer-shapes", "mlir::func::FuncOp"> {
  let summary = "Infer static result shapes of onnx ops";
  let description = [{
    Visits the ops of a function in order and asks each op implementing the
    ShapeInference interface for its result type, starting from the static
    argument types. Window attributes are made explicit on the way
    (`auto_pad` becomes `pads`). The function's result types are then set to
    the inferred ones; a result type the model declared must agree.
  }];
  let dependentDialects = ["onnxc::onnx::OnnxDialect"];
}

#endif
