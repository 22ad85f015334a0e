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
    (`auto_pad` becomes `pads`; constant axes, perm, starts... become
    attributes). Results known at compile time (no elements, a folder, or
    all-constant operands computed by the constant evaluator) become
    onnx.Constant. If, Loop and Scan are expanded where they stand (their
    bodies cloned, once per step for the loops; see ControlFlow.cpp), each
    clone inferred as it is made. The function's result types are then set
    to the inferred ones; a result type the model declared must agree.
  }];
  let dependentDialects = ["onnxc::onnx::OnnxDialect"];
}

def Decompose : Pass<"onnxc-decompose", "mlir::func::FuncOp"> {
  let summary = "Rewrite ops with several results, and compound "
                "normalizations, into simpler ops";
  let description = [{
    Runs after shape inference. Kernels compute one tensor each, so ops
    with several results become the ops they are made of: Split becomes a
    Slice per part; LayerNormalization becomes ReduceMean, Sub, Mul, Add,
    Sqrt and Reciprocal (Mean and InvStdDev are intermediate values);
    SoftmaxCrossEntropyLoss becomes LogSoftmax and
    NegativeLogLikelihoodLoss. The normalizations that are compositions of
    elementwise ops and reductions (BatchNormalization at inference,
    InstanceNormalization, MeanVarianceNormalization) are expanded the
    same way. A float32 BatchNormalization at inference of a Conv's only
    result, every parameter constant, is folded into the conv's weights and
    bias at compile time instead. The new ops get their types from their
    own shape inference.
  }];
  let dependentDialects = ["onnxc::onnx::OnnxDialect"];
}

def CheckSupported : Pass<"onnxc-check-supported", "mlir::func::FuncOp"> {
  let summary = "Reject, in one error, everything code generation cannot do";
  let description = [{
    The importer accepts every valid model; this pass is where a model
    meets the limits of code generation. It lists every onnx.Custom op
    (nodes without a dedicated op, by name and op type) and every graph
    input with a dynamic dim in a single error, so the user sees all that
    is missing at once.
  }];
}

def BatchInputs : Pass<"onnxc-batch-inputs", "mlir::func::FuncOp"> {
  let summary = "Compile a model with a dynamic batch dim for one item";
  let description = [{
    When every dynamic dim of the graph inputs is dim 0 and they share one
    name (the batch), those dims become 1, the inputs are marked
    `onnx.batched`, and the function gets `onnx.batch` (the dim's name). onnxc-check-batch
    later proves the graph computes each item alone, and the host code
    runs it once per item. Other dynamic dims are left for
    onnxc-check-supported to refuse.
  }];
}

def CheckBatch : Pass<"onnxc-check-batch", "mlir::func::FuncOp"> {
  let summary = "Prove a one-item graph computes each batch item alone";
  let description = [{
    Runs after shape inference and decomposition on functions marked
    `onnx.batch`. Values computed from batched inputs carry the batch as
    their dim 0; every op on them must work on each item alone along it
    (elementwise ops at the same rank; conv, pooling, resize on the data
    operand; reductions, softmax, concat, slices, gathers, transposes and
    reshapes that leave dim 0 alone; MatMul and Gemm whose other operand
    broadcasts), and every graph output must carry the batch (marked
    `onnx.batched`). Anything else is an error naming the op.
  }];
}

#endif
