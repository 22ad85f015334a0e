// The interface through which the shape-inference pass asks each onnx op for
// its result types.
#ifndef ONNXC_ONNX_SHAPE_INFERENCE_INTERFACE
#define ONNXC_ONNX_SHAPE_INFERENCE_INTERFACE

include "mlir/IR/OpBase.td"

def ShapeInferenceOpInterface : OpInterface<"ShapeInference"> {
  let cppNamespace = "::onnxc::onnx";
  let description = [{
    An op that can compute its result types from its operand types and
    attributes. Ops may also normalize attributes here (for example turn
    `auto_pad` into explicit `pads`) since that needs the same shapes.
  }];
  let methods = [
    InterfaceMethod<[{
      Set the result types from the operand types. Emits an error on the op and
      fails when the operands are invalid or their shapes are not yet known.
    }], "::mlir::LogicalResult", "inferShapes">
  ];
}

#endif
