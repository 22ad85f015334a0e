// Elementwise onnx ops: one result element per (broadcast) operand element.
// Included by OnnxOps.td. Each family shares its shape inference:
// numpy broadcasting of every tensor operand, and a result element type that
// is the first operand's unless the family says otherwise. The scalar
// semantics of each op live in codegen/halide (elementwiseExpr).
#ifndef ONNXC_ONNX_ELEMENTWISE_OPS
#define ONNXC_ONNX_ELEMENTWISE_OPS

// Marks ops computed element by element, so that fusion can chain them.
def Onnx_Elementwise : NativeOpTrait<"Elementwise"> {
  let cppNamespace = "::onnxc::onnx::OpTrait";
}

// `resultType` is C++ for the result element type (given `operandType`, the
// first operand's), e.g. a bool for comparisons.
class Onnx_ElementwiseOp<string mnemonic, string what, dag args,
                         string resultType = "operandType">
    : Onnx_Op<mnemonic, [Onnx_Elementwise]> {
  let summary = "ONNX " # mnemonic # ": " # what;
  let arguments = args;
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferShapes() {
      return inferElementwise(*this, [&](::mlir::Type operandType) {
        return }] # resultType # [{;
      });
    }
  }];
}

class Onnx_UnaryOp<string mnemonic, string what, dag attrs = (ins)>
    : Onnx_ElementwiseOp<mnemonic, what, !con((ins AnyTensor:$X), attrs)>;

class Onnx_PredicateOp<string mnemonic, string what, dag args>
    : Onnx_ElementwiseOp<mnemonic, what, args, "::mlir::IntegerType::get(getContext(), 1)">;

class Onnx_BinaryOp<string mnemonic, string what, dag attrs = (ins)>
    : Onnx_ElementwiseOp<mnemonic, what # ", numpy broadcasting",
                         !con((ins AnyTensor:$A, AnyTensor:$B), attrs)>;

class Onnx_VariadicOp<string mnemonic, string what>
    : Onnx_ElementwiseOp<mnemonic, what # " of all inputs, numpy broadcasting",
                         (ins Variadic<AnyTensor>:$data)>;

//===----------------------------------------------------------------------===//
// Unary math and activations
//===----------------------------------------------------------------------===//

def Onnx_AbsOp : Onnx_UnaryOp<"Abs", "|X|">;
def Onnx_NegOp : Onnx_UnaryOp<"Neg", "-X">;
def Onnx_CeilOp : Onnx_UnaryOp<"Ceil", "ceil(X)">;
def Onnx_FloorOp : Onnx_UnaryOp<"Floor", "floor(X)">;
def Onnx_RoundOp : Onnx_UnaryOp<"Round", "X rounded to nearest, ties to even">;
def Onnx_SqrtOp : Onnx_UnaryOp<"Sqrt", "sqrt(X)">;
def Onnx_ExpOp : Onnx_UnaryOp<"Exp", "exp(X)">;
def Onnx_LogOp : Onnx_UnaryOp<"Log", "ln(X)">;
def Onnx_SinOp : Onnx_UnaryOp<"Sin", "sin(X)">;
def Onnx_CosOp : Onnx_UnaryOp<"Cos", "cos(X)">;
def Onnx_TanOp : Onnx_UnaryOp<"Tan", "tan(X)">;
def Onnx_AsinOp : Onnx_UnaryOp<"Asin", "asin(X)">;
def Onnx_AcosOp : Onnx_UnaryOp<"Acos", "acos(X)">;
def Onnx_AtanOp : Onnx_UnaryOp<"Atan", "atan(X)">;
def Onnx_SinhOp : Onnx_UnaryOp<"Sinh", "sinh(X)">;
def Onnx_CoshOp : Onnx_UnaryOp<"Cosh", "cosh(X)">;
def Onnx_AsinhOp : Onnx_UnaryOp<"Asinh", "asinh(X)">;
def Onnx_AcoshOp : Onnx_UnaryOp<"Acosh", "acosh(X)">;
def Onnx_AtanhOp : Onnx_UnaryOp<"Atanh", "atanh(X)">;
def Onnx_TanhOp : Onnx_UnaryOp<"Tanh", "tanh(X)">;
def Onnx_ErfOp : Onnx_UnaryOp<"Erf", "the error function of X">;
def Onnx_SigmoidOp : Onnx_UnaryOp<"Sigmoid", "1 / (1 + exp(-X))">;
def Onnx_ReciprocalOp : Onnx_UnaryOp<"Reciprocal", "1 / X">;
def Onnx_SignOp : Onnx_UnaryOp<"Sign", "-1, 0 or 1 by the sign of X">;
def Onnx_SoftplusOp : Onnx_UnaryOp<"Softplus", "ln(exp(X) + 1)">;
def Onnx_SoftsignOp : Onnx_UnaryOp<"Softsign", "X / (1 + |X|)">;
def Onnx_NotOp : Onnx_UnaryOp<"Not", "logical not">;
def Onnx_BitwiseNotOp : Onnx_UnaryOp<"BitwiseNot", "~X">;
def Onnx_ReluOp : Onnx_UnaryOp<"Relu", "max(X, 0)">;
def Onnx_HardSwishOp : Onnx_UnaryOp<"HardSwish", "X * HardSigmoid(X; 1/6, 1/2)">;
def Onnx_MishOp : Onnx_UnaryOp<"Mish", "X * tanh(Softplus(X))">;
def Onnx_LeakyReluOp : Onnx_UnaryOp<"LeakyRelu", "X < 0 ? alpha * X : X",
    (ins DefaultValuedAttr<F32Attr, "0.01">:$alpha)>;
def Onnx_EluOp : Onnx_UnaryOp<"Elu", "X < 0 ? alpha * (exp(X) - 1) : X",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Onnx_SeluOp : Onnx_UnaryOp<"Selu",
    "gamma * (X <= 0 ? alpha * (exp(X) - 1) : X)",
    (ins DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
         DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma)>;
def Onnx_CeluOp : Onnx_UnaryOp<"Celu",
    "max(0, X) + min(0, alpha * (exp(X / alpha) - 1))",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Onnx_HardSigmoidOp : Onnx_UnaryOp<"HardSigmoid",
    "max(0, min(1, alpha * X + beta))",
    (ins DefaultValuedAttr<F32Attr, "0.2">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5">:$beta)>;
def Onnx_ThresholdedReluOp : Onnx_UnaryOp<"ThresholdedRelu",
    "X > alpha ? X : 0", (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Onnx_GeluOp : Onnx_UnaryOp<"Gelu",
    "X * Phi(X), exactly (erf) or with the tanh approximation",
    (ins DefaultValuedStrAttr<StrAttr, "none">:$approximate)>;
def Onnx_ShrinkOp : Onnx_UnaryOp<"Shrink",
    "X < -lambd ? X + bias : X > lambd ? X - bias : 0",
    (ins DefaultValuedAttr<F32Attr, "0.0">:$bias,
         DefaultValuedAttr<F32Attr, "0.5">:$lambd)>;

def Onnx_IsNaNOp : Onnx_PredicateOp<"IsNaN", "X is NaN", (ins AnyTensor:$X)>;
def Onnx_IsInfOp : Onnx_PredicateOp<"IsInf",
    "X is an infinity (of the signs asked for)",
    (ins AnyTensor:$X, DefaultValuedAttr<SI64Attr, "1">:$detect_negative,
         DefaultValuedAttr<SI64Attr, "1">:$detect_positive)>;

def Onnx_CastOp : Onnx_ElementwiseOp<"Cast",
    "X converted to the element type `to` (a TensorProto.DataType)",
    (ins AnyTensor:$X, SI64Attr:$to,
         DefaultValuedAttr<SI64Attr, "1">:$saturate),
    "elementTypeOf(getContext(), getTo())">;

//===----------------------------------------------------------------------===//
// Binary and variadic
//===----------------------------------------------------------------------===//

def Onnx_AddOp : Onnx_BinaryOp<"Add", "A + B">;
def Onnx_SubOp : Onnx_BinaryOp<"Sub", "A - B">;
def Onnx_MulOp : Onnx_BinaryOp<"Mul", "A * B">;
def Onnx_DivOp : Onnx_BinaryOp<"Div", "A / B (integers truncate)">;
def Onnx_PowOp : Onnx_BinaryOp<"Pow", "A to the power B, of A's type">;
def Onnx_ModOp : Onnx_BinaryOp<"Mod",
    "A mod B: the sign of B (Python), or of A with fmod = 1 (C fmod)",
    (ins DefaultValuedAttr<SI64Attr, "0">:$fmod)>;
def Onnx_BitShiftOp : Onnx_BinaryOp<"BitShift",
    "A shifted by B bits, `direction` LEFT or RIGHT",
    (ins StrAttr:$direction)>;
def Onnx_BitwiseAndOp : Onnx_BinaryOp<"BitwiseAnd", "A & B">;
def Onnx_BitwiseOrOp : Onnx_BinaryOp<"BitwiseOr", "A | B">;
def Onnx_BitwiseXorOp : Onnx_BinaryOp<"BitwiseXor", "A ^ B">;
def Onnx_AndOp : Onnx_BinaryOp<"And", "logical A and B">;
def Onnx_OrOp : Onnx_BinaryOp<"Or", "logical A or B">;
def Onnx_XorOp : Onnx_BinaryOp<"Xor", "logical A xor B">;
def Onnx_PReluOp : Onnx_BinaryOp<"PRelu", "A < 0 ? B * A : A (B is the slope)">;

def Onnx_EqualOp : Onnx_PredicateOp<"Equal", "A == B",
    (ins AnyTensor:$A, AnyTensor:$B)>;

// String ops: computed by the runtime's string kernels, never fused.
def Onnx_StringConcatOp : Onnx_ElementwiseOp<"StringConcat",
    "X and Y concatenated element by element, numpy broadcasting",
    (ins AnyTensor:$X, AnyTensor:$Y)>;
def Onnx_RegexFullMatchOp : Onnx_PredicateOp<"RegexFullMatch",
    "whether all of each element matches `pattern` (RE2 syntax)",
    (ins AnyTensor:$X, OptionalAttr<StrAttr>:$pattern)>;
def Onnx_GreaterOp : Onnx_PredicateOp<"Greater", "A > B",
    (ins AnyTensor:$A, AnyTensor:$B)>;
def Onnx_GreaterOrEqualOp : Onnx_PredicateOp<"GreaterOrEqual", "A >= B",
    (ins AnyTensor:$A, AnyTensor:$B)>;
def Onnx_LessOp : Onnx_PredicateOp<"Less", "A < B",
    (ins AnyTensor:$A, AnyTensor:$B)>;
def Onnx_LessOrEqualOp : Onnx_PredicateOp<"LessOrEqual", "A <= B",
    (ins AnyTensor:$A, AnyTensor:$B)>;

def Onnx_MaxOp : Onnx_VariadicOp<"Max", "the maximum">;
def Onnx_MinOp : Onnx_VariadicOp<"Min", "the minimum">;
def Onnx_SumOp : Onnx_VariadicOp<"Sum", "the sum">;
def Onnx_MeanOp : Onnx_VariadicOp<"Mean", "the mean">;

def Onnx_WhereOp : Onnx_ElementwiseOp<"Where",
    "X where condition holds, else Y, numpy broadcasting",
    (ins AnyTensor:$condition, AnyTensor:$X, AnyTensor:$Y),
    "::llvm::cast<::mlir::ShapedType>(getX().getType()).getElementType()">;

def Onnx_ClipOp : Onnx_ElementwiseOp<"Clip",
    "X limited to [min, max]; the bounds are optional inputs (opset 11 on) "
    "or attributes (before)",
    (ins AnyTensor:$X, Variadic<AnyType>:$bounds,
         OptionalAttr<F32Attr>:$min, OptionalAttr<F32Attr>:$max)> {
  let description = [{
    `bounds` holds the min and max inputs in that order; an absent one is
    `onnx.NoValue` (or, trailing, left out).
  }];
}

#endif
