// The `onnx` dialect: ONNX operators as MLIR ops, one op per ONNX op type,
// with ONNX's own operand and attribute names.
#ifndef ONNXC_ONNX_OPS
#define ONNXC_ONNX_OPS

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "dialects/onnx/IR/ShapeInferenceInterface.td"

def Onnx_Dialect : Dialect {
  let name = "onnx";
  let cppNamespace = "::onnxc::onnx";
  let summary = "ONNX operators, as imported from a ModelProto";
  let description = [{
    One op per ONNX operator type, named as in the ONNX specification
    (`onnx.Conv`, `onnx.MatMul`, ...). Operands, results and attributes keep
    ONNX's names and default values, so the importer is a direct mapping.
    Weights are `onnx.Constant` ops holding (resource) elements attributes.
    Result types start unranked when the model does not declare them and are
    refined by `onnxc-infer-shapes`.
  }];
  let useDefaultTypePrinterParser = 1;
}

def Onnx_StringType : TypeDef<Onnx_Dialect, "String"> {
  let mnemonic = "string";
  let summary = "the element type of ONNX string tensors";
}

def Onnx_UnknownType : TypeDef<Onnx_Dialect, "Unknown"> {
  let mnemonic = "unknown";
  let summary = "an element type the model does not declare";
  let description = [{
    The element type of a value produced by an op onnxc does not model
    (onnx.Custom) when the model declares no type for it.
  }];
}

class Onnx_Op<string mnemonic, list<Trait> traits = []>
    : Op<Onnx_Dialect, mnemonic,
         !listconcat(traits, [Pure,
             DeclareOpInterfaceMethods<ShapeInferenceOpInterface>])>;

// Ops that draw random numbers: not Pure, since two of them (or two runs of
// one) may differ.
class Onnx_RandomOp<string mnemonic>
    : Op<Onnx_Dialect, mnemonic,
         [MemoryEffects<[MemRead, MemWrite]>,
          DeclareOpInterfaceMethods<ShapeInferenceOpInterface>]>;


//===----------------------------------------------------------------------===//
// Constants and identity
//===----------------------------------------------------------------------===//

def Onnx_ConstantOp : Onnx_Op<"Constant", [ConstantLike]> {
  let summary = "a constant tensor (ONNX Constant node or graph initializer)";
  let description = [{
    Holds a weight or a constant tensor. Large tensors use a
    `dense_resource` attribute so that weights are not copied into the
    attribute storage.

    ```mlir
    %w = onnx.Constant {value = dense<1.0> : tensor<8xf32>} : tensor<8xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Onnx_IdentityOp : Onnx_Op<"Identity"> {
  let summary = "ONNX Identity: the input, unchanged";
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` $input `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// The elementwise ops are in OnnxElementwiseOps.td.
include "dialects/onnx/IR/OnnxElementwiseOps.td"
// Reductions, shape queries and data movement are in OnnxTensorOps.td.
include "dialects/onnx/IR/OnnxTensorOps.td"

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def Onnx_MatMulOp : Onnx_Op<"MatMul"> {
  let summary = "ONNX MatMul: numpy.matmul, batch dims broadcast";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` $A `,` $B `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_GemmOp : Onnx_Op<"Gemm"> {
  let summary = "ONNX Gemm: alpha * A' * B' + beta * C";
  let description = [{
    A' and B' are A and B, transposed when `transA`/`transB` are non-zero; C
    is optional and broadcasts to the [M, N] result.

    ```mlir
    %y = onnx.Gemm(%a, %b, %c) {transB = 1 : si64}
        : (tensor<1x784xf32>, tensor<64x784xf32>, tensor<64xf32>) -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B, Optional<AnyTensor>:$C,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<SI64Attr, "0">:$transA,
                   DefaultValuedAttr<SI64Attr, "0">:$transB);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ConvOp : Onnx_Op<"Conv"> {
  let summary = "ONNX Conv: N-d convolution with groups, strides, dilations";
  let description = [{
    X is [N, C, spatial...], W is [M, C/group, kernel...], B is [M]. After
    shape inference `auto_pad` is always NOTSET and `pads`, `strides`,
    `dilations` and `kernel_shape` are explicit.

    ```mlir
    %y = onnx.Conv(%x, %w, %b) {pads = [1, 1, 1, 1]}
        : (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x28x28xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, Optional<AnyTensor>:$B,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   DefaultValuedAttr<SI64Attr, "1">:$group,
                   OptionalAttr<I64ArrayAttr>:$kernel_shape,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

def Onnx_MaxPoolOp : Onnx_Op<"MaxPool"> {
  let summary = "ONNX MaxPool: maximum over sliding windows, and where it is";
  let description = [{
    Indices, when used, holds the flat input position of each maximum (the
    first in window order; row-major, or with storage_order 1 the spatial
    axes column-major). onnxc-decompose splits the op in two: one computing
    Y, one with `select_indices` computing Indices as its only result.
  }];
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   I64ArrayAttr:$kernel_shape,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   DefaultValuedAttr<SI64Attr, "0">:$storage_order,
                   OptionalAttr<I64ArrayAttr>:$strides,
                   UnitAttr:$select_indices);
  let results = (outs AnyTensor:$Y, Optional<AnyTensor>:$Indices);
  let assemblyFormat = "`(` $X `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_GlobalAveragePoolOp : Onnx_Op<"GlobalAveragePool"> {
  let summary = "ONNX GlobalAveragePool: mean over all spatial dims";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` $X `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_SoftmaxOp : Onnx_Op<"Softmax"> {
  let summary = "ONNX Softmax along an axis";
  let description = [{
    With `coerce_2d` (set by the importer for opset < 13) the input is
    viewed as 2-D [prod(dims < axis), prod(dims >= axis)] and the softmax runs
    over the second dim, as ONNX opsets 1-12 define it.
  }];
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   UnitAttr:$coerce_2d);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` $input `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Onnx_FlattenOp : Onnx_Op<"Flatten"> {
  let summary = "ONNX Flatten: reshape to 2-D at `axis`";
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<SI64Attr, "1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` $input `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ReshapeOp : Onnx_Op<"Reshape"> {
  let summary = "ONNX Reshape to a shape given by a constant tensor";
  let arguments = (ins AnyTensor:$data, AnyTensor:$shape,
                   DefaultValuedAttr<SI64Attr, "0">:$allowzero);
  let results = (outs AnyTensor:$reshaped);
  let assemblyFormat = "`(` $data `,` $shape `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Control flow: expanded in place by onnxc-infer-shapes
//===----------------------------------------------------------------------===//

// Bodies are regions ending in onnx.Yield; they see the values of the
// enclosing graph. Shape inference expands each op where it stands (see
// ControlFlow.cpp), so none is left for code generation.

def Onnx_IfOp : Onnx_Op<"If"> {
  let summary = "ONNX If: the outputs of then_branch when cond is true, "
                "else of else_branch";
  let description = [{
    A constant cond inlines its branch. Otherwise both branches are
    inlined and each output is a Where of cond; their shapes must agree.
  }];
  let arguments = (ins AnyType:$cond);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch,
                        SizedRegion<1>:$else_branch);
}

def Onnx_LoopOp : Onnx_Op<"Loop"> {
  let summary = "ONNX Loop: body repeated while i < M and cond hold, "
                "carrying v and stacking the scan outputs";
  let description = [{
    `inputs` are M and cond (onnx.NoValue when absent) and the initial
    loop-carried values. The body takes (i, cond, v...) and yields
    (cond, v..., scan outputs...). It is unrolled as many times as M says
    when M is a constant, or as the declared length of a used scan output
    says; each step's results count only while the loop is still running,
    and a Compress of the stacked scan outputs checks at run time that the
    loop ran exactly the declared number of times.
  }];
  let arguments = (ins Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region SizedRegion<1>:$body);
}

def Onnx_ScanOp : Onnx_Op<"Scan"> {
  let summary = "ONNX Scan: body applied along the scan inputs' axes, "
                "carrying state and stacking the scan outputs";
  let description = [{
    Opset 9 on: `inputs` are the initial states, then num_scan_inputs scan
    inputs. Opset 8 (`batched`): first the optional sequence_lens, and
    every input and output has a leading batch axis; scan inputs iterate
    axis 1. The sequence length is static, so the body is unrolled once
    per step (per batch entry too for opset 8).
  }];
  let arguments = (ins Variadic<AnyType>:$inputs, SI64Attr:$num_scan_inputs,
                   OptionalAttr<I64ArrayAttr>:$scan_input_axes,
                   OptionalAttr<I64ArrayAttr>:$scan_input_directions,
                   OptionalAttr<I64ArrayAttr>:$scan_output_axes,
                   OptionalAttr<I64ArrayAttr>:$scan_output_directions,
                   OptionalAttr<I64ArrayAttr>:$directions,
                   UnitAttr:$batched);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region SizedRegion<1>:$body);
}

//===----------------------------------------------------------------------===//
// Nodes without a dedicated op, absent optional inputs, subgraph results
//===----------------------------------------------------------------------===//

def Onnx_CustomOp : Op<Onnx_Dialect, "Custom",
    [DeclareOpInterfaceMethods<ShapeInferenceOpInterface>,
     RecursiveMemoryEffects]> {
  let summary = "an ONNX node onnxc has no dedicated op for";
  let description = [{
    Any node of any domain imports: `op_type` and `domain` name it, the
    ONNX attributes are kept in `onnx_attrs`, graph attributes (the bodies
    of nodes onnxc has no op for) become regions named by `subgraphs`, in
    that order, each ending in `onnx.Yield`. Regions see the values of the enclosing graph.
    Code generation does not know these ops: `onnxc-check-supported` lists
    every one of them in a single error.

    ```mlir
    %y = onnx.Custom "Sigmoid"(%x) {domain = "", onnx_attrs = {}}
        : (tensor<1x4xf32>) -> tensor<*xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$inputs, StrAttr:$op_type,
                   StrAttr:$domain, DictionaryAttr:$onnx_attrs,
                   OptionalAttr<StrArrayAttr>:$subgraphs);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region VariadicRegion<AnyRegion>:$bodies);
  let assemblyFormat = [{
    $op_type `(` $inputs `)` attr-dict `:` functional-type($inputs, results)
    ($bodies^)?
  }];
  let hasVerifier = 1;
}

def Onnx_NoValueOp : Op<Onnx_Dialect, "NoValue", [Pure]> {
  let summary = "an optional input the node leaves out";
  let description = [{
    ONNX marks an absent optional input with an empty name; ops with
    several optional inputs keep their operand positions with this value.
  }];
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict";
}

def Onnx_YieldOp : Op<Onnx_Dialect, "Yield", [Pure, Terminator, ReturnLike]> {
  let summary = "the outputs of a subgraph";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif
