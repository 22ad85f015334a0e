// Reductions, shape queries and data movement. Included by OnnxOps.td.
// Inputs that decide a result's shape (axes, perm, starts...) must be
// constants by shape inference; shape inference writes the resolved values
// back as explicit attributes, which is what code generation reads.
#ifndef ONNXC_ONNX_TENSOR_OPS
#define ONNXC_ONNX_TENSOR_OPS

//===----------------------------------------------------------------------===//
// Shape queries (folded to constants once shapes are known)
//===----------------------------------------------------------------------===//

def Onnx_ShapeOp : Onnx_Op<"Shape"> {
  let summary = "ONNX Shape: the input's dims [start, end) as int64";
  let arguments = (ins AnyTensor:$data,
                   DefaultValuedAttr<SI64Attr, "0">:$start,
                   OptionalAttr<SI64Attr>:$end);
  let results = (outs AnyTensor:$shape);
  let assemblyFormat = "`(` $data `)` attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Onnx_SizeOp : Onnx_Op<"Size"> {
  let summary = "ONNX Size: the input's element count as an int64 scalar";
  let arguments = (ins AnyTensor:$data);
  let results = (outs AnyTensor:$size);
  let assemblyFormat = "`(` $data `)` attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

// Optionals holding tensors: an optional with a value is the tensor itself;
// an absent input (onnx.NoValue) is the empty optional.
def Onnx_OptionalHasElementOp : Onnx_Op<"OptionalHasElement"> {
  let summary = "ONNX OptionalHasElement: whether the input holds a value "
                "(a bool scalar, folded to a constant)";
  let arguments = (ins Optional<AnyType>:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Onnx_OptionalGetElementOp : Onnx_Op<"OptionalGetElement"> {
  let summary = "ONNX OptionalGetElement: the tensor an optional holds "
                "(replaced by it in onnxc-decompose)";
  let arguments = (ins AnyType:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_CastLikeOp : Onnx_Op<"CastLike", [Onnx_Elementwise]> {
  let summary = "ONNX CastLike: input converted to target_type's element type";
  let description = [{
    Only the element type of `target_type` matters; the result has the
    input's shape. Lowered as Cast.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$target_type,
                   DefaultValuedAttr<SI64Attr, "1">:$saturate);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// `axes` comes as an attribute (older opsets) or as the constant input
// `axes_input`; shape inference resolves both, with noop_with_empty_axes,
// into the explicit sorted, non-negative `axes` attribute (empty: identity).
class Onnx_ReduceOp<string mnemonic, string what> : Onnx_Op<mnemonic> {
  let summary = "ONNX " # mnemonic # ": " # what # " over `axes`";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes_input,
                   OptionalAttr<I64ArrayAttr>:$axes,
                   DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                   DefaultValuedAttr<SI64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferShapes() {
      return inferReduction(*this);
    }
  }];
}

def Onnx_ReduceSumOp : Onnx_ReduceOp<"ReduceSum", "sum">;
def Onnx_ReduceMeanOp : Onnx_ReduceOp<"ReduceMean", "mean">;
def Onnx_ReduceMaxOp : Onnx_ReduceOp<"ReduceMax", "maximum">;
def Onnx_ReduceMinOp : Onnx_ReduceOp<"ReduceMin", "minimum">;
def Onnx_ReduceProdOp : Onnx_ReduceOp<"ReduceProd", "product">;
def Onnx_ReduceSumSquareOp : Onnx_ReduceOp<"ReduceSumSquare", "sum of squares">;
def Onnx_ReduceL1Op : Onnx_ReduceOp<"ReduceL1", "sum of absolute values">;
def Onnx_ReduceL2Op : Onnx_ReduceOp<"ReduceL2", "Euclidean norm">;
def Onnx_ReduceLogSumOp : Onnx_ReduceOp<"ReduceLogSum", "log of the sum">;
def Onnx_ReduceLogSumExpOp : Onnx_ReduceOp<"ReduceLogSumExp",
                                           "log of the sum of exponentials">;

class Onnx_ArgReduceOp<string mnemonic, string what> : Onnx_Op<mnemonic> {
  let summary = "ONNX " # mnemonic # ": int64 index of the " # what #
                " along `axis`";
  let arguments = (ins AnyTensor:$data,
                   DefaultValuedAttr<SI64Attr, "0">:$axis,
                   DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                   DefaultValuedAttr<SI64Attr, "0">:$select_last_index);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferShapes() {
      return inferArgReduction(*this);
    }
  }];
}

def Onnx_ArgMaxOp : Onnx_ArgReduceOp<"ArgMax", "first (or last) maximum">;
def Onnx_ArgMinOp : Onnx_ArgReduceOp<"ArgMin", "first (or last) minimum">;

def Onnx_LogSoftmaxOp : Onnx_Op<"LogSoftmax"> {
  let summary = "ONNX LogSoftmax along an axis";
  let description = [{ `coerce_2d` as for onnx.Softmax (opsets 1-12). }];
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   UnitAttr:$coerce_2d);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` $input `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Onnx_TransposeOp : Onnx_Op<"Transpose"> {
  let summary = "ONNX Transpose: axes permuted by `perm` (default: reversed)";
  let arguments = (ins AnyTensor:$data, OptionalAttr<I64ArrayAttr>:$perm);
  let results = (outs AnyTensor:$transposed);
  let assemblyFormat = "`(` $data `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_UnsqueezeOp : Onnx_Op<"Unsqueeze"> {
  let summary = "ONNX Unsqueeze: size-1 dims inserted at `axes` (a view)";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes_input,
                   OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$expanded);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_SqueezeOp : Onnx_Op<"Squeeze"> {
  let summary = "ONNX Squeeze: size-1 dims at `axes` (default: all) removed "
                "(a view)";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes_input,
                   OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$squeezed);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ConcatOp : Onnx_Op<"Concat"> {
  let summary = "ONNX Concat: inputs joined along `axis`";
  let arguments = (ins Variadic<AnyTensor>:$inputs, SI64Attr:$axis);
  let results = (outs AnyTensor:$concat_result);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_GatherOp : Onnx_Op<"Gather"> {
  let summary = "ONNX Gather: slices of data along `axis` picked by indices";
  let description = [{ Negative indices count from the end. }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<SI64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_SliceOp : Onnx_Op<"Slice"> {
  let summary = "ONNX Slice: data[starts:ends:steps] along axes";
  let description = [{
    Opset 10 on, starts/ends/axes/steps are inputs (`params`, in that
    order; absent ones are onnx.NoValue or left out); before, attributes.
    Shape inference resolves them into explicit `starts`, `ends` (clamped),
    `axes` and `steps` attributes over every axis.
  }];
  let arguments = (ins AnyTensor:$data, Variadic<AnyType>:$params,
                   OptionalAttr<I64ArrayAttr>:$starts,
                   OptionalAttr<I64ArrayAttr>:$ends,
                   OptionalAttr<I64ArrayAttr>:$axes,
                   OptionalAttr<I64ArrayAttr>:$steps);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// More data movement, generators and windows
//===----------------------------------------------------------------------===//

def Onnx_ExpandOp : Onnx_Op<"Expand"> {
  let summary = "ONNX Expand: the input broadcast with a constant `shape`";
  let arguments = (ins AnyTensor:$input, AnyTensor:$shape);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_TileOp : Onnx_Op<"Tile"> {
  let summary = "ONNX Tile: the input repeated `repeats` times per axis";
  let arguments = (ins AnyTensor:$input, AnyTensor:$repeats);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ConstantOfShapeOp : Onnx_Op<"ConstantOfShape"> {
  let summary = "ONNX ConstantOfShape: `value` (default float 0) filling a "
                "constant shape; folded to onnx.Constant";
  let arguments = (ins AnyTensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Onnx_RangeOp : Onnx_Op<"Range"> {
  let summary = "ONNX Range: start, start + delta, ... below limit; folded to "
                "onnx.Constant when the three inputs are constants";
  let arguments = (ins AnyTensor:$start, AnyTensor:$limit, AnyTensor:$delta);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Onnx_EyeLikeOp : Onnx_Op<"EyeLike"> {
  let summary = "ONNX EyeLike: ones on diagonal `k` of a 2-D tensor shaped "
                "like the input";
  let arguments = (ins AnyTensor:$input, OptionalAttr<SI64Attr>:$dtype,
                   DefaultValuedAttr<SI64Attr, "0">:$k);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_TriluOp : Onnx_Op<"Trilu"> {
  let summary = "ONNX Trilu: the upper (or lower) triangle from diagonal k";
  let description = [{ `k` is an optional scalar input, read at run time. }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$k,
                   DefaultValuedAttr<SI64Attr, "1">:$upper);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_GatherElementsOp : Onnx_Op<"GatherElements"> {
  let summary = "ONNX GatherElements: data at `indices` along `axis`, "
                "elsewhere at the output's own index";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<SI64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_CumSumOp : Onnx_Op<"CumSum"> {
  let summary = "ONNX CumSum: running sums along the `axis` input (resolved "
                "into the attribute when constant, else read at run time)";
  let arguments = (ins AnyTensor:$x, AnyTensor:$axis_input,
                   DefaultValuedAttr<SI64Attr, "0">:$exclusive,
                   DefaultValuedAttr<SI64Attr, "0">:$reverse,
                   OptionalAttr<SI64Attr>:$axis);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_HardmaxOp : Onnx_Op<"Hardmax"> {
  let summary = "ONNX Hardmax: 1 at the first maximum along `axis`, else 0";
  let description = [{ `coerce_2d` as for onnx.Softmax (opsets 1-12). }];
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   UnitAttr:$coerce_2d);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` $input `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_PadOp : Onnx_Op<"Pad"> {
  let summary = "ONNX Pad: constant, edge, reflect or wrap padding";
  let description = [{
    Opset 11 on, `pads` (and `axes`, opset 18) are constant inputs and
    `constant_value` an optional scalar input read at run time; before,
    `pads` and `value` are attributes. Shape inference writes explicit
    `pads` over every axis (negative pads crop).
  }];
  let arguments = (ins AnyTensor:$data, Variadic<AnyType>:$params,
                   DefaultValuedStrAttr<StrAttr, "constant">:$mode,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<F32Attr>:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_DepthToSpaceOp : Onnx_Op<"DepthToSpace"> {
  let summary = "ONNX DepthToSpace: channel blocks moved into space "
                "(DCR or CRD order)";
  let arguments = (ins AnyTensor:$input, SI64Attr:$blocksize,
                   DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_SpaceToDepthOp : Onnx_Op<"SpaceToDepth"> {
  let summary = "ONNX SpaceToDepth: spatial blocks moved into channels";
  let arguments = (ins AnyTensor:$input, SI64Attr:$blocksize);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_AveragePoolOp : Onnx_Op<"AveragePool"> {
  let summary = "ONNX AveragePool: mean over sliding windows";
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<SI64Attr, "0">:$count_include_pad,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   I64ArrayAttr:$kernel_shape,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` $X `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_LpPoolOp : Onnx_Op<"LpPool"> {
  let summary = "ONNX LpPool: the p-norm (sum of |x|^p)^(1/p) over sliding "
                "windows";
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   I64ArrayAttr:$kernel_shape,
                   DefaultValuedAttr<SI64Attr, "2">:$p,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` $X `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_LRNOp : Onnx_Op<"LRN"> {
  let summary = "ONNX LRN: X / (bias + alpha / size * sum of squares over "
                "`size` neighbouring channels)^beta";
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedAttr<F32Attr, "0.0001">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.75">:$beta,
                   DefaultValuedAttr<F32Attr, "1.0">:$bias,
                   SI64Attr:$size);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` $X `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ReverseSequenceOp : Onnx_Op<"ReverseSequence"> {
  let summary = "ONNX ReverseSequence: the first sequence_lens[b] steps of "
                "each batch entry reversed along `time_axis`";
  let arguments = (ins AnyTensor:$input, AnyTensor:$sequence_lens,
                   DefaultValuedAttr<SI64Attr, "1">:$batch_axis,
                   DefaultValuedAttr<SI64Attr, "0">:$time_axis);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_GlobalMaxPoolOp : Onnx_Op<"GlobalMaxPool"> {
  let summary = "ONNX GlobalMaxPool: maximum over all spatial dims";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` $X `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_DropoutOp : Onnx_RandomOp<"Dropout"> {
  let summary = "ONNX Dropout: at inference the input (a view) and a mask "
                "of all true; in training, random dropout";
  let description = [{
    Inference mode (a constant false or absent training_mode, or a
    constant ratio of 0): onnxc-decompose replaces the mask by a constant.
    Otherwise onnxc-decompose writes the dropout out: mask = a float64
    RandomUniformLike >= ratio (default 0.5), output = input * mask /
    (1 - ratio), each chosen by Where when training_mode is read at run
    time. Params are ratio and training_mode.
  }];
  let arguments = (ins AnyTensor:$data, Variadic<AnyType>:$params,
                   OptionalAttr<SI64Attr>:$seed,
                   OptionalAttr<F32Attr>:$ratio,
                   OptionalAttr<SI64Attr>:$is_test);
  let results = (outs AnyTensor:$output, Optional<AnyTensor>:$mask);
  let extraClassDeclaration = [{
    /// Param `i` (0: ratio, 1: training_mode) when it is a constant scalar.
    std::optional<double> constantParam(unsigned i);
    /// Whether nothing is dropped: training_mode absent or a constant
    /// false, or a constant ratio of 0.
    bool isInference();
  }];
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_NegativeLogLikelihoodLossOp : Onnx_Op<"NegativeLogLikelihoodLoss"> {
  let summary = "ONNX NegativeLogLikelihoodLoss: -input[n, target[n, d...], "
                "d...] (weighted), reduced by `reduction`";
  let description = [{
    Targets equal to `ignore_index` contribute nothing (and no weight to a
    mean). `reduction` is none (a loss per target), sum or mean (weighted).
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$target,
                   Optional<AnyTensor>:$weight,
                   OptionalAttr<SI64Attr>:$ignore_index,
                   DefaultValuedStrAttr<StrAttr, "mean">:$reduction);
  let results = (outs AnyTensor:$loss);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Random generators (not Pure: each run draws anew unless seeded)
//===----------------------------------------------------------------------===//

// The runtime draws the values (`onnxc_rt_random`) from MT19937 in float64,
// converted to the result type. With a seed, every run restarts the
// generator from it, seeded as numpy's RandomState(seed) is, so the values
// are numpy's `uniform` and `normal` draws; without one, each run seeds a
// fresh generator.

def Onnx_RandomUniformOp : Onnx_RandomOp<"RandomUniform"> {
  let summary = "ONNX RandomUniform: values drawn uniformly from [low, high)";
  let arguments = (ins DefaultValuedAttr<SI64Attr, "1">:$dtype,
                   DefaultValuedAttr<F32Attr, "1.0">:$high,
                   DefaultValuedAttr<F32Attr, "0.0">:$low,
                   OptionalAttr<F32Attr>:$seed, I64ArrayAttr:$shape);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
}

def Onnx_RandomUniformLikeOp : Onnx_RandomOp<"RandomUniformLike"> {
  let summary = "ONNX RandomUniformLike: RandomUniform shaped like the "
                "input (and of its type unless `dtype` is set)";
  let arguments = (ins AnyTensor:$input, OptionalAttr<SI64Attr>:$dtype,
                   DefaultValuedAttr<F32Attr, "1.0">:$high,
                   DefaultValuedAttr<F32Attr, "0.0">:$low,
                   OptionalAttr<F32Attr>:$seed);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_RandomNormalOp : Onnx_RandomOp<"RandomNormal"> {
  let summary = "ONNX RandomNormal: values drawn from N(mean, scale^2)";
  let arguments = (ins DefaultValuedAttr<SI64Attr, "1">:$dtype,
                   DefaultValuedAttr<F32Attr, "0.0">:$mean,
                   DefaultValuedAttr<F32Attr, "1.0">:$scale,
                   OptionalAttr<F32Attr>:$seed, I64ArrayAttr:$shape);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
}

def Onnx_RandomNormalLikeOp : Onnx_RandomOp<"RandomNormalLike"> {
  let summary = "ONNX RandomNormalLike: RandomNormal shaped like the input "
                "(and of its type unless `dtype` is set)";
  let arguments = (ins AnyTensor:$input, OptionalAttr<SI64Attr>:$dtype,
                   DefaultValuedAttr<F32Attr, "0.0">:$mean,
                   DefaultValuedAttr<F32Attr, "1.0">:$scale,
                   OptionalAttr<F32Attr>:$seed);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_BernoulliOp : Onnx_RandomOp<"Bernoulli"> {
  let summary = "ONNX Bernoulli: 1 with probability input[i], else 0";
  let description = [{
    onnxc-decompose writes it as Cast(Less(RandomUniformLike(input) in
    float64, input)).
  }];
  let arguments = (ins AnyTensor:$input, OptionalAttr<SI64Attr>:$dtype,
                   OptionalAttr<F32Attr>:$seed);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Ops with several results (onnxc-decompose rewrites them into the ops
// above before fusion)
//===----------------------------------------------------------------------===//

def Onnx_SplitOp : Onnx_Op<"Split"> {
  let summary = "ONNX Split: the input cut into parts along `axis`";
  let description = [{
    Part sizes come from the constant `split` input (opset 13 on) or
    attribute, else equal parts (`num_outputs`, opset 18, lets the last be
    smaller).
  }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$split_input,
                   DefaultValuedAttr<SI64Attr, "0">:$axis,
                   OptionalAttr<I64ArrayAttr>:$split,
                   OptionalAttr<SI64Attr>:$num_outputs);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_LayerNormalizationOp : Onnx_Op<"LayerNormalization"> {
  let summary = "ONNX LayerNormalization over the axes from `axis` on";
  let description = [{
    Results: Y, Mean and InvStdDev (the last two may be unused).
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Scale, Optional<AnyTensor>:$B,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                   DefaultValuedAttr<SI64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y, AnyTensor:$Mean, AnyTensor:$InvStdDev);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_SoftmaxCrossEntropyLossOp : Onnx_Op<"SoftmaxCrossEntropyLoss"> {
  let summary = "ONNX SoftmaxCrossEntropyLoss: NegativeLogLikelihoodLoss of "
                "LogSoftmax(scores) along axis 1";
  let description = [{ Results: the loss and log_prob (which may be unused). }];
  let arguments = (ins AnyTensor:$scores, AnyTensor:$labels,
                   Optional<AnyTensor>:$weights,
                   OptionalAttr<SI64Attr>:$ignore_index,
                   DefaultValuedStrAttr<StrAttr, "mean">:$reduction);
  let results = (outs AnyTensor:$output, AnyTensor:$log_prob);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_BatchNormalizationOp : Onnx_Op<"BatchNormalization"> {
  let summary = "ONNX BatchNormalization at inference: (X - mean) / sqrt(var "
                "+ epsilon) * scale + B per channel";
  let description = [{
    At inference (training_mode 0) one result; in training mode the
    batch's own statistics normalize X and the running_mean and
    running_var results blend them into the inputs' with `momentum`.
    onnxc-decompose rewrites it into reductions and elementwise ops.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$B,
                   AnyTensor:$input_mean, AnyTensor:$input_var,
                   DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                   DefaultValuedAttr<SI64Attr, "0">:$training_mode,
                   OptionalAttr<SI64Attr>:$spatial);
  let results = (outs AnyTensor:$Y, Variadic<AnyTensor>:$running);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_InstanceNormalizationOp : Onnx_Op<"InstanceNormalization"> {
  let summary = "ONNX InstanceNormalization: per (n, c) over the spatial "
                "dims, then scale and B per channel";
  let arguments = (ins AnyTensor:$input, AnyTensor:$scale, AnyTensor:$B,
                   DefaultValuedAttr<F32Attr, "1e-05">:$epsilon);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_MeanVarianceNormalizationOp : Onnx_Op<"MeanVarianceNormalization"> {
  let summary = "ONNX MeanVarianceNormalization: (X - E[X]) / (sqrt(E[X^2] - "
                "E[X]^2) + 1e-9) over `axes`";
  let arguments = (ins AnyTensor:$X,
                   OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Scatter and N-d gather
//===----------------------------------------------------------------------===//

def Onnx_ScatterElementsOp : Onnx_Op<"ScatterElements"> {
  let summary = "ONNX ScatterElements: data with updates written (or "
                "reduced) at indices along `axis`";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                   DefaultValuedAttr<SI64Attr, "0">:$axis,
                   DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ScatterNDOp : Onnx_Op<"ScatterND"> {
  let summary = "ONNX ScatterND: data with update slices written (or "
                "reduced) at the index tuples of `indices`";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                   DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_GatherNDOp : Onnx_Op<"GatherND"> {
  let summary = "ONNX GatherND: slices of data at the index tuples of "
                "`indices`, after `batch_dims` shared leading dims";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<SI64Attr, "0">:$batch_dims);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def Onnx_DequantizeLinearOp : Onnx_Op<"DequantizeLinear"> {
  let summary = "ONNX DequantizeLinear: (x - zero_point) * scale, per tensor "
                "or per `axis`";
  let arguments = (ins AnyTensor:$x, AnyTensor:$x_scale,
                   Optional<AnyTensor>:$x_zero_point,
                   DefaultValuedAttr<SI64Attr, "1">:$axis,
                   DefaultValuedAttr<SI64Attr, "0">:$block_size);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_QuantizeLinearOp : Onnx_Op<"QuantizeLinear"> {
  let summary = "ONNX QuantizeLinear: saturate(round(x / scale) + "
                "zero_point), per tensor or per `axis`";
  let description = [{
    The result type is the zero point's (uint8 without one, or
    `output_dtype`); rounding is to nearest even.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$y_scale,
                   Optional<AnyTensor>:$y_zero_point,
                   DefaultValuedAttr<SI64Attr, "1">:$axis,
                   DefaultValuedAttr<SI64Attr, "0">:$block_size,
                   DefaultValuedAttr<SI64Attr, "0">:$output_dtype,
                   DefaultValuedAttr<SI64Attr, "1">:$saturate);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_DFTOp : Onnx_Op<"DFT"> {
  let summary = "ONNX DFT: the discrete Fourier transform of a real "
                "([..., 1]) or complex ([..., 2]) signal along one axis";
  let description = [{
    params: dft_length, axis (opset 20; onnx.NoValue where absent and a
    later one is present). The axis is the attribute (opsets 17-19, made
    explicit by the importer), a constant input (resolved into the
    attribute), or an input known only at run time, read by the kernel
    when it does not decide the result shape (onesided = 0).
  }];
  let arguments = (ins AnyTensor:$input, Variadic<AnyType>:$params,
                   OptionalAttr<SI64Attr>:$axis,
                   DefaultValuedAttr<SI64Attr, "0">:$inverse,
                   DefaultValuedAttr<SI64Attr, "0">:$onesided,
                   OptionalAttr<SI64Attr>:$length);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_DeformConvOp : Onnx_Op<"DeformConv"> {
  let summary = "ONNX DeformConv (2-D): a convolution whose taps are moved "
                "by per-position offsets, sampled bilinearly (zero outside) "
                "and scaled by an optional mask";
  let description = [{ `params` are B and mask (onnx.NoValue where absent and
    a later one is present). }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, AnyTensor:$offset,
                   Variadic<AnyType>:$params,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   DefaultValuedAttr<SI64Attr, "1">:$group,
                   OptionalAttr<I64ArrayAttr>:$kernel_shape,
                   DefaultValuedAttr<SI64Attr, "1">:$offset_group,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_STFTOp : Onnx_Op<"STFT"> {
  let summary = "ONNX STFT: windowed DFTs of a real or complex signal's "
                "frames, [batch, frames, bins, 2]";
  let description = [{
    `params` are window and frame_length (onnx.NoValue where absent and a
    later one is present). frame_step and frame_length may be read at run
    time: the result is then the declared one, and the kernel checks that
    they give it.
  }];
  let arguments = (ins AnyTensor:$signal, AnyTensor:$frame_step,
                   Variadic<AnyType>:$params,
                   DefaultValuedAttr<SI64Attr, "1">:$onesided);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_MelWeightMatrixOp : Onnx_Op<"MelWeightMatrix"> {
  let summary = "ONNX MelWeightMatrix: triangular mel filters over the "
                "dft_length / 2 + 1 frequency bins, as ONNX's reference "
                "computes them";
  let arguments = (ins AnyTensor:$num_mel_bins, AnyTensor:$dft_length,
                   AnyTensor:$sample_rate, AnyTensor:$lower_edge_hertz,
                   AnyTensor:$upper_edge_hertz,
                   DefaultValuedAttr<SI64Attr, "1">:$output_datatype);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_RoiAlignOp : Onnx_Op<"RoiAlign"> {
  let summary = "ONNX RoiAlign: each region of interest of X pooled to "
                "[output_height, output_width] by bilinear samples";
  let arguments = (ins AnyTensor:$X, AnyTensor:$rois, AnyTensor:$batch_indices,
                   DefaultValuedStrAttr<StrAttr, "half_pixel">:
                       $coordinate_transformation_mode,
                   DefaultValuedStrAttr<StrAttr, "avg">:$mode,
                   DefaultValuedAttr<SI64Attr, "1">:$output_height,
                   DefaultValuedAttr<SI64Attr, "1">:$output_width,
                   DefaultValuedAttr<SI64Attr, "0">:$sampling_ratio,
                   DefaultValuedAttr<F32Attr, "1.0">:$spatial_scale);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_Col2ImOp : Onnx_Op<"Col2Im"> {
  let summary = "ONNX Col2Im: the sliding blocks (columns) of input summed "
                "back into an image of image_shape";
  let description = [{
    image_shape and block_shape may be read at run time: the image shape is
    then the declared one, and the block shapes whose product and block
    count fit (`col2imBlockCandidates`) are each computed, the kernel
    selecting the one block_shape names (and failing if none).
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$image_shape,
                   AnyTensor:$block_shape,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_UniqueOp : Onnx_Op<"Unique"> {
  let summary = "ONNX Unique: the distinct slices of X along `axis` (its "
                "elements without one), sorted or in order of appearance, "
                "with their first indices, counts and the inverse map";
  let description = [{
    How many slices are distinct depends on the data, so the results take
    the count the model declares for Y, indices or counts. onnxc-decompose
    compares every pair of slices (quadratic) and picks the distinct ones
    with a Compress, whose kernel checks the count.
  }];
  let arguments = (ins AnyTensor:$X, OptionalAttr<SI64Attr>:$axis,
                   DefaultValuedAttr<SI64Attr, "1">:$sorted);
  let results = (outs AnyTensor:$Y, AnyTensor:$indices,
                      AnyTensor:$inverse_indices, AnyTensor:$counts);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_NonMaxSuppressionOp : Onnx_Op<"NonMaxSuppression"> {
  let summary = "ONNX NonMaxSuppression: per batch and class, the boxes "
                "kept by greedy suppression in descending score order";
  let description = [{
    `params` are max_output_boxes_per_class, iou_threshold and
    score_threshold, in that order (absent ones are onnx.NoValue or left
    out); the kernel reads them at run time. The number of selected boxes
    depends on the data, so the result takes the shape the model declares,
    [num_selected, 3], and the kernel checks it.
  }];
  let arguments = (ins AnyTensor:$boxes, AnyTensor:$scores,
                   Variadic<AnyType>:$params,
                   DefaultValuedAttr<SI64Attr, "0">:$center_point_box);
  let results = (outs AnyTensor:$selected_indices);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_EinsumOp : Onnx_Op<"Einsum"> {
  let summary = "ONNX Einsum: sums of products of the inputs over the "
                "labels the equation leaves out of the output";
  let description = [{
    Shape inference rewrites `equation` into its explicit form: no spaces,
    the ellipsis replaced by letters the equation does not use, and the
    output after `->`. Each input term then has one letter per axis.
  }];
  let arguments = (ins Variadic<AnyTensor>:$Inputs, StrAttr:$equation);
  let results = (outs AnyTensor:$Output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_CenterCropPadOp : Onnx_Op<"CenterCropPad"> {
  let summary = "ONNX CenterCropPad: input centered in `shape` along `axes`, "
                "cropped or zero-padded";
  let arguments = (ins AnyTensor:$input_data, AnyTensor:$shape,
                   OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$output_data);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_AffineGridOp : Onnx_Op<"AffineGrid"> {
  let summary = "ONNX AffineGrid: theta applied to the normalized 2-D or 3-D "
                "grid of `size`";
  let arguments = (ins AnyTensor:$theta, AnyTensor:$size,
                   DefaultValuedAttr<SI64Attr, "0">:$align_corners);
  let results = (outs AnyTensor:$grid);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_NonZeroOp : Onnx_Op<"NonZero"> {
  let summary = "ONNX NonZero: the indices of X's non-zero elements, "
                "[rank, count], in row-major order";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ImageDecoderOp : Onnx_Op<"ImageDecoder"> {
  let summary = "ONNX ImageDecoder: an encoded image (uint8 bytes) decoded "
                "to [height, width, channels] uint8 pixels";
  let description = [{
    `pixel_format` is RGB, BGR (3 channels) or Grayscale (1). The image's
    size is known only once it is decoded, so the model must declare the
    result's shape; the run checks it. Computed by the runtime's
    `onnxc_rt_image_decode` (library onnxc_image: BMP, JPEG, JPEG 2000,
    PNG, PNM, TIFF, WebP).
  }];
  let arguments = (ins AnyTensor:$encoded_stream,
                   DefaultValuedAttr<StrAttr, "\"RGB\"">:$pixel_format);
  let results = (outs AnyTensor:$image);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_TfIdfVectorizerOp : Onnx_Op<"TfIdfVectorizer"> {
  let summary = "ONNX TfIdfVectorizer: counts of the pool's n-grams (with "
                "skips) in each row of X, weighted by `mode`";
  let arguments = (ins AnyTensor:$X, SI64Attr:$max_gram_length,
                   SI64Attr:$max_skip_count, SI64Attr:$min_gram_length,
                   StrAttr:$mode, I64ArrayAttr:$ngram_counts,
                   I64ArrayAttr:$ngram_indexes,
                   OptionalAttr<I64ArrayAttr>:$pool_int64s,
                   OptionalAttr<StrArrayAttr>:$pool_strings,
                   OptionalAttr<F32ArrayAttr>:$weights);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_DetOp : Onnx_Op<"Det"> {
  let summary = "ONNX Det: the determinants of X's trailing square matrices";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_TopKOp : Onnx_Op<"TopK"> {
  let summary = "ONNX TopK (opset 10 on): the K largest (or smallest) "
                "values along `axis`, sorted, and their indices";
  let description = [{
    onnxc-decompose ranks every element among its axis (ties keep the lower
    index first), picks the element of each rank, and keeps the first K: a
    Slice that reads K at run time when it is not a constant.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$K,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   DefaultValuedAttr<SI64Attr, "1">:$largest,
                   DefaultValuedAttr<SI64Attr, "1">:$sorted);
  let results = (outs AnyTensor:$Values, AnyTensor:$Indices);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_MaxUnpoolOp : Onnx_Op<"MaxUnpool"> {
  let summary = "ONNX MaxUnpool: X scattered to the flat positions I names "
                "in a zero tensor";
  let arguments = (ins AnyTensor:$X, AnyTensor:$I,
                   Optional<AnyTensor>:$output_shape,
                   I64ArrayAttr:$kernel_shape,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_OneHotOp : Onnx_Op<"OneHot"> {
  let summary = "ONNX OneHot: values[1] where an index (negative ones "
                "counting from depth) meets its position along `axis`, "
                "values[0] elsewhere";
  let arguments = (ins AnyTensor:$indices, AnyTensor:$depth,
                   AnyTensor:$values,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_CompressOp : Onnx_Op<"Compress"> {
  let summary = "ONNX Compress: the slices of input (flattened when there "
                "is no axis) where condition is true";
  let description = [{
    The result's length is the number of true conditions: known when the
    condition is a constant, else the declared one, which the kernel checks.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$condition,
                   OptionalAttr<SI64Attr>:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

class Onnx_WindowOp<string mnemonic> : Onnx_Op<mnemonic> {
  let summary = "ONNX " # mnemonic # ": a window of `size` samples";
  let arguments = (ins AnyTensor:$size,
                   DefaultValuedAttr<SI64Attr, "1">:$output_datatype,
                   DefaultValuedAttr<SI64Attr, "1">:$periodic);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}
def Onnx_HannWindowOp : Onnx_WindowOp<"HannWindow">;
def Onnx_HammingWindowOp : Onnx_WindowOp<"HammingWindow">;
def Onnx_BlackmanWindowOp : Onnx_WindowOp<"BlackmanWindow">;

def Onnx_ResizeOp : Onnx_Op<"Resize"> {
  let summary = "ONNX Resize (opset 11 on): nearest, n-linear or cubic "
                "interpolation of X to a new size";
  let description = [{
    `params` are roi, scales and sizes, in that order (absent ones are
    onnx.NoValue or left out). The result shape comes from constant scales
    or sizes, or is the declared one when they are read at run time; the
    kernel then checks them. Axes whose size does not change are copied
    (their scale must be 1). Antialias (linear and cubic) stretches the
    filter by 1 / scale when downsampling, as ONNX's reference does.
  }];
  let arguments = (ins AnyTensor:$X, Variadic<AnyType>:$params,
                   DefaultValuedAttr<SI64Attr, "0">:$antialias,
                   OptionalAttr<I64ArrayAttr>:$axes,
                   DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
                   DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<SI64Attr, "0">:$exclude_outside,
                   DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
                   DefaultValuedStrAttr<StrAttr, "stretch">:$keep_aspect_ratio_policy,
                   DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
                   DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode);
  let results = (outs AnyTensor:$Y);
  let extraClassDeclaration = [{
    mlir::LogicalResult checkAntialiasTaps(llvm::ArrayRef<int64_t> out);
  }];
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_GridSampleOp : Onnx_Op<"GridSample"> {
  let summary = "ONNX GridSample: X [N, C, d...] sampled at the normalized "
                "coordinates of grid [N, o..., rank(d)]";
  let description = [{
    `mode` is linear, nearest or cubic (opset 16's bilinear and bicubic
    mean the same); out-of-range samples follow `padding_mode` (zeros,
    border, reflection).
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$grid,
                   DefaultValuedAttr<SI64Attr, "0">:$align_corners,
                   DefaultValuedStrAttr<StrAttr, "linear">:$mode,
                   DefaultValuedStrAttr<StrAttr, "zeros">:$padding_mode);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Recurrent networks
//===----------------------------------------------------------------------===//

// RNN, GRU and LSTM: X, W, R, then the optional inputs in ONNX's order (B,
// sequence_lens, initial_h, and for LSTM initial_c and P; onnx.NoValue
// where absent and a later one is present). onnxc-decompose unrolls them
// over the (static) sequence into MatMuls and elementwise ops.
class Onnx_RecurrentOp<string mnemonic, string what, dag extraAttrs,
                       dag outs>
    : Onnx_Op<mnemonic> {
  let summary = "ONNX " # mnemonic # ": " # what;
  let arguments = !con(
      (ins AnyTensor:$X, AnyTensor:$W, AnyTensor:$R, Variadic<AnyType>:$params,
           OptionalAttr<F32ArrayAttr>:$activation_alpha,
           OptionalAttr<F32ArrayAttr>:$activation_beta,
           OptionalAttr<StrArrayAttr>:$activations,
           OptionalAttr<F32Attr>:$clip,
           DefaultValuedStrAttr<StrAttr, "forward">:$direction,
           OptionalAttr<SI64Attr>:$hidden_size,
           DefaultValuedAttr<SI64Attr, "0">:$layout),
      extraAttrs);
  let results = outs;
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_RNNOp : Onnx_RecurrentOp<"RNN", "H = f(X W^T + H R^T + Wb + Rb)",
    (ins), (outs AnyTensor:$Y, AnyTensor:$Y_h)>;
def Onnx_GRUOp : Onnx_RecurrentOp<"GRU",
    "gated recurrent unit (update, reset and hidden gates)",
    (ins DefaultValuedAttr<SI64Attr, "0">:$linear_before_reset),
    (outs AnyTensor:$Y, AnyTensor:$Y_h)>;
def Onnx_LSTMOp : Onnx_RecurrentOp<"LSTM",
    "long short-term memory (input, output, forget and cell gates)",
    (ins DefaultValuedAttr<SI64Attr, "0">:$input_forget),
    (outs AnyTensor:$Y, AnyTensor:$Y_h, AnyTensor:$Y_c)>;

// Integer and quantized matrix products, rewritten by onnxc-decompose into
// casts, MatMul (which accumulates integers exactly in their type) and
// QuantizeLinear.
def Onnx_GroupNormalizationOp : Onnx_Op<"GroupNormalization"> {
  let summary = "ONNX GroupNormalization: X normalized over each group of "
                "channels and its spatial dims, then scaled and shifted";
  let description = [{
    scale and bias hold one value per channel (opset 21) or per group
    (opset 18). onnxc-decompose rewrites it over a [N, groups, rest] view.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$bias,
                   DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                   SI64Attr:$num_groups,
                   DefaultValuedAttr<SI64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_MatMulIntegerOp : Onnx_Op<"MatMulInteger"> {
  let summary = "ONNX MatMulInteger: (A - a_zero_point) x (B - b_zero_point) "
                "in int32";
  // zero_points: a_zero_point, b_zero_point (onnx.NoValue when absent and
  // b_zero_point is present).
  let arguments = (ins AnyTensor:$A, AnyTensor:$B,
                   Variadic<AnyType>:$zero_points);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_QLinearMatMulOp : Onnx_Op<"QLinearMatMul"> {
  let summary = "ONNX QLinearMatMul: the integer product of the zero-point "
                "shifted inputs, scaled by a_scale * b_scale / y_scale and "
                "shifted by y_zero_point";
  let arguments = (ins AnyTensor:$a, AnyTensor:$a_scale, AnyType:$a_zero_point,
                   AnyTensor:$b, AnyTensor:$b_scale, AnyType:$b_zero_point,
                   AnyTensor:$y_scale, Optional<AnyType>:$y_zero_point);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ConvIntegerOp : Onnx_Op<"ConvInteger"> {
  let summary = "ONNX ConvInteger: Conv of (x - x_zero_point) and "
                "(w - w_zero_point) in int32";
  // zero_points: x_zero_point, w_zero_point (onnx.NoValue when absent and
  // w_zero_point is present).
  let arguments = (ins AnyTensor:$x, AnyTensor:$w,
                   Variadic<AnyType>:$zero_points,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   DefaultValuedAttr<SI64Attr, "1">:$group,
                   OptionalAttr<I64ArrayAttr>:$kernel_shape,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_QLinearConvOp : Onnx_Op<"QLinearConv"> {
  let summary = "ONNX QLinearConv: the int32 Conv of the zero-point shifted "
                "inputs (plus B), scaled by x_scale * w_scale / y_scale, "
                "shifted by y_zero_point and saturated";
  // params: y_zero_point, B.
  let arguments = (ins AnyTensor:$x, AnyTensor:$x_scale, AnyType:$x_zero_point,
                   AnyTensor:$w, AnyTensor:$w_scale, AnyType:$w_zero_point,
                   AnyTensor:$y_scale, Variadic<AnyType>:$rest,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   DefaultValuedAttr<SI64Attr, "1">:$group,
                   OptionalAttr<I64ArrayAttr>:$kernel_shape,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// y_zero_point, or null.
    ::mlir::Value getYZeroPoint() {
      auto rest = getRest();
      return rest.empty() || ::llvm::isa<::mlir::NoneType>(rest[0].getType())
                 ? ::mlir::Value() : rest[0];
    }
    /// B (int32 [M]), or null.
    ::mlir::Value getB() {
      auto rest = getRest();
      return rest.size() > 1 ? rest[1] : ::mlir::Value();
    }
  }];
}

def Onnx_DynamicQuantizeLinearOp : Onnx_Op<"DynamicQuantizeLinear"> {
  let summary = "ONNX DynamicQuantizeLinear: x quantized to uint8 with the "
                "scale and zero point its range gives";
  let arguments = (ins AnyTensor:$x);
  let results = (outs AnyTensor:$y, AnyTensor:$y_scale,
                      AnyTensor:$y_zero_point);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ConvTransposeOp : Onnx_Op<"ConvTranspose"> {
  let summary = "ONNX ConvTranspose: the gradient of Conv with respect to its "
                "input (a fractionally strided convolution)";
  let description = [{
    W is [C, M/group, kernel...]. Shape inference resolves auto_pad and
    output_shape into explicit `pads`, `strides`, `dilations`,
    `kernel_shape` and `output_padding`.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, Optional<AnyTensor>:$B,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<I64ArrayAttr>:$dilations,
                   DefaultValuedAttr<SI64Attr, "1">:$group,
                   OptionalAttr<I64ArrayAttr>:$kernel_shape,
                   OptionalAttr<I64ArrayAttr>:$output_padding,
                   OptionalAttr<I64ArrayAttr>:$output_shape,
                   OptionalAttr<I64ArrayAttr>:$pads,
                   OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_StringNormalizerOp : Onnx_Op<"StringNormalizer"> {
  let summary = "ONNX StringNormalizer: X ([C] or [1, C]) without its "
                "stopwords, case changed";
  let description = [{
    How many strings remain depends on the data when there are stopwords,
    so the result takes the length the model declares, which the kernel
    checks. When every string is removed the result is [""] (shape [1] or
    [1, 1]). Case mapping is Unicode's simple one (C.UTF-8); `locale` is
    not read.
  }];
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "NONE">:$case_change_action,
                   DefaultValuedAttr<SI64Attr, "0">:$is_case_sensitive,
                   OptionalAttr<StrAttr>:$locale,
                   OptionalAttr<StrArrayAttr>:$stopwords);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_StringSplitOp : Onnx_Op<"StringSplit"> {
  let summary = "ONNX StringSplit: each element of X split at `delimiter` "
                "(or at whitespace runs), padded with empty strings";
  let description = [{
    Y is X's shape plus the most substrings of one element, which depends
    on the data: the model declares it and the kernel checks it. Z holds
    each element's count. onnxc-decompose makes one op per used result:
    one for Y, one with `select_lengths` computing Z as its only result.
  }];
  let arguments = (ins AnyTensor:$X, OptionalAttr<StrAttr>:$delimiter,
                   OptionalAttr<SI64Attr>:$maxsplit,
                   UnitAttr:$select_lengths);
  let results = (outs AnyTensor:$Y, Optional<AnyTensor>:$Z);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Sequences: expanded by onnxc-infer-shapes into the tensors they hold
//===----------------------------------------------------------------------===//

class Onnx_SequenceOp<string mnemonic, string what>
    : Onnx_Op<mnemonic> {
  let summary = "ONNX " # mnemonic # ": " # what;
  let description = [{
    A sequence is known at compile time as the list of its tensors:
    onnx.SequenceConstruct of them. onnxc-infer-shapes rewrites every other
    sequence op on such a list (positions read at run time select with
    Where, or with a Compress that also checks the position, among
    elements of one type).
  }];
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_SequenceConstructOp : Onnx_SequenceOp<"SequenceConstruct",
    "the sequence of the input tensors"> {
  let arguments = (ins Variadic<AnyTensor>:$inputs);
  let results = (outs AnyType:$output_sequence);
}
def Onnx_SequenceEmptyOp : Onnx_SequenceOp<"SequenceEmpty",
    "an empty sequence"> {
  let arguments = (ins OptionalAttr<SI64Attr>:$dtype);
  let results = (outs AnyType:$output);
}
def Onnx_SequenceInsertOp : Onnx_SequenceOp<"SequenceInsert",
    "the sequence with `tensor` inserted at `position` (the end without)"> {
  let arguments = (ins AnyType:$input_sequence, AnyTensor:$tensor,
                   Optional<AnyTensor>:$position);
  let results = (outs AnyType:$output_sequence);
}
def Onnx_SequenceEraseOp : Onnx_SequenceOp<"SequenceErase",
    "the sequence without the tensor at `position` (the last without)"> {
  let arguments = (ins AnyType:$input_sequence,
                   Optional<AnyTensor>:$position);
  let results = (outs AnyType:$output_sequence);
}
def Onnx_SequenceAtOp : Onnx_SequenceOp<"SequenceAt",
    "the tensor at `position`"> {
  let arguments = (ins AnyType:$input_sequence, AnyTensor:$position);
  let results = (outs AnyTensor:$tensor);
}
def Onnx_SequenceLengthOp : Onnx_SequenceOp<"SequenceLength",
    "the number of tensors"> {
  let arguments = (ins AnyType:$input_sequence);
  let results = (outs AnyTensor:$length);
}
def Onnx_ConcatFromSequenceOp : Onnx_SequenceOp<"ConcatFromSequence",
    "the tensors joined along `axis` (stacked on a new one with new_axis)"> {
  let arguments = (ins AnyType:$input_sequence, SI64Attr:$axis,
                   DefaultValuedAttr<SI64Attr, "0">:$new_axis);
  let results = (outs AnyTensor:$concat_result);
}
def Onnx_SequenceMapOp : Onnx_Op<"SequenceMap"> {
  let summary = "ONNX SequenceMap: body applied to the sequences' tensors "
                "one position at a time, its results gathered in sequences";
  let description = [{
    `inputs` are sequences of one length (the first must be one) and
    tensors; the body takes, for each position, the sequences' tensors at
    it and the tensors as they are, and yields one tensor per output
    sequence. onnxc-infer-shapes unrolls it once per position.
  }];
  let arguments = (ins Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region SizedRegion<1>:$body);
}
def Onnx_SplitToSequenceOp : Onnx_SequenceOp<"SplitToSequence",
    "input split along `axis` into a sequence"> {
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$split,
                   DefaultValuedAttr<SI64Attr, "0">:$axis,
                   DefaultValuedAttr<SI64Attr, "1">:$keepdims);
  let results = (outs AnyType:$output_sequence);
}

//===----------------------------------------------------------------------===//
// ai.onnx.ml ops (same names in this dialect; no default-domain op has them)
//===----------------------------------------------------------------------===//

def Onnx_BinarizerOp : Onnx_Op<"Binarizer"> {
  let summary = "ONNX-ML Binarizer: 1 where X > threshold, else 0, in X's type";
  let description = [{ onnxc-decompose writes it as Cast(Greater). }];
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedAttr<F32Attr, "0.0">:$threshold);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_ArrayFeatureExtractorOp : Onnx_Op<"ArrayFeatureExtractor"> {
  let summary = "ONNX-ML ArrayFeatureExtractor: X's entries at indices Y "
                "along its last axis (a 1-D X gives [1, len(Y)])";
  let description = [{ onnxc-decompose writes it as a Gather. }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$Z);
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_LabelEncoderOp : Onnx_Op<"LabelEncoder"> {
  let summary = "ONNX-ML LabelEncoder (opset 2 on): each element of X "
                "mapped through the keys to the values, else the default";
  let description = [{
    Keys and values come from exactly one keys_* and one values_*
    attribute each (lists of int64, float or string, or a 1-D tensor);
    the result's element type is the values'. Computed by the runtime
    (a lookup per element; float keys match bit for bit).
  }];
  let arguments = (ins AnyTensor:$X,
                   OptionalAttr<F32Attr>:$default_float,
                   OptionalAttr<SI64Attr>:$default_int64,
                   OptionalAttr<StrAttr>:$default_string,
                   OptionalAttr<ElementsAttr>:$default_tensor,
                   OptionalAttr<F32ArrayAttr>:$keys_floats,
                   OptionalAttr<I64ArrayAttr>:$keys_int64s,
                   OptionalAttr<StrArrayAttr>:$keys_strings,
                   OptionalAttr<ElementsAttr>:$keys_tensor,
                   OptionalAttr<F32ArrayAttr>:$values_floats,
                   OptionalAttr<I64ArrayAttr>:$values_int64s,
                   OptionalAttr<StrArrayAttr>:$values_strings,
                   OptionalAttr<ElementsAttr>:$values_tensor);
  let results = (outs AnyTensor:$Y);
  let extraClassDeclaration = [{
    /// The keys, the values and the default as tensors (from whichever
    /// attributes are set); fails with an error when they do not fit.
    ::mlir::LogicalResult getTable(::mlir::DenseElementsAttr &keys,
                                   ::mlir::DenseElementsAttr &values,
                                   ::mlir::DenseElementsAttr &dflt);
  }];
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

def Onnx_TreeEnsembleOp : Onnx_Op<"TreeEnsemble"> {
  let summary = "ONNX-ML TreeEnsemble (ML opset 5): X [N, F] through every "
                "tree, the leaves' weights aggregated per target";
  let description = [{
    Shape inference checks the tables (lengths, node and leaf ids, features,
    targets, one NaN-ended member set per BRANCH_MEMBER node) and that every
    tree is acyclic. Computed by the runtime in float64
    (`onnxc_rt_tree_ensemble`); post_transform PROBIT is not supported.
  }];
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedAttr<SI64Attr, "1">:$aggregate_function,
                   OptionalAttr<ElementsAttr>:$leaf_weights,
                   OptionalAttr<I64ArrayAttr>:$leaf_targetids,
                   OptionalAttr<ElementsAttr>:$membership_values,
                   OptionalAttr<SI64Attr>:$n_targets,
                   OptionalAttr<I64ArrayAttr>:$nodes_falseleafs,
                   OptionalAttr<I64ArrayAttr>:$nodes_falsenodeids,
                   OptionalAttr<I64ArrayAttr>:$nodes_featureids,
                   OptionalAttr<ElementsAttr>:$nodes_hitrates,
                   OptionalAttr<I64ArrayAttr>:$nodes_missing_value_tracks_true,
                   OptionalAttr<ElementsAttr>:$nodes_modes,
                   OptionalAttr<ElementsAttr>:$nodes_splits,
                   OptionalAttr<I64ArrayAttr>:$nodes_trueleafs,
                   OptionalAttr<I64ArrayAttr>:$nodes_truenodeids,
                   DefaultValuedAttr<SI64Attr, "0">:$post_transform,
                   OptionalAttr<I64ArrayAttr>:$tree_roots);
  let results = (outs AnyTensor:$Y);
  let extraClassDeclaration = [{
    /// The tables as the runtime reads them (see onnxc_rt_tree_ensemble);
    /// fails with an error naming what is wrong.
    ::mlir::LogicalResult getTables(::llvm::SmallVectorImpl<int64_t> &ints,
                                    ::llvm::SmallVectorImpl<double> &reals);
  }];
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

#endif
