// Lowers each kernel.group to a Halide pipeline (algorithm, then the
// schedule recorded on the group) and compiles it to bitcode.
#include "codegen/halide/HalideKernels.h"
#include "codegen/schedule/Heuristics.h"

#include "dialects/kernel/IR/KernelDialect.h"
#include "dialects/onnx/IR/OnnxDialect.h"
#include "dialects/onnx/IR/ShapeHelpers.h"

#include "mlir/IR/Threading.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <Halide.h>

#include <cstdlib>

using namespace mlir;
namespace H = Halide;

namespace onnxc {
namespace {

/// A tensor as a Halide Func. ONNX orders axes outermost first, Halide
/// innermost first; `at` takes ONNX-ordered indices and reverses them.
struct TensorFunc {
  H::Func func;
  std::vector<int64_t> shape;

  int rank() const { return static_cast<int>(shape.size()); }
  H::Expr at(std::vector<H::Expr> onnxIndex) const {
    std::reverse(onnxIndex.begin(), onnxIndex.end());
    return func(onnxIndex);
  }
  /// The tensor's extent in Halide's (innermost first) order, for boundary
  /// conditions.
  H::Region extent() const {
    H::Region bounds;
    for (int i = rank() - 1; i >= 0; --i)
      bounds.emplace_back(0, static_cast<int>(shape[i]));
    return bounds;
  }
  /// The tensor read as zero outside its extent.
  H::Func zeroOutside(H::Type t) const {
    return H::BoundaryConditions::constant_exterior(
        func, H::Internal::make_zero(t), extent());
  }
};

/// The pure variable of ONNX axis `i`; shared by every Func of a group so
/// that the schedule can name axes uniformly.
H::Var axisVar(int i) {
  static std::vector<H::Var> vars = [] {
    std::vector<H::Var> v;
    for (int i = 0; i < 8; ++i)
      v.emplace_back("a" + std::to_string(i));
    return v;
  }();
  return vars.at(i);
}

std::vector<H::Var> halideArgs(int rank) {
  std::vector<H::Var> args;
  for (int i = rank - 1; i >= 0; --i)
    args.push_back(axisVar(i));
  return args;
}

std::vector<H::Expr> onnxIndex(int rank) {
  std::vector<H::Expr> idx;
  for (int i = 0; i < rank; ++i)
    idx.push_back(axisVar(i));
  return idx;
}

/// Fixes a buffer's bounds and dense row-major strides at compile time, so
/// Halide folds all index math (and checks the buffer it is given).
void constrainDense(H::OutputImageParam buffer,
                    const std::vector<int64_t> &shape) {
  int64_t stride = 1;
  for (int d = 0; d < static_cast<int>(shape.size()); ++d) {
    int64_t extent = shape[shape.size() - 1 - d];
    buffer.dim(d).set_bounds(0, int(extent)).set_stride(int(stride));
    stride *= extent;
  }
}

/// Halide indexes with 32-bit integers, and the group's axes use the
/// shared vars a0..a7.
LogicalResult checkIndexable(Operation *op, Type type) {
  auto tensor = llvm::cast<RankedTensorType>(type);
  if (tensor.getRank() > 8)
    return op->emitOpError() << "has a rank-" << tensor.getRank()
                             << " tensor; kernels support rank <= 8";
  if (tensor.getNumElements() == 0)
    return op->emitOpError() << "has a tensor with no elements; kernels do "
                                "not support empty tensors yet";
  if (tensor.getNumElements() > INT32_MAX)
    return op->emitOpError() << "has a tensor of " << tensor.getNumElements()
                             << " elements; kernels support < 2^31";
  return success();
}

std::vector<int64_t> shapeOf(Value v) {
  auto type = llvm::cast<RankedTensorType>(v.getType());
  return std::vector<int64_t>(type.getShape().begin(), type.getShape().end());
}

/// The Halide type of a tensor element type; bool is UInt(1) (a byte in
/// memory), float8 and 4-bit integers are their storage bytes
/// (onnx::storageElementType). Fails for types kernels do not handle
/// (complex, strings).
FailureOr<H::Type> halideType(Type t) {
  t = onnx::storageElementType(t);
  if (t.isF32())
    return H::Float(32);
  if (t.isF64())
    return H::Float(64);
  if (t.isF16())
    return H::Float(16);
  if (t.isBF16())
    return H::BFloat(16);
  if (auto i = llvm::dyn_cast<IntegerType>(t)) {
    unsigned w = i.getWidth();
    if (w == 1)
      return H::Bool();
    if (w == 8 || w == 16 || w == 32 || w == 64)
      return i.isUnsigned() ? H::UInt(w) : H::Int(w);
  }
  return failure();
}

/// A uint32 constant (Halide 14 finds bare unsigned literals ambiguous).
H::Expr U(uint32_t v) { return H::Internal::make_const(H::UInt(32), v); }
H::Expr I64(int64_t v) { return H::Internal::make_const(H::Int(64), v); }
/// A float64 constant, and a value as float64 (kernels that sum in float64).
H::Expr F64(double v) { return H::Internal::make_const(H::Float(64), v); }
H::Expr f64(H::Expr e) { return H::cast(H::Float(64), e); }

/// Value `i` of an integer input that decides a shape but is read at run
/// time (1-D or a scalar), as int64 clamped into +-2^40 so that index
/// arithmetic on it cannot overflow.
H::Expr intAt(const TensorFunc &t, int i) {
  H::Expr v = t.rank() ? t.at({H::Expr(i)}) : t.at({});
  return H::clamp(H::cast(H::Int(64), v), I64(-(int64_t(1) << 40)),
                  I64(int64_t(1) << 40));
}

int64_t lengthOf(const TensorFunc &t) { return t.rank() ? t.shape[0] : 1; }

/// The first value of a one-value input (a scalar of any rank).
H::Expr firstValue(const TensorFunc &t) {
  return t.at(std::vector<H::Expr>(t.rank(), 0));
}

/// The index (outermost axis first) of row-major position `flat` in a
/// tensor of `shape`.
std::vector<H::Expr> unflatten(H::Expr flat,
                               const std::vector<int64_t> &shape) {
  std::vector<H::Expr> at(shape.size());
  for (int i = int(shape.size()) - 1; i >= 0; --i) {
    at[i] = flat % int(shape[i]);
    flat = flat / int(shape[i]);
  }
  return at;
}

/// Which of `rank` axes a run-time axes input names (negative ones count
/// from the end); `inRange` says whether every one lies in [-rank, rank).
std::vector<H::Expr> axisMask(const TensorFunc &axes, int rank,
                              H::Expr &inRange) {
  std::vector<H::Expr> mask(rank, H::Internal::const_false());
  inRange = H::Internal::const_true();
  for (int i = 0; i < lengthOf(axes); ++i) {
    H::Expr a = intAt(axes, i);
    a = H::select(a < 0, a + I64(rank), a);
    inRange = inRange && a >= I64(0) && a < I64(rank);
    for (int d = 0; d < rank; ++d)
      mask[d] = mask[d] || a == I64(d);
  }
  return mask;
}

/// Whether `mask` names exactly the axes in `set`, among the dims for which
/// `considered` holds.
H::Expr namesExactly(const std::vector<H::Expr> &mask,
                     const std::vector<int64_t> &set,
                     const std::vector<bool> &considered) {
  H::Expr all = H::Internal::const_true();
  for (int d = 0; d < int(mask.size()); ++d)
    if (considered[d])
      all = all && (llvm::is_contained(set, d) ? mask[d] : !mask[d]);
  return all;
}

/// `value`, or a kernel failure naming `op` when `ok` is false at run time:
/// the check of a result shape that depends on input data against the
/// shape the model declares.
H::Expr checked(Operation *op, H::Expr ok, H::Expr value, std::string what) {
  // An op that checks for the node it was expanded from (a Loop's step
  // count, a sequence position) says so: onnx.checks = {op = "Loop",
  // what = "..."} or {op = ..., message = "..."} for a message of its own.
  std::string type = op->getName().stripDialect().str();
  std::string message = "the run-time values of " + what +
                        " do not give the result shape the model declares";
  if (auto origin = op->getAttrOfType<DictionaryAttr>("onnx.checks")) {
    type = llvm::cast<StringAttr>(origin.get("op")).str();
    if (auto text = origin.getAs<StringAttr>("message"))
      message = text.str();
    else
      message = "the run-time values of " +
                llvm::cast<StringAttr>(origin.get("what")).str() +
                " do not give the result shape the model declares";
  }
  std::string label = op->getName().getStringRef().str();
  if (auto loc = llvm::dyn_cast<NameLoc>(op->getLoc()))
    label = "node '" + loc.getName().str() + "' (" + type + ")";
  return H::require(ok, value, label + ": " + message);
}

/// The layout of one of ONNX's float8 types: sign, exponent and `mantissa`
/// bits with exponent `bias`; `uz` types have no negative zero and one NaN
/// (0x80), E5M2 has infinities (0x7C); `maxCode` is the largest finite
/// magnitude.
struct Float8Format {
  int mantissa, bias;
  bool uz, inf;
  uint32_t maxCode;
};

std::optional<Float8Format> float8Format(Type t) {
  if (llvm::isa<Float8E4M3FNType>(t))
    return Float8Format{3, 7, false, false, 0x7E};
  if (llvm::isa<Float8E4M3FNUZType>(t))
    return Float8Format{3, 8, true, false, 0x7F};
  if (llvm::isa<Float8E5M2Type>(t))
    return Float8Format{2, 15, false, true, 0x7B};
  if (llvm::isa<Float8E5M2FNUZType>(t))
    return Float8Format{2, 16, true, false, 0x7F};
  return std::nullopt;
}

/// The value of float8 bit patterns `bits` (UInt(8)) as type `t` (a float
/// type; for integer types NaN becomes 0).
H::Expr decodeFloat8(H::Expr bits, const Float8Format &f,
                     H::Type t = H::Float(32)) {
  H::Expr b = H::cast(H::UInt(32), bits);
  H::Expr mag = b & U(0x7Fu), e = mag >> U(f.mantissa),
          m = mag & U((1 << f.mantissa) - 1);
  H::Expr normal =
      H::reinterpret(H::Float(32), ((e + U(127 - f.bias)) << U(23u)) |
                                       (m << U(23 - f.mantissa)));
  H::Expr subnormal =
      H::cast(H::Float(32), m) * std::ldexp(1.0f, 1 - f.bias - f.mantissa);
  H::Expr v = H::select(e == U(0u), subnormal, normal);
  if (f.inf)
    v = H::select(mag == U(0x7Cu), std::numeric_limits<float>::infinity(), v);
  v = H::cast(t, H::select(b >= U(0x80u), -v, v));
  // NaN is made in the result type: Halide 14 converts a float32 NaN to
  // float16 as infinity.
  H::Expr nan = f.uz ? b == U(0x80u) : f.inf ? mag > U(0x7Cu) : mag == U(0x7Fu);
  H::Expr nanValue = H::Internal::make_zero(t);
  if (t.is_float() && t.bits() == 16)
    nanValue = H::reinterpret(
        t,
        H::Internal::make_const(H::UInt(16), t.is_bfloat() ? 0x7FC0 : 0x7E00));
  else if (t.is_float())
    nanValue =
        H::Internal::make_const(t, std::numeric_limits<double>::quiet_NaN());
  return H::select(nan, nanValue, v);
}

/// Float32 `x` rounded to the nearest float8 (ties to even), as bit
/// patterns (UInt(8)). Out of range, infinities included, becomes the
/// largest finite value when `saturate`, else infinity (E5M2) or NaN.
H::Expr encodeFloat8(H::Expr x, const Float8Format &f, bool saturate) {
  H::Expr b = H::reinterpret(H::UInt(32), x);
  H::Expr sign = (b >> U(24u)) & U(0x80u), a = b & U(0x7FFFFFFFu);
  uint32_t shift = 23 - f.mantissa;
  // Normal results: round the float32 mantissa to `mantissa` bits (a carry
  // moves into the exponent), then rebias.
  H::Expr rounded =
      (a + (U(1u << (shift - 1)) - U(1u)) + ((a >> U(shift)) & U(1u))) >>
      U(shift);
  H::Expr normal = rounded - U((127 - f.bias) << f.mantissa);
  // Subnormal results: multiples of the smallest subnormal; the scaling is
  // exact and Halide's round ties to even.
  H::Expr scaled = H::reinterpret(H::Float(32), a) *
                   std::ldexp(1.0f, f.bias + f.mantissa - 1);
  H::Expr subnormal = H::cast(H::UInt(32), H::round(scaled));
  uint32_t minNormal = uint32_t(127 - f.bias + 1) << 23;
  H::Expr code = H::select(a >= U(minNormal), normal, subnormal);
  uint32_t nanCode = f.uz ? 0x80 : 0x7F;
  uint32_t overflowCode = saturate ? f.maxCode : f.inf ? 0x7C : nanCode;
  code = H::select(a > U(0x7F800000u), U(nanCode),
                   code > U(f.maxCode) || a == U(0x7F800000u), U(overflowCode),
                   code);
  // The sign, except on the uz types' zero and NaN.
  code = f.uz ? H::select(code == U(0u) || code == U(0x80u), code, code | sign)
              : code | sign;
  return H::cast(H::UInt(8), code);
}

/// The values integer type `t` holds, 4-bit ones included, as doubles.
std::pair<double, double> intRange(IntegerType t) {
  unsigned w = t.getWidth();
  if (t.isUnsigned())
    return {0, std::ldexp(1.0, w) - 1};
  return {-std::ldexp(1.0, w - 1), std::ldexp(1.0, w - 1) - 1};
}

/// `x`, of element type `from`, converted to element type `to` as ONNX's
/// Cast does (float8 with `saturate`; 4-bit integers rounded and clamped);
/// an undefined Expr when neither type is float8 or 4-bit.
H::Expr convertStoredAsBits(H::Expr x, Type from, Type to, bool saturate) {
  if (!onnx::isStoredAsBits(from) && !onnx::isStoredAsBits(to))
    return H::Expr();
  if (auto f = float8Format(from)) {
    if (!float8Format(to) && !onnx::isStoredAsBits(to) &&
        !to.isInteger(1)) // straight to the result type
      return decodeFloat8(x, *f, *halideType(to));
    x = decodeFloat8(x, *f);
  }
  if (auto f = float8Format(to)) {
    if (x.type().is_bool())
      x = H::select(x, 1.0f, 0.0f);
    return encodeFloat8(H::cast(H::Float(32), x), *f, saturate);
  }
  if (auto i = llvm::dyn_cast<IntegerType>(to); i && i.getWidth() == 4) {
    H::Type t = *halideType(to);
    auto [lo, hi] = intRange(i);
    if (x.type().is_float())
      return H::cast(t, H::round(H::clamp(H::cast(H::Float(32), x), float(lo),
                                          float(hi))));
    if (x.type().is_bool())
      return H::cast(t, x);
    // Clamped in the operand's own type: every integer type holds [0, 7].
    H::Type xt = x.type();
    H::Expr low = xt.is_uint() ? H::Internal::make_zero(xt)
                               : H::Internal::make_const(xt, lo);
    return H::cast(t, H::clamp(x, low, H::Internal::make_const(xt, hi)));
  }
  H::Type t = *halideType(to);
  if (t.is_bool())
    return x != H::Internal::make_zero(x.type());
  return H::cast(t, x);
}

Type elementType(Value v) {
  return llvm::cast<ShapedType>(v.getType()).getElementType();
}

/// The Halide type of a value whose element type lower() has checked.
H::Type elementHalideType(Value v) { return *halideType(elementType(v)); }

/// `f` applied in float32 when `x` is a 16-bit float (Halide's math
/// functions are float32/float64), then converted back.
template <typename F> H::Expr floatMath(H::Expr x, F f) {
  H::Type t = x.type();
  if (t.bits() < 32 || t.is_bfloat())
    return H::cast(t, f(H::cast(H::Float(32), x)));
  return f(x);
}

/// The scalar semantics of an elementwise op on its operands' elements
/// (undefined for absent optional operands); an undefined Expr for ops
/// without one.
H::Expr elementwiseExpr(Operation *op, const std::vector<H::Expr> &in,
                        H::Type resultType) {
  StringRef name = op->getName().stripDialect();
  H::Expr x = in.empty() ? H::Expr() : in[0];
  H::Type t = x.defined() ? x.type() : resultType;
  auto c = [&](double v) { return H::Internal::make_const(t, v); };
  auto f32Attr = [&](StringRef attr) {
    return c(llvm::cast<FloatAttr>(op->getAttr(attr)).getValueAsDouble());
  };
  auto math = [&](H::Expr (*f)(H::Expr)) { return floatMath(x, f); };
  bool isInt = t.is_int() || t.is_uint();

  // Unary.
  if (name == "Abs")
    return t.is_int() ? H::cast(t, H::abs(x)) : H::abs(x);
  if (name == "Neg")
    return -x;
  if (name == "Ceil")
    return math(H::ceil);
  if (name == "Floor")
    return math(H::floor);
  if (name == "Round")
    return math(H::round); // ties to even
  if (name == "Sqrt")
    return math(H::sqrt);
  if (name == "Exp")
    return math(H::exp);
  if (name == "Log")
    return math(H::log);
  if (name == "Sin")
    return math(H::sin);
  if (name == "Cos")
    return math(H::cos);
  if (name == "Tan")
    return math(H::tan);
  if (name == "Asin")
    return math(H::asin);
  if (name == "Acos")
    return math(H::acos);
  if (name == "Atan")
    return math(H::atan);
  if (name == "Sinh")
    return math(H::sinh);
  if (name == "Cosh")
    return math(H::cosh);
  if (name == "Asinh")
    return math(H::asinh);
  if (name == "Acosh")
    return math(H::acosh);
  if (name == "Atanh")
    return math(H::atanh);
  if (name == "Tanh")
    return math(H::tanh);
  if (name == "Erf") // Halide's erf is float32 only
    return H::cast(t, H::erf(H::cast(H::Float(32), x)));
  if (name == "Sigmoid")
    return floatMath(x, [](H::Expr v) { return 1.0f / (1.0f + H::exp(-v)); });
  if (name == "Reciprocal")
    return c(1) / x;
  if (name == "Sign")
    return H::select(x > c(0), c(1), x < c(0), c(-1), c(0));
  if (name == "Softplus")
    return floatMath(x, [](H::Expr v) { return H::log(H::exp(v) + 1.0f); });
  if (name == "Softsign")
    return x / (c(1) + H::abs(x));
  if (name == "Not")
    return !x;
  if (name == "BitwiseNot")
    return ~x;
  if (name == "Relu")
    return H::max(x, c(0));
  if (name == "HardSwish")
    return x * H::max(c(0), H::min(c(1), x / c(6) + c(0.5)));
  if (name == "Mish")
    return floatMath(
        x, [](H::Expr v) { return v * H::tanh(H::log(H::exp(v) + 1.0f)); });
  if (name == "LeakyRelu")
    return H::select(x < c(0), f32Attr("alpha") * x, x);
  if (name == "Elu")
    return H::select(x < c(0), f32Attr("alpha") * (math(H::exp) - c(1)), x);
  if (name == "Selu")
    return f32Attr("gamma") *
           H::select(x <= c(0), f32Attr("alpha") * (math(H::exp) - c(1)), x);
  if (name == "Celu") {
    H::Expr alpha = f32Attr("alpha");
    return H::max(c(0), x) +
           H::min(c(0), alpha * (floatMath(x / alpha, H::exp) - c(1)));
  }
  if (name == "HardSigmoid")
    return H::max(c(0), H::min(c(1), f32Attr("alpha") * x + f32Attr("beta")));
  if (name == "ThresholdedRelu")
    return H::select(x > f32Attr("alpha"), x, c(0));
  if (name == "Gelu") {
    bool tanhApprox =
        llvm::cast<StringAttr>(op->getAttr("approximate")).getValue() == "tanh";
    return floatMath(x, [&](H::Expr v) {
      if (tanhApprox)
        return 0.5f * v *
               (1.0f +
                H::tanh(0.7978845608028654f * (v + 0.044715f * v * v * v)));
      return 0.5f * v * (1.0f + H::erf(v * 0.7071067811865476f));
    });
  }
  if (name == "Shrink") {
    H::Expr bias = f32Attr("bias"), lambd = f32Attr("lambd");
    return H::select(x<-lambd, x + bias, x> lambd, x - bias, c(0));
  }
  if (name == "IsNaN") // float16 predicates fail in Halide's codegen
    return H::is_nan(t.bits() < 32 ? H::cast(H::Float(32), x) : x);
  if (name == "IsInf") {
    auto flag = [&](StringRef a) {
      return llvm::cast<IntegerAttr>(op->getAttr(a)).getInt() != 0;
    };
    if (t.bits() < 32)
      x = H::cast(H::Float(32), x), t = x.type();
    H::Expr inf = H::is_inf(x);
    H::Expr neg =
        flag("detect_negative") ? inf && x < c(0) : H::Internal::const_false();
    H::Expr pos =
        flag("detect_positive") ? inf && x > c(0) : H::Internal::const_false();
    return neg || pos;
  }
  if (name == "Cast" || name == "CastLike") {
    if (resultType.is_bool())
      return x != c(0);
    if (resultType.is_bfloat() && !t.is_bfloat()) {
      // float32's upper half: ONNX's conformance data truncates.
      H::Expr bits = H::reinterpret(H::UInt(32), H::cast(H::Float(32), x));
      return H::reinterpret(resultType, H::cast(H::UInt(16), bits >> 16));
    }
    return H::cast(resultType, x);
  }

  // Binary, numpy-broadcast by the caller.
  H::Expr y = in.size() > 1 ? in[1] : H::Expr();
  if (name == "Add")
    return x + y;
  if (name == "Sub")
    return x - y;
  if (name == "Mul")
    return x * y;
  if (name == "Div")
    return t.is_int() ? H::div_round_to_zero(x, y) : x / y;
  if (name == "Pow") {
    if (isInt) // exact for the integer range doubles hold
      return H::cast(
          t, H::pow(H::cast(H::Float(64), x), H::cast(H::Float(64), y)));
    H::Type ct = t.bits() < 32 || t.is_bfloat() ? H::Float(32) : t;
    return H::cast(t, H::pow(H::cast(ct, x), H::cast(ct, y)));
  }
  if (name == "Mod") {
    bool fmod = llvm::cast<IntegerAttr>(op->getAttr("fmod")).getInt() != 0;
    if (!isInt) { // C fmod: the sign of x
      H::Type ct = t.bits() < 32 || t.is_bfloat() ? H::Float(32) : t;
      H::Expr a = H::cast(ct, x), b = H::cast(ct, y);
      return H::cast(t, a - b * H::trunc(a / b));
    }
    if (fmod || t.is_uint())
      return H::mod_round_to_zero(x, y);
    // Python's %: the sign of y. Halide's % is Euclidean (never negative).
    H::Expr r = x % y;
    return H::select(y < c(0) && r != c(0), r + y, r);
  }
  if (name == "BitShift") {
    bool left =
        llvm::cast<StringAttr>(op->getAttr("direction")).getValue() == "LEFT";
    return left ? x << y : x >> y;
  }
  if (name == "BitwiseAnd")
    return x & y;
  if (name == "BitwiseOr")
    return x | y;
  if (name == "BitwiseXor")
    return x ^ y;
  if (name == "And")
    return x && y;
  if (name == "Or")
    return x || y;
  if (name == "Xor")
    return x != y;
  if (name == "PRelu")
    return H::select(x < c(0), y * x, x);
  if (name == "Equal")
    return x == y;
  if (name == "Greater")
    return x > y;
  if (name == "GreaterOrEqual")
    return x >= y;
  if (name == "Less")
    return x < y;
  if (name == "LessOrEqual")
    return x <= y;

  // Variadic.
  if (name == "Max" || name == "Min" || name == "Sum" || name == "Mean") {
    H::Expr acc = x;
    for (size_t i = 1; i < in.size(); ++i)
      acc = name == "Max"   ? H::max(acc, in[i])
            : name == "Min" ? H::min(acc, in[i])
                            : acc + in[i];
    if (name == "Mean")
      acc = acc / c(double(in.size()));
    return acc;
  }
  if (name == "Where")
    return H::select(x, in[1], in[2]);
  if (name == "Clip") {
    auto clip = cast<onnx::ClipOp>(op);
    H::Expr lo = in.size() > 1 ? in[1] : H::Expr();
    H::Expr hi = in.size() > 2 ? in[2] : H::Expr();
    if (auto a = clip.getMin())
      lo = c(a->convertToDouble());
    if (auto a = clip.getMax())
      hi = c(a->convertToDouble());
    H::Expr v = x;
    if (lo.defined())
      v = H::max(v, lo);
    if (hi.defined())
      v = H::min(v, hi);
    return v;
  }
  return H::Expr();
}

/// Index into `in` for a result index `outIdx` of `outShape`, following
/// numpy broadcasting (size-1 dims read element 0).
std::vector<H::Expr> broadcastIndex(const std::vector<int64_t> &inShape,
                                    const std::vector<int64_t> &outShape,
                                    const std::vector<H::Expr> &outIdx) {
  std::vector<H::Expr> idx;
  size_t offset = outShape.size() - inShape.size();
  for (size_t j = 0; j < inShape.size(); ++j)
    idx.push_back(inShape[j] == 1 && outShape[j + offset] != 1
                      ? H::Expr(0)
                      : outIdx[j + offset]);
  return idx;
}

/// The explicit window attributes shape inference leaves on Conv,
/// ConvTranspose and the pooling ops (kernel_shape only where the op has
/// it).
struct WindowAttrs {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};

WindowAttrs windowAttrs(Operation *op, int spatial) {
  auto read = [&](StringRef name, size_t count, int64_t dflt) {
    auto attr = op->getAttrOfType<ArrayAttr>(name);
    return onnx::getI64s(attr ? std::optional<ArrayAttr>(attr) : std::nullopt,
                         count, dflt);
  };
  return {read("kernel_shape", 0, 0), read("strides", spatial, 1),
          read("dilations", spatial, 1), read("pads", 2 * spatial, 0)};
}

/// A pooling window's taps: the reduction over kernel offsets (innermost
/// axis first) and, per spatial axis, the input position a tap reads
/// (output * stride + offset * dilation - pad).
struct PoolTaps {
  H::RDom r;
  std::vector<H::Expr> pos;

  /// The input index of a tap, Halide-ordered: n, c, then the positions.
  std::vector<H::Expr> index() const {
    std::vector<H::Expr> idx{axisVar(0), axisVar(1)};
    idx.insert(idx.end(), pos.begin(), pos.end());
    return std::vector<H::Expr>(idx.rbegin(), idx.rend());
  }
};

PoolTaps poolTaps(const WindowAttrs &w, int spatial) {
  H::Region window;
  for (int i = spatial - 1; i >= 0; --i)
    window.emplace_back(0, static_cast<int>(w.kernel[i]));
  PoolTaps taps{H::RDom(window), {}};
  for (int i = 0; i < spatial; ++i)
    taps.pos.push_back(axisVar(2 + i) * int(w.strides[i]) +
                       taps.r[spatial - 1 - i] * int(w.dilations[i]) -
                       int(w.pads[i]));
  return taps;
}

/// The Halide target of `target`. ONNXC_HALIDE_PROFILE=1 in the
/// compiler's environment adds Halide's sampling profiler to the kernels
/// and the runtime: the compiled model then prints each kernel's time
/// (one Halide pipeline per kernel group) to stderr when its process
/// exits. A tool for performance work, not for shipped models.
H::Target halideTarget(const TargetInfo &target) {
  H::Target t(target.halideTarget);
  if (const char *profile = std::getenv("ONNXC_HALIDE_PROFILE");
      profile && std::string(profile) == "1")
    t = t.with_feature(H::Target::Profile);
  return t;
}

class GroupLowering {
public:
  GroupLowering(kernel::GroupOp group, const TargetInfo &target)
      : group(group), target(target) {}

  /// The group's schedule and anchor: none for an op lowered alone
  /// (a constant folded at compile time has no group).
  DictionaryAttr scheduleAttr() {
    return group ? group.getScheduleAttr() : DictionaryAttr();
  }
  StringRef anchorName() { return group ? group.getAnchor() : ""; }

  /// Builds the pipeline and compiles it to `bitcodePath`.
  LogicalResult compile(const std::string &symbol,
                        const std::string &bitcodePath);
  /// After compile: the input whose storage the output may share, where
  /// the group reads one only at its own points and the schedule stores
  /// each point once.
  std::optional<unsigned> inPlaceResult() {
    return outputShifts ? std::nullopt : inPlaceInput(group);
  }

  /// The Func of `op` given Funcs for its operands, scheduled to be
  /// realized on its own (for compile-time evaluation).
  FailureOr<TensorFunc> lowerAlone(Operation *op,
                                   const std::vector<TensorFunc> &operands) {
    for (auto [v, f] : llvm::zip(op->getOperands(), operands))
      funcs[v.getAsOpaquePointer()] = f;
    FailureOr<TensorFunc> result = lower(op);
    for (H::Func f : rootFuncs)
      f.compute_root();
    for (auto &[f, r] : paddedInputs)
      f.compute_root();
    if (anchor.defined())
      anchor.compute_root();
    return result;
  }

private:
  FailureOr<TensorFunc> lower(Operation *op);
  TensorFunc lowerConv(onnx::ConvOp op);
  TensorFunc lowerDepthwiseConv(onnx::ConvOp op, const TensorFunc &x,
                                const TensorFunc &w, const WindowAttrs &window);
  TensorFunc lowerFlatDepthwiseConv(onnx::ConvOp op, const TensorFunc &x,
                                    const TensorFunc &w,
                                    const WindowAttrs &window);
  /// The conv's bias for output channel `c`, or zero without one.
  H::Expr convBias(onnx::ConvOp op, H::Type t, H::Expr c) {
    return op.getB() ? H::cast(t, get(op.getB()).at({c}))
                     : H::Internal::make_zero(t);
  }
  TensorFunc lowerRowsDepthwiseConv(onnx::ConvOp op, const TensorFunc &x,
                                    const TensorFunc &w,
                                    const WindowAttrs &window);
  TensorFunc lowerBlockedDepthwiseConv(onnx::ConvOp op, const TensorFunc &x,
                                       const TensorFunc &w,
                                       const WindowAttrs &window);
  TensorFunc lowerFusedDepthwiseConv(onnx::ConvOp op, const TensorFunc &x,
                                     const TensorFunc &w,
                                     const WindowAttrs &window);
  /// A depthwise conv's padded input, padded(x, y, c, n) (zero outside
  /// the input, shifted by the pads), named `paddedName`, and the conv as
  /// the bias plus its taps written out over it (lowerRowsDepthwiseConv,
  /// lowerFusedDepthwiseConv).
  std::pair<H::Func, H::Func>
  depthwiseTaps(onnx::ConvOp op, const TensorFunc &x, const TensorFunc &w,
                const WindowAttrs &window, llvm::StringRef paddedName);
  TensorFunc lowerMaxPool(onnx::MaxPoolOp op);
  H::Expr maxPoolIndices(onnx::MaxPoolOp op, const TensorFunc &x, H::Func xp,
                         const WindowAttrs &window, const PoolTaps &taps);
  TensorFunc lowerGlobalAveragePool(onnx::GlobalAveragePoolOp op);
  TensorFunc lowerMatMul(onnx::MatMulOp op);
  std::optional<TensorFunc> lowerPackedMatMul(onnx::MatMulOp op);
  TensorFunc lowerPackedView(Value input, Value result, bool rows);
  TensorFunc lowerGemm(onnx::GemmOp op);
  TensorFunc lowerSoftmax(Value input, int64_t axis, bool coerce2d, bool log);
  TensorFunc lowerReduction(Operation *op);
  TensorFunc lowerArgReduction(Operation *op, bool isMax);
  TensorFunc lowerTranspose(onnx::TransposeOp op);
  TensorFunc lowerConcat(onnx::ConcatOp op);
  TensorFunc lowerGather(onnx::GatherOp op);
  TensorFunc lowerSlice(onnx::SliceOp op);
  TensorFunc lowerCheckedView(Operation *op);
  onnx::ConstantOp constantInput(Value v);
  TensorFunc lowerMovement(Operation *op);
  TensorFunc lowerCumSum(onnx::CumSumOp op);
  TensorFunc lowerPad(onnx::PadOp op);
  TensorFunc lowerAveragePool(onnx::AveragePoolOp op);
  TensorFunc lowerNllLoss(onnx::NegativeLogLikelihoodLossOp op);
  TensorFunc lowerScatter(Operation *op);
  TensorFunc lowerGatherND(onnx::GatherNDOp op);
  TensorFunc lowerQuantization(Operation *op);
  TensorFunc lowerConvTranspose(onnx::ConvTransposeOp op);
  TensorFunc lowerGridSample(onnx::GridSampleOp op);
  TensorFunc lowerResize(onnx::ResizeOp op);
  TensorFunc lowerMaxUnpool(onnx::MaxUnpoolOp op);
  TensorFunc lowerEinsum(onnx::EinsumOp op);
  TensorFunc lowerDFT(onnx::DFTOp op);
  TensorFunc lowerRoiAlign(onnx::RoiAlignOp op);
  TensorFunc lowerNonMaxSuppression(onnx::NonMaxSuppressionOp op);
  TensorFunc lowerCol2Im(onnx::Col2ImOp op);
  TensorFunc lowerSTFT(onnx::STFTOp op);
  TensorFunc lowerDeformConv(onnx::DeformConvOp op);
  TensorFunc lowerMelWeightMatrix(onnx::MelWeightMatrixOp op);
  TensorFunc lowerLpPool(onnx::LpPoolOp op);
  TensorFunc lowerLRN(onnx::LRNOp op);
  TensorFunc lowerReverseSequence(onnx::ReverseSequenceOp op);
  TensorFunc lowerWinogradInput(kernel::WinogradInputOp op);
  TensorFunc lowerWinogradOutput(kernel::WinogradOutputOp op);
  TensorFunc lowerIm2col(kernel::Im2colOp op);
  TensorFunc lowerPhasedDepthwiseConv(onnx::ConvOp op, const TensorFunc &x,
                                      const TensorFunc &w,
                                      const WindowAttrs &window);
  FailureOr<TensorFunc> lowerElementwise(Operation *op);
  H::Func windowInput(const TensorFunc &x, H::Expr outside, bool needed);
  H::Expr alongAxisInput(Value axisInput, int rank, int first, int last,
                         llvm::function_ref<H::Expr(int)> along);
  void applySchedule(H::Func output, int rank);

  const TensorFunc &get(Value v) { return funcs.at(v.getAsOpaquePointer()); }
  /// Optional input `i` of `params`; null when absent (left out or
  /// onnx.NoValue).
  const TensorFunc *optionalParam(ValueRange params, unsigned i) {
    if (params.size() <= i || llvm::isa<NoneType>(params[i].getType()))
      return nullptr;
    return &get(params[i]);
  }
  std::string freshName(llvm::StringRef base) {
    return base.lower() + "_" + std::to_string(counter++);
  }

  kernel::GroupOp group;
  const TargetInfo &target;
  std::map<void *, TensorFunc> funcs;
  // The Func holding the anchor's reduction, scheduled around the output.
  H::Func anchor;
  std::optional<H::RDom> anchorDom;
  // A MatMul anchor's B operand (a matrix or a stack of them): the gemm
  // schedule may pack column panels of it.
  H::Func gemmB;
  // ... read from weights packed in column panels at compile time
  // (kernel.packed_cols): the panels need no copy at run time.
  bool bPackedAtCompileTime = false;
  std::vector<H::Func> rootFuncs;
  // Padded copies of window inputs (windowInput), computed at root, each
  // with the domain of its copying update.
  std::vector<std::pair<H::Func, H::RDom>> paddedInputs;
  // The anchor is a conv whose blocks of output channels read only their
  // own few input channels (depthwise): its padded input is computed per
  // block, where it stays in cache, rather than copied whole up front.
  bool padPerChannelBlock = false;
  // Whether a split of the output shifts its last tile inwards, over
  // points already stored (see inPlaceInput).
  bool outputShifts = false;
  // A depthwise conv along each channel's flat padded plane
  // (lowerFlatDepthwiseConv): the plane flat(p, c, n), with its copying
  // update over `copy`, and the conv along it, rows(p, c, n), over
  // `extent` points.
  struct FlatDepthwise {
    H::Func flat, rows;
    H::RDom copy;
    H::Var p{"fp"};
    int64_t extent = 0;
  };
  std::optional<FlatDepthwise> flatDepthwise;
  // A depthwise conv over blocks of a vector of channels
  // (lowerBlockedDepthwiseConv): each block's padded input with channels
  // innermost, padded(ci, x, y, cb, n), and the conv over it, blocks(ci, x,
  // y, cb, n), vectors along ci.
  struct BlockedDepthwise {
    H::Func padded, weights, blocks;
    H::Var ci{"bci"}, cb{"bcb"}, tap{"btap"};
  };
  std::optional<BlockedDepthwise> blockedDepthwise;
  // A unit-stride depthwise conv over wide rows (lowerRowsDepthwiseConv):
  // its padded input, made per channel, and the conv.
  struct RowsDepthwise {
    H::Func padded, conv;
  };
  std::optional<RowsDepthwise> rowsDepthwise;
  // A depthwise conv merged into the gemm that reads it
  // (onnxc-fuse-depthwise, lowerFusedDepthwiseConv): its padded input,
  // made per channel of each block, and the width of its rows.
  struct FusedDepthwise {
    H::Func padded;
    int64_t width = 0;
  };
  std::optional<FusedDepthwise> fusedDepthwise;
  // A Transpose anchor written in square tiles (lowerTranspose): the copy
  // of each tile's input, the transposed Func, the output axis that walks
  // the input's innermost axis, the input axis that the output's innermost
  // walks, and the output's shape.
  struct BlockTranspose {
    H::Func block, transposed;
    int outAxis = 0, inAxis = 0;
    std::vector<int64_t> shape;
  };
  std::optional<BlockTranspose> blockTranspose;
  // A Resize upsampling the innermost axis by this factor in closed form
  // (lowerResize); 0 otherwise.
  int64_t resizeFactor = 0;
  // The tile m of a Winograd transform in the group (0: none).
  int winogradTile = 0;
  // A pooling or im2col anchor whose padded input is made per channel,
  // where the output computes that channel.
  bool padPerChannel = false;
  // A gemm_packed product (lowerPackedMatMul): its accumulators
  // prod(r, j, nb, mb, batch...) over tiles of rows mb (r in the tile) and
  // of columns nb (j in the tile).
  struct PackedProduct {
    H::Func prod;
    H::Var r{"pr"}, j{"pj"}, nb{"pnb"}, mb{"pmb"};
    int64_t rows = 0, cols = 0;
    // The packed weights when they are an input of the group (they can be
    // prefetched).
    std::optional<H::ImageParam> weights;
  };
  // The group's inputs, by block argument.
  std::map<void *, H::ImageParam> inputParams;
  std::optional<PackedProduct> packed;
  // A strided depthwise conv's padded input split into phases, made per
  // channel.
  std::optional<H::Func> phasesPerChannel;
  int counter = 0;
};

FailureOr<TensorFunc> GroupLowering::lowerElementwise(Operation *op) {
  std::vector<int64_t> outShape = shapeOf(op->getResult(0));
  std::vector<H::Expr> idx = onnxIndex(outShape.size());
  std::vector<H::Expr> operands;
  // CastLike's second operand only names the element type.
  auto values = isa<onnx::CastLikeOp>(op) ? op->getOperands().take_front()
                                          : op->getOperands();
  for (Value v : values) {
    if (llvm::isa<NoneType>(v.getType())) {
      operands.emplace_back(); // an absent optional input
      continue;
    }
    const TensorFunc &f = get(v);
    operands.push_back(f.at(broadcastIndex(f.shape, outShape, idx)));
  }
  H::Type resultType = elementHalideType(op->getResult(0));
  H::Expr value;
  if (isa<onnx::CastOp, onnx::CastLikeOp>(op))
    value = convertStoredAsBits(
        operands[0], elementType(op->getOperand(0)),
        elementType(op->getResult(0)),
        op->getAttrOfType<IntegerAttr>("saturate").getInt() != 0);
  if (!value.defined())
    value = elementwiseExpr(op, operands, resultType);
  if (!value.defined())
    return op->emitOpError("has no Halide lowering");
  H::Func f(freshName(op->getName().stripDialect()));
  f(halideArgs(outShape.size())) = H::cast(resultType, value);
  return TensorFunc{f, outShape};
}

/// `x` (an [N, C, spatial...] tensor) reading `outside` beyond its spatial
/// extent, when a window can reach there. The padded copy is materialized
/// once per call (see applySchedule), so window loops read dense vectors
/// instead of bounds-checked gathers.
H::Func GroupLowering::windowInput(const TensorFunc &x, H::Expr outside,
                                   bool needed) {
  if (!needed)
    return x.func;
  // `outside` everywhere, then the input copied over its own extent: dense
  // vector loads and stores, where a clamped boundary condition would
  // gather every element.
  int spatial = x.rank() - 2;
  H::Func padded(freshName("padded"));
  std::vector<H::Var> args = halideArgs(x.rank());
  padded(args) = H::cast(x.func.output_types().front(), outside);
  H::Region extent;
  for (int i = 0; i < spatial; ++i)
    extent.emplace_back(0, static_cast<int>(x.shape[x.rank() - 1 - i]));
  H::RDom r(extent);
  std::vector<H::Expr> at(args.begin(), args.end());
  for (int i = 0; i < spatial; ++i)
    at[i] = r[i];
  padded(at) = x.func(at);
  paddedInputs.push_back({padded, r});
  return padded;
}

/// along(axis) for the axis a scalar integer input names at run time
/// (negative counts from the end of `rank`), among axes first..last: each
/// candidate is computed and the named one selected.
H::Expr GroupLowering::alongAxisInput(Value axisInput, int rank, int first,
                                      int last,
                                      llvm::function_ref<H::Expr(int)> along) {
  const TensorFunc &in = get(axisInput);
  H::Expr named = H::cast(H::Int(32), in.rank() ? in.at({0}) : in.at({}));
  named = H::select(named < 0, named + rank, named);
  H::Expr value = along(last);
  for (int i = last - 1; i >= first; --i)
    value = H::select(named == i, along(i), value);
  return value;
}

TensorFunc GroupLowering::lowerConv(onnx::ConvOp op) {
  const TensorFunc &x = get(op.getX());
  const TensorFunc &w = get(op.getW());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  WindowAttrs attrs = windowAttrs(op, spatial);
  auto &[kernel, strides, dilations, pads] = attrs;
  int64_t group = op.getGroup();
  int64_t cPerGroup = w.shape[1], mPerGroup = outShape[1] / group;

  // Zero outside the input's spatial extent implements the padding.
  // Integers accumulate in their own type.
  H::Type t = elementHalideType(op.getY());
  bool padded = llvm::any_of(pads, [](int64_t p) { return p != 0; });
  int64_t taps = 1;
  for (int64_t k : kernel)
    taps *= k;
  bool strided = llvm::any_of(strides, [](int64_t s) { return s != 1; });
  bool depthwise = isDepthwiseConv(group, w.shape) && t.is_float();
  int64_t lanes = target.floatLanes();
  // Merged into the product that reads it (onnxc-fuse-depthwise).
  DictionaryAttr schedule = scheduleAttr();
  if (depthwise && spatial == 2 && schedule && schedule.get("depthwise_rows"))
    return lowerFusedDepthwiseConv(op, x, w, attrs);
  if (depthwise && spatial == 2 && outShape[1] % lanes == 0 &&
      (outShape.back() <= 7 || (taps >= 49 && outShape.back() < lanes)))
    return lowerBlockedDepthwiseConv(op, x, w, attrs);
  if (depthwise && taps <= 9 && spatial == 2 && !strided &&
      outShape.back() >= 3 * lanes)
    return lowerRowsDepthwiseConv(op, x, w, attrs);
  if (depthwise && taps <= 49 && strided && outShape.back() >= 3 * lanes)
    return lowerDepthwiseConv(op, x, w, attrs);
  if (depthwise && taps <= 49 && spatial == 2 && strides[1] > 1)
    return lowerPhasedDepthwiseConv(op, x, w, attrs);
  if (depthwise && spatial == 2 && !strided && outShape.back() < lanes)
    return lowerFlatDepthwiseConv(op, x, w, attrs);
  // A stem (see below) reads its input through its phases, which pad it.
  int64_t s = strides[spatial - 1];
  bool polyphase = s > 1 && group == 1 && cPerGroup < 16;
  H::Func xp = windowInput(x, H::Internal::make_zero(t), padded && !polyphase);
  padPerChannelBlock = group > 1 && mPerGroup == 1;

  // Reduction over the kernel window (innermost first) and input channels.
  H::Region window;
  for (int i = spatial - 1; i >= 0; --i)
    window.emplace_back(0, static_cast<int>(w.shape[2 + i]));
  window.emplace_back(0, static_cast<int>(cPerGroup));
  H::RDom r(window);
  H::Expr ci = r[spatial];
  H::Expr co = axisVar(1);
  H::Expr inChannel =
      group == 1 ? ci : (co / int(mPerGroup)) * int(cPerGroup) + ci;

  std::vector<H::Expr> xIdx{axisVar(0), inChannel}, wIdx{co, ci};
  for (int i = 0; i < spatial; ++i) {
    H::Expr k = r[spatial - 1 - i];
    xIdx.push_back(axisVar(2 + i) * int(strides[i]) + k * int(dilations[i]) -
                   int(pads[i]));
    wIdx.push_back(k);
  }
  // A stem (a few input channels) strided along the width: its input is
  // first split into the width's phases, phases(q, phase, ...) =
  // xp(q * s + phase, ...), so that a tap's row of inputs for a vector of
  // outputs is a dense load (phase (k - pad) mod s, from q = x + (k - pad)
  // div s) rather than a strided one (two loads and a shuffle, the
  // shuffle on a port an FMA needs). The phases read zero outside the
  // input through a boundary condition that Halide splits off the
  // interior of their rows (no padded copy first), rows across threads.
  H::Expr input;
  if (polyphase) {
    std::vector<H::Var> inArgs = halideArgs(x.rank());
    H::Var q("pq"), phase("pphase");
    std::vector<H::Var> phaseArgs{q, phase};
    std::vector<H::Expr> at{q * int(s) + phase};
    for (size_t i = 1; i < inArgs.size(); ++i) {
      phaseArgs.push_back(inArgs[i]);
      at.push_back(inArgs[i]);
    }
    // The phases cover whole groups of s columns: past the input's last
    // column they read zero too.
    H::Func phases(freshName("phases"));
    phases(phaseArgs) = x.zeroOutside(t)(at);
    phases.compute_root().vectorize(q, target.floatLanes(),
                                    H::TailStrategy::GuardWithIf);
    if (x.rank() >= 3)
      phases.parallel(phaseArgs[2]);
    H::Expr k = r[0];
    H::Expr offset = k * int(dilations[spatial - 1]) - int(pads[spatial - 1]);
    std::vector<H::Expr> idx(xIdx.rbegin(), xIdx.rend());
    idx[0] = axisVar(rank - 1) + offset / int(s);
    idx.insert(idx.begin() + 1, offset % int(s));
    input = phases(idx);
  } else {
    input = xp(std::vector<H::Expr>(xIdx.rbegin(), xIdx.rend()));
  }

  H::Func conv(freshName("conv"));
  std::vector<H::Var> args = halideArgs(rank);
  conv(args) = convBias(op, t, co);
  conv(args) += w.at(wIdx) * input;
  anchor = conv;
  anchorDom = r;
  return {conv, outShape};
}

/// A strided depthwise conv (one input and one output channel per group,
/// at most 49 taps) over rows of three vectors or more: each output the
/// bias plus its taps written out, so that the output's vectors load each
/// tap's row of the input directly (no reduction loop, no accumulator
/// storage), channels across threads. MobileNetV2's 3x3/2 over 96 x 112 x
/// 112 took 0.66 ms as a register-blocked conv over a padded copy, 0.28 ms
/// so. Narrower rows (most of their vectors at an edge) take the phases
/// below; unit strides read a padded plane instead of the boundary
/// condition (lowerRowsDepthwiseConv for 3x3 taps, else register-blocked),
/// which was faster there (32 x 112 x 112 with 3x3 taps alone: 0.18-0.21
/// ms register-blocked, 0.29 so).
TensorFunc GroupLowering::lowerDepthwiseConv(onnx::ConvOp op,
                                             const TensorFunc &x,
                                             const TensorFunc &w,
                                             const WindowAttrs &window) {
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  H::Type t = elementHalideType(op.getY());
  // Zero is read outside the input through a boundary condition, which
  // Halide splits off the interior of the loops (only a row's first or last
  // vector of outputs reads past the edge): no padded copy of the input,
  // which is several times the output here.
  H::Func xb = llvm::any_of(window.pads, [](int64_t p) { return p != 0; })
                   ? x.zeroOutside(t)
                   : x.func;
  H::Expr co = axisVar(1);
  H::Expr value = convBias(op, t, co);
  int64_t taps = 1;
  for (int64_t k : window.kernel)
    taps *= k;
  for (int64_t tap = 0; tap < taps; ++tap) {
    std::vector<H::Expr> xIdx(rank), wIdx(rank);
    xIdx[0] = axisVar(0);
    xIdx[1] = co;
    wIdx[0] = co;
    wIdx[1] = 0;
    for (int i = spatial - 1, rest = tap; i >= 0;
         rest /= window.kernel[i], --i) {
      int k = rest % window.kernel[i];
      xIdx[2 + i] = axisVar(2 + i) * int(window.strides[i]) +
                    int(k * window.dilations[i] - window.pads[i]);
      wIdx[2 + i] = k;
    }
    value = value +
            w.at(wIdx) * xb(std::vector<H::Expr>(xIdx.rbegin(), xIdx.rend()));
  }
  H::Func conv(freshName("depthwise"));
  conv(halideArgs(rank)) = value;
  return {conv, outShape};
}

/// A depthwise conv (one input and one output channel per group, 3x3 taps,
/// unit strides) over rows of three vectors or more: per channel, the
/// input is copied into a padded plane, then the output is the bias plus
/// its taps written out, computed in blocks of rows (see applySchedule)
/// whose vectors share the plane's loads, and stored per block before the
/// epilogue reads it. The register-blocked conv over the same plane kept
/// its accumulators in a tile buffer and stored them in a stage of their
/// own: alone on a Zen 4 core, MobileNetV2's 32-channel 112x112 conv took
/// 0.18-0.21 -> 0.11-0.12 ms, its 144-channel 56x56 one 0.20-0.24 -> 0.13,
/// with SiLU after them (EfficientNet-B0) 0.30-0.32 -> 0.26-0.27 and 0.38
/// -> 0.32-0.34. With 7x7 taps (ConvNeXt's 96 channels at 56x56) it was
/// slower, 0.57 -> 0.70-0.81.
TensorFunc GroupLowering::lowerRowsDepthwiseConv(onnx::ConvOp op,
                                                 const TensorFunc &x,
                                                 const TensorFunc &w,
                                                 const WindowAttrs &window) {
  auto [padded, conv] = depthwiseTaps(op, x, w, window, "dw_rows_input");
  rowsDepthwise = RowsDepthwise{padded, conv};
  return {conv, shapeOf(op.getY())};
}

std::pair<H::Func, H::Func>
GroupLowering::depthwiseTaps(onnx::ConvOp op, const TensorFunc &x,
                             const TensorFunc &w, const WindowAttrs &window,
                             llvm::StringRef paddedName) {
  H::Type t = elementHalideType(op.getY());
  H::Var xv = axisVar(3), yv = axisVar(2), c = axisVar(1), n = axisVar(0);
  H::Func padded(freshName(paddedName));
  padded(xv, yv, c, n) = x.zeroOutside(t)(xv - int(window.pads[1]),
                                          yv - int(window.pads[0]), c, n);
  H::Expr value = convBias(op, t, c);
  for (int64_t ky = 0; ky < window.kernel[0]; ++ky)
    for (int64_t kx = 0; kx < window.kernel[1]; ++kx)
      value = value + w.at({c, 0, int(ky), int(kx)}) *
                          padded(xv * int(window.strides[1]) +
                                     int(kx * window.dilations[1]),
                                 yv * int(window.strides[0]) +
                                     int(ky * window.dilations[0]),
                                 c, n);
  H::Func conv(freshName("depthwise"));
  conv(halideArgs(4)) = value;
  return {padded, conv};
}

/// A depthwise conv merged into the gemm group of the pointwise conv that
/// reads it (onnxc-fuse-depthwise): per channel of each block of rows the
/// product runs over, the rows of the input it needs copied into a padded
/// strip, then the bias plus its taps written out, computed for the
/// block's rows and every channel before the product's tiles read them
/// (see applySchedule). In MobileNetV2 (Zen 4, one thread, in the model):
/// the 32-channel 112x112 conv and its product 0.575 -> 0.36-0.38 ms in
/// the Halide profile; the model 0.975 of the time at batch 1, 0.967 at
/// batch 8. Alone, with everything cached, the two took as long fused as
/// apart (0.230 and 0.227 ms): the gain is the result not going to memory.
TensorFunc GroupLowering::lowerFusedDepthwiseConv(onnx::ConvOp op,
                                                  const TensorFunc &x,
                                                  const TensorFunc &w,
                                                  const WindowAttrs &window) {
  std::vector<int64_t> outShape = shapeOf(op.getY());
  auto [padded, conv] = depthwiseTaps(op, x, w, window, "dw_fused_input");
  fusedDepthwise = FusedDepthwise{padded, outShape[3]};
  return {conv, outShape};
}

/// A depthwise conv (one input and one output channel per group, at most
/// 49 taps) strided along the width, over rows of fewer than three vectors
/// (28, 14, 7 wide with AVX-512). Per channel, the input is copied into a
/// padded plane, which is split into the width's s phases, phases(q, phase,
/// y) = padded(q * s + phase, y) (one strided read per element, once); the
/// output is then the bias plus its taps written out, each tap a dense
/// vector of one phase at a constant offset, q = x + floor((kx - pad) / s),
/// phase (kx - pad) mod s. Read from the padded plane directly, each tap of
/// each output vector was two loads and a shuffle, in a register-blocked
/// reduction loop: alone on this machine (Zen 4), MobileNetV2's 144-channel
/// 56->28 0.143 -> 0.115 ms, 192-channel 28->14 0.043 -> 0.034, 576-channel
/// 14->7 0.060 -> 0.041, EfficientNet-B0's 240-channel 5x5 28->14 0.118 ->
/// 0.077. Wider rows keep lowerDepthwiseConv: their padded plane and phases
/// outgrow L1 (96 channels 112->56: 0.25 -> 0.37 ms).
TensorFunc GroupLowering::lowerPhasedDepthwiseConv(onnx::ConvOp op,
                                                   const TensorFunc &x,
                                                   const TensorFunc &w,
                                                   const WindowAttrs &window) {
  std::vector<int64_t> outShape = shapeOf(op.getY());
  H::Type t = elementHalideType(op.getY());
  // Always padded (a fill, then the input copied in): the phases round up
  // to whole vectors and read past the input's last column.
  H::Func xp = windowInput(x, H::Internal::make_zero(t), true);
  padPerChannel = true;
  int64_t s = window.strides[1];
  H::Var q("pq"), phase("pphase"), y = axisVar(2), c = axisVar(1),
                                   n = axisVar(0);
  H::Func phases(freshName("phases"));
  phases(q, phase, y, c, n) = xp(q * int(s) + phase, y, c, n);
  phasesPerChannel = phases;
  H::Expr value = convBias(op, t, c);
  for (int64_t ky = 0; ky < window.kernel[0]; ++ky)
    for (int64_t kx = 0; kx < window.kernel[1]; ++kx) {
      int64_t off = kx * window.dilations[1] - window.pads[1];
      int64_t qo = llvm::divideFloorSigned(off, s), ph = llvm::mod(off, s);
      H::Expr row = y * int(window.strides[0]) +
                    int(ky * window.dilations[0] - window.pads[0]);
      value = value + w.at({c, 0, int(ky), int(kx)}) *
                          phases(axisVar(3) + int(qo), int(ph), row, c, n);
    }
  H::Func conv(freshName("depthwise"));
  conv(halideArgs(4)) = value;
  return {conv, outShape};
}

/// A depthwise conv (one input and one output channel per group, unit
/// strides) on maps narrower than a vector (7x7, 14x14: a row would fill 4
/// or 8 of AVX-512's 16 lanes). Each channel's plane is copied, padded,
/// into a flat buffer whose rows are wp = W + left + right pads apart; the
/// conv is computed along it in full vectors, rows(q) for q = y * wp + x,
/// each tap one dense load at q + ky * wp + kx (the wp - Wo points past
/// each output row are computed and not used); the output reads rows(y *
/// wp + x) back.
TensorFunc GroupLowering::lowerFlatDepthwiseConv(onnx::ConvOp op,
                                                 const TensorFunc &x,
                                                 const TensorFunc &w,
                                                 const WindowAttrs &window) {
  std::vector<int64_t> outShape = shapeOf(op.getY());
  H::Type t = elementHalideType(op.getY());
  int64_t top = window.pads[0], left = window.pads[1];
  int64_t wp = x.shape[3] + left + window.pads[3];
  FlatDepthwise f;
  f.flat = H::Func(freshName("flat"));
  f.rows = H::Func(freshName("depthwise_rows"));
  H::Var c = axisVar(1), n = axisVar(0);
  f.flat(f.p, c, n) = H::Internal::make_zero(t);
  f.copy =
      H::RDom(0, static_cast<int>(x.shape[3]), 0, static_cast<int>(x.shape[2]));
  f.flat((f.copy.y + int(top)) * int(wp) + f.copy.x + int(left), c, n) =
      x.func(f.copy.x, f.copy.y, c, n);
  H::Expr value = convBias(op, t, c);
  for (int64_t ky = 0; ky < window.kernel[0]; ++ky)
    for (int64_t kx = 0; kx < window.kernel[1]; ++kx) {
      int offset = static_cast<int>(ky * window.dilations[0] * wp +
                                    kx * window.dilations[1]);
      value =
          value + w.at({c, 0, int(ky), int(kx)}) * f.flat(f.p + offset, c, n);
    }
  f.rows(f.p, c, n) = value;
  f.extent = (outShape[2] - 1) * wp + outShape[3];
  H::Func conv(freshName("depthwise"));
  conv(halideArgs(4)) = f.rows(axisVar(2) * int(wp) + axisVar(3), c, n);
  flatDepthwise = f;
  return {conv, outShape};
}

/// A depthwise conv (one input and one output channel per group) whose
/// output has 7 or fewer columns, or fewer than a vector with a 7x7 window,
/// its channels a multiple of a vector: computed over blocks of a vector of
/// channels, each block's input first copied, padded, with channels
/// innermost, padded(ci, x, y, cb) = input(x - left, y - top, cb * lanes +
/// ci); each tap is then one dense vector load of a position's channels and
/// one FMA with that tap's weights of the block's channels, whatever the
/// stride and dilation, with no lanes wasted on a row's end. The output
/// reads the block's channels back, blocks(c mod lanes, x, y, c / lanes).
/// On a Zen 4 core (AVX-512), alone, against the flat plane or the phases:
/// 960 channels at 7x7 0.038 -> 0.030 ms, 1152 at 7x7 with 5x5 taps 0.11
/// -> 0.063, 768 at 7x7 with 7x7 taps 0.17 -> 0.071, 672 at 14 -> 7 with
/// 5x5 taps 0.110 -> 0.058, 384 at 14x14 with 7x7 taps 0.225 -> 0.163; at
/// 14x14 with 3x3 taps it was slower (384 channels 0.042 -> 0.048), with
/// 5x5 even (672 channels 0.153 -> 0.156). MobileNetV3-Small 0.961 of the
/// time at batch 1 on one thread (0.966 on two), EfficientNet-B0 0.984
/// (0.989).
TensorFunc GroupLowering::lowerBlockedDepthwiseConv(onnx::ConvOp op,
                                                    const TensorFunc &x,
                                                    const TensorFunc &w,
                                                    const WindowAttrs &window) {
  std::vector<int64_t> outShape = shapeOf(op.getY());
  H::Type t = elementHalideType(op.getY());
  int lanes = target.floatLanes();
  BlockedDepthwise f;
  f.padded = H::Func(freshName("dw_block_input"));
  f.blocks = H::Func(freshName("dw_blocks"));
  H::Var xv = axisVar(3), yv = axisVar(2), n = axisVar(0);
  H::Expr c = f.cb * lanes + f.ci;
  f.padded(f.ci, xv, yv, f.cb, n) = x.zeroOutside(t)(
      xv - int(window.pads[1]), yv - int(window.pads[0]), c, n);
  // The block's weights, tap by tap, each a vector of its channels.
  int kw = static_cast<int>(window.kernel[1]);
  f.weights = H::Func(freshName("dw_block_weights"));
  f.weights(f.ci, f.tap, f.cb) = w.at({c, 0, f.tap / kw, f.tap % kw});
  H::Expr value = convBias(op, t, c);
  for (int64_t ky = 0; ky < window.kernel[0]; ++ky)
    for (int64_t kx = 0; kx < window.kernel[1]; ++kx)
      value = value + f.weights(f.ci, int(ky) * kw + int(kx), f.cb) *
                          f.padded(f.ci,
                                   xv * int(window.strides[1]) +
                                       int(kx * window.dilations[1]),
                                   yv * int(window.strides[0]) +
                                       int(ky * window.dilations[0]),
                                   f.cb, n);
  f.blocks(f.ci, xv, yv, f.cb, n) = value;
  H::Func conv(freshName("depthwise"));
  H::Var co = axisVar(1);
  conv(halideArgs(4)) = f.blocks(co % lanes, xv, yv, co / lanes, n);
  blockedDepthwise = f;
  return {conv, outShape};
}

/// The sum over j of matrix[row][j] * value(j), over the nonzero entries
/// only (`matrix` a row-major Winograd matrix with `cols` columns).
H::Expr winogradCombination(const std::vector<double> &matrix, int row,
                            int cols, llvm::function_ref<H::Expr(int)> value) {
  H::Expr sum;
  for (int j = 0; j < cols; ++j) {
    float c = static_cast<float>(matrix[row * cols + j]);
    if (c == 0.0f)
      continue;
    H::Expr term = c == 1.0f ? value(j) : c == -1.0f ? -value(j) : value(j) * c;
    sum = sum.defined() ? sum + term : term;
  }
  return sum.defined() ? sum : H::Expr(0.0f);
}

/// Bt d B for each (m+2) x (m+2) input tile d (see kernel.winograd_input).
/// Each of the a*a positions is its own sum over taps, Bt's rows applied
/// to the tile's rows and then its columns, selected by the position; the
/// schedule unrolls the position axis, so each unrolled body keeps only
/// its own sum (and shares the row sums with its neighbours).
TensorFunc GroupLowering::lowerWinogradInput(kernel::WinogradInputOp op) {
  const TensorFunc &x = get(op.getInput());
  std::vector<int64_t> outShape = shapeOf(op.getResult());
  const kernel::WinogradMatrices &t =
      kernel::winogradMatrices(static_cast<int>(op.getTile()));
  int m = t.m, a = t.a;
  winogradTile = m;
  int padTop = static_cast<int>(op.getPads()[0]);
  int padLeft = static_cast<int>(op.getPads()[1]);
  // The tiles read rows -padTop .. m * TH + 1 - padTop, and likewise
  // columns.
  bool outside = padTop > 0 || padLeft > 0 ||
                 m * outShape[2] + 1 - padTop >= x.shape[2] ||
                 m * outShape[3] + 1 - padLeft >= x.shape[3];
  H::Func xp = windowInput(x, 0.0f, outside);
  H::Var tw = axisVar(3), th = axisVar(2), c = axisVar(1), e = axisVar(0);
  auto tap = [&](int i, int j) {
    return xp(tw * m + (j - padLeft), th * m + (i - padTop), c, 0);
  };
  H::Expr value;
  for (int xi = a - 1; xi >= 0; --xi)
    for (int nu = a - 1; nu >= 0; --nu) {
      H::Expr v = winogradCombination(t.bt, nu, a, [&](int j) {
        return winogradCombination(t.bt, xi, a,
                                   [&](int i) { return tap(i, j); });
      });
      value = value.defined() ? H::select(e == xi * a + nu, v, value) : v;
    }
  H::Func f(freshName("winograd_input"));
  f(halideArgs(4)) = value;
  return {f, outShape};
}

/// At Y A for each tile Y of products (see kernel.winograd_output): the
/// output at (m * th + y, m * tw + x) selects its own sum by (y, x); the
/// schedule splits both axes by m and unrolls the remainders, so y % m and
/// x % m are constants in each unrolled body.
TensorFunc GroupLowering::lowerWinogradOutput(kernel::WinogradOutputOp op) {
  const TensorFunc &p = get(op.getInput());
  std::vector<int64_t> outShape = shapeOf(op.getResult());
  const kernel::WinogradMatrices &t =
      kernel::winogradMatrices(static_cast<int>(op.getTile()));
  int m = t.m, a = t.a;
  winogradTile = m;
  H::Var x = axisVar(3), y = axisVar(2), k = axisVar(1);
  H::Expr tx = x / m, ty = y / m, xm = x % m, ym = y % m;
  H::Expr value;
  for (int r = m - 1; r >= 0; --r)
    for (int q = m - 1; q >= 0; --q) {
      H::Expr v = winogradCombination(t.at, q, a, [&](int nu) {
        return winogradCombination(
            t.at, r, a, [&](int xi) { return p.func(tx, ty, k, xi * a + nu); });
      });
      value = value.defined() ? H::select(ym == r && xm == q, v, value) : v;
    }
  H::Func f(freshName("winograd_output"));
  f(halideArgs(4)) = value;
  return {f, outShape};
}

/// The windows of a conv's input, tap by tap (see kernel.im2col). Where a
/// window reads past the input, each channel's plane is padded with zeros
/// where the result computes that channel (padPerChannel): every tap then
/// reads it from L1 with dense (or strided) vector loads.
TensorFunc GroupLowering::lowerIm2col(kernel::Im2colOp op) {
  const TensorFunc &x = get(op.getInput());
  std::vector<int64_t> outShape = shapeOf(op.getResult());
  ArrayRef<int64_t> k = op.getKernelShape(), s = op.getStrides(),
                    d = op.getDilations(), p = op.getPads();
  bool outside = false;
  for (int i = 0; i < 2; ++i)
    outside = outside || p[i] > 0 ||
              (outShape[3 + i] - 1) * s[i] + (k[i] - 1) * d[i] - p[i] >=
                  x.shape[2 + i];
  H::Type t = elementHalideType(op.getResult());
  H::Func xp = windowInput(x, H::Internal::make_zero(t), outside);
  padPerChannel = outside;
  H::Var xv = axisVar(4), yv = axisVar(3), tap = axisVar(2), c = axisVar(1),
         n = axisVar(0);
  int kw = static_cast<int>(k[1]);
  H::Expr row = yv * int(s[0]) + (tap / kw) * int(d[0]) - int(p[0]);
  H::Expr col = xv * int(s[1]) + (tap % kw) * int(d[1]) - int(p[1]);
  H::Func f(freshName("im2col"));
  f(halideArgs(5)) = xp(col, row, c, n);
  return {f, outShape};
}

TensorFunc GroupLowering::lowerMaxPool(onnx::MaxPoolOp op) {
  const TensorFunc &x = get(op.getX());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  WindowAttrs window = windowAttrs(op, spatial);
  auto &[kernel, strides, dilations, pads] = window;

  // Padding never wins a max: use the type's lowest value outside the
  // input. The last window can also run past the end with ceil_mode.
  bool outside = false;
  for (int i = 0; i < spatial; ++i) {
    int64_t lastRead = (outShape[2 + i] - 1) * strides[i] +
                       (kernel[i] - 1) * dilations[i] - pads[i];
    outside |= pads[i] > 0 || lastRead >= x.shape[2 + i];
  }
  H::Func pool(freshName("maxpool"));
  PoolTaps taps = poolTaps(window, spatial);
  if (op.getSelectIndices()) {
    H::Func xp = windowInput(x, elementHalideType(op.getX()).min(), outside);
    pool(halideArgs(rank)) = maxPoolIndices(op, x, xp, window, taps);
    return {pool, outShape};
  }
  // Windows of adjacent taps (no dilation) that each hold at least one
  // input element: a tap outside the input may read the nearest edge
  // element instead, which is in the window too, so the max is unchanged.
  // Halide splits the loops at the edges, so the interior reads dense
  // vectors and nothing is copied (a padded copy of the input cost four
  // times the pooling). Otherwise the lowest value pads a copy.
  bool clampable = true;
  for (int i = 0; i < spatial; ++i)
    clampable &= dilations[i] == 1 && pads[i] < kernel[i] &&
                 (outShape[2 + i] - 1) * strides[i] - pads[i] < x.shape[2 + i];
  // The clamped taps of a row's first and last vectors are gathers: rows
  // of fewer than three vectors pad a copy of each channel's plane instead,
  // made where the channel is computed (GoogLeNet's 3x3/1 pools over 28 x
  // 28 maps: 0.58 ms clamped).
  clampable &= outShape.back() >= 3 * target.floatLanes();
  H::Func xp = x.func;
  if (outside && clampable) {
    xp = H::BoundaryConditions::repeat_edge(x.func, x.extent());
  } else if (outside) {
    xp = windowInput(x, elementHalideType(op.getX()).min(), true);
    padPerChannel = rank >= 3;
  }
  int64_t count = 1;
  for (int i = 0; i < spatial; ++i)
    count *= kernel[i];
  if (count > 16) {
    pool(halideArgs(rank)) = H::maximum(xp(taps.index()));
    return {pool, outShape};
  }
  // A small window: the max of its taps written out, each tap a load of
  // its own in one vectorized loop (no reduction loop).
  H::Expr best;
  for (int64_t t = 0; t < count; ++t) {
    std::vector<H::Expr> idx(rank); // ONNX order
    idx[0] = axisVar(0);
    idx[1] = axisVar(1);
    for (int i = spatial - 1, rest = t; i >= 0; rest /= kernel[i], --i)
      idx[2 + i] = axisVar(2 + i) * int(strides[i]) +
                   int((rest % kernel[i]) * dilations[i] - pads[i]);
    H::Expr tap = xp(std::vector<H::Expr>(idx.rbegin(), idx.rend()));
    best = best.defined() ? H::max(best, tap) : tap;
  }
  pool(halideArgs(rank)) = best;
  return {pool, outShape};
}

/// MaxPool's Indices: the first maximum of each window of `xp` (the input
/// padded with the lowest value).
H::Expr GroupLowering::maxPoolIndices(onnx::MaxPoolOp op, const TensorFunc &x,
                                      H::Func xp, const WindowAttrs &window,
                                      const PoolTaps &taps) {
  const auto &strides = window.strides, &dilations = window.dilations,
             &pads = window.pads;
  int spatial = x.rank() - 2;
  // The first maximum in window order (row-major: the RDom's innermost
  // dim is the last spatial axis), as a flat position in X: n, c, then the
  // spatial axes in row-major or (storage_order 1) column-major order.
  H::Tuple best = H::argmax(xp(taps.index()));
  std::vector<H::Expr> at;
  for (int i = 0; i < spatial; ++i)
    at.push_back(H::clamp(axisVar(2 + i) * int(strides[i]) +
                              best[spatial - 1 - i] * int(dilations[i]) -
                              int(pads[i]),
                          0, int(x.shape[2 + i] - 1)));
  H::Expr flat = H::cast(H::Int(64), axisVar(0)) * I64(x.shape[1]) +
                 H::cast(H::Int(64), axisVar(1));
  for (int k = 0; k < spatial; ++k) {
    int i = op.getStorageOrder() ? spatial - 1 - k : k;
    flat = flat * I64(x.shape[2 + i]) + H::cast(H::Int(64), at[i]);
  }
  return flat;
}

TensorFunc GroupLowering::lowerGlobalAveragePool(onnx::GlobalAveragePoolOp op) {
  const TensorFunc &x = get(op.getX());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  H::Region window;
  int64_t count = 1;
  for (int i = spatial - 1; i >= 0; --i) {
    window.emplace_back(0, static_cast<int>(x.shape[2 + i]));
    count *= x.shape[2 + i];
  }
  H::RDom r(window);
  std::vector<H::Expr> xIdx{axisVar(0), axisVar(1)};
  for (int i = 0; i < spatial; ++i)
    xIdx.push_back(r[spatial - 1 - i]);
  H::Func pool(freshName("global_avg"));
  pool(halideArgs(rank)) = H::sum(x.at(xIdx)) * (1.0f / float(count));
  return {pool, outShape};
}

TensorFunc GroupLowering::lowerMatMul(onnx::MatMulOp op) {
  const TensorFunc &a = get(op.getA());
  const TensorFunc &b = get(op.getB());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size();
  bool aVector = a.rank() == 1, bVector = b.rank() == 1;
  int64_t k = a.shape.back();
  H::RDom r(0, static_cast<int>(k));

  // Result axes: batch..., [m], [n]. Work out which result var plays m, n.
  int batchRank = rank - (aVector ? 0 : 1) - (bVector ? 0 : 1);
  std::vector<int64_t> batchShape(outShape.begin(),
                                  outShape.begin() + batchRank);
  std::vector<H::Expr> batchIdx;
  for (int i = 0; i < batchRank; ++i)
    batchIdx.push_back(axisVar(i));
  H::Expr m = aVector ? H::Expr() : H::Expr(axisVar(batchRank));
  H::Expr n = bVector ? H::Expr() : H::Expr(axisVar(rank - 1));

  std::vector<H::Expr> aIdx, bIdx;
  if (!aVector) {
    std::vector<int64_t> aBatch(a.shape.begin(), a.shape.end() - 2);
    aIdx = broadcastIndex(aBatch, batchShape, batchIdx);
    aIdx.push_back(m);
  }
  aIdx.push_back(r);
  if (!bVector) {
    std::vector<int64_t> bBatch(b.shape.begin(), b.shape.end() - 2);
    bIdx = broadcastIndex(bBatch, batchShape, batchIdx);
  }
  bIdx.push_back(r);
  if (!bVector)
    bIdx.push_back(n);

  // Integers accumulate in their own type, 16-bit floats in float32.
  H::Type t = elementHalideType(op.getY());
  H::Type acc =
      t.is_float() && (t.bits() < 32 || t.is_bfloat()) ? H::Float(32) : t;
  H::Func prod(freshName("matmul"));
  std::vector<H::Var> args = halideArgs(rank);
  prod(args) = H::Internal::make_zero(acc);
  prod(args) += H::cast(acc, a.at(aIdx)) * H::cast(acc, b.at(bIdx));
  anchor = prod;
  anchorDom = r;
  if (!bVector)
    gemmB = b.func;
  bPackedAtCompileTime =
      static_cast<bool>(op.getB().getDefiningOp<kernel::PackedColsOp>());
  if (acc == t)
    return {prod, outShape};
  H::Func narrowed(freshName("matmul_result"));
  narrowed(args) = H::cast(t, prod(args));
  return {narrowed, outShape};
}

/// A matrix [B..., R, C] read from storage packed in blocks of `block` of
/// its rows (`rows`: [B..., R / block, C, block]) or of its columns
/// ([B..., ceil(C / block), R, block]): element (r, c) is
/// in[..., r / block, c, r % block] or in[..., c / block, r, c % block].
TensorFunc GroupLowering::lowerPackedView(Value input, Value result,
                                          bool rows) {
  const TensorFunc &in = get(input);
  std::vector<int64_t> outShape = shapeOf(result);
  int rank = outShape.size();
  int block = static_cast<int>(in.shape.back());
  H::Expr packed = axisVar(rows ? rank - 2 : rank - 1);
  H::Expr other = axisVar(rows ? rank - 1 : rank - 2);
  std::vector<H::Expr> idx;
  for (int i = 0; i < rank - 2; ++i)
    idx.push_back(axisVar(i));
  idx.push_back(packed / block);
  idx.push_back(other);
  idx.push_back(packed % block);
  H::Func f(freshName(rows ? "packed_rows" : "packed_cols"));
  f(halideArgs(rank)) = in.at(idx);
  return {f, outShape};
}

/// A gemm_packed product: weights A read from their row-packed storage (a
/// kernel.packed_rows of a group input) times activations B [B..., K, N].
/// The accumulators are written over explicit tiles, prod(r, j, nb, mb,
/// batch...) = sum over k of A[mb * rows + r, k] * B[k, nb * cols + j],
/// so that the schedule computes a tile of rows (vectors along r) by
/// columns (j unrolled) at once, column nb * cols + j of B clamped to
/// N - 1 (the last tile repeats the last column). B, a group input, is
/// read in place: at each k a tile's columns are adjacent in B's row k,
/// and a reduction block's rows of B stay in L1 across column tiles (a
/// copy of B in column tiles first, each tile's columns adjacent for
/// every k, cost more than it saved: Winograd's [36, 128, 49] product
/// alone 0.88 of the copy's time, ResNet-50's gemm_packed kernels 0.96 in
/// a profile). std::nullopt when the product is not in that form.
std::optional<TensorFunc> GroupLowering::lowerPackedMatMul(onnx::MatMulOp op) {
  auto view = op.getA().getDefiningOp<kernel::PackedRowsOp>();
  DictionaryAttr s = scheduleAttr();
  auto strategy = s ? s.getAs<StringAttr>("strategy") : StringAttr();
  auto tile = s ? s.getAs<DenseI64ArrayAttr>("tile") : DenseI64ArrayAttr();
  const TensorFunc &b = get(op.getB());
  if (!view || !strategy || strategy.getValue() != "gemm_packed" || !tile ||
      tile.size() != 3 || b.rank() < 2 || !elementType(op.getY()).isF32() ||
      !mlir::isa<BlockArgument>(op.getB()))
    return std::nullopt;
  const TensorFunc &ap = get(view.getInput());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size();
  int64_t k = b.shape[b.rank() - 2], n = b.shape.back();
  PackedProduct p;
  p.rows = ap.shape.back();
  p.cols = tile[1];
  if (auto it = inputParams.find(view.getInput().getAsOpaquePointer());
      it != inputParams.end())
    p.weights = it->second;
  if (p.rows != tile[0])
    return std::nullopt;

  std::vector<int64_t> batchShape(outShape.begin(), outShape.end() - 2);
  std::vector<H::Expr> batch;
  for (int i = 0; i < rank - 2; ++i)
    batch.push_back(axisVar(i));
  std::vector<int64_t> aBatch(ap.shape.begin(), ap.shape.end() - 3);
  std::vector<int64_t> bBatch(b.shape.begin(), b.shape.end() - 2);
  std::vector<H::Expr> aIdx = broadcastIndex(aBatch, batchShape, batch);
  std::vector<H::Expr> bIdx = broadcastIndex(bBatch, batchShape, batch);
  H::RDom r(0, static_cast<int>(k));
  std::vector<H::Expr> aAt = aIdx;
  aAt.push_back(p.mb);
  aAt.push_back(r);
  aAt.push_back(p.r);
  H::Expr column = H::min(p.nb * int(p.cols) + p.j, int(n - 1));
  std::vector<H::Var> prodArgs{p.r, p.j, p.nb, p.mb};
  for (int i = rank - 3; i >= 0; --i)
    prodArgs.push_back(axisVar(i));
  p.prod = H::Func(freshName("packed_matmul"));
  p.prod(prodArgs) = 0.0f;
  std::vector<H::Expr> bAt = bIdx;
  bAt.push_back(r);
  bAt.push_back(column);
  p.prod(prodArgs) += ap.at(aAt) * b.at(bAt);

  H::Expr m = axisVar(rank - 2), col = axisVar(rank - 1);
  std::vector<H::Expr> at{m % int(p.rows), col % int(p.cols), col / int(p.cols),
                          m / int(p.rows)};
  for (int i = rank - 3; i >= 0; --i)
    at.push_back(axisVar(i));
  H::Func result(freshName("matmul"));
  result(halideArgs(rank)) = p.prod(at);
  anchor = p.prod;
  anchorDom = r;
  packed = p;
  return TensorFunc{result, outShape};
}

TensorFunc GroupLowering::lowerGemm(onnx::GemmOp op) {
  const TensorFunc &a = get(op.getA());
  const TensorFunc &b = get(op.getB());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int64_t k = op.getTransA() ? a.shape[0] : a.shape[1];
  H::RDom r(0, static_cast<int>(k));
  H::Var i = axisVar(0), j = axisVar(1);
  H::Expr av = op.getTransA() ? a.at({r, i}) : a.at({i, r});
  H::Expr bv = op.getTransB() ? b.at({j, r}) : b.at({r, j});

  H::Func prod(freshName("gemm"));
  prod(j, i) = 0.0f;
  prod(j, i) += av * bv;
  anchor = prod;
  anchorDom = r;

  float alpha = op.getAlpha().convertToFloat();
  float beta = op.getBeta().convertToFloat();
  H::Expr value = alpha == 1.0f ? prod(j, i) : alpha * prod(j, i);
  if (Value c = op.getC(); c && beta != 0.0f) {
    const TensorFunc &cf = get(c);
    H::Expr cv = cf.at(broadcastIndex(cf.shape, outShape, {i, j}));
    value = value + (beta == 1.0f ? cv : beta * cv);
  }
  H::Func out(freshName("gemm_out"));
  out(j, i) = value;
  return {out, outShape};
}

TensorFunc GroupLowering::lowerSoftmax(Value input, int64_t axisAttr,
                                       bool coerce2d, bool log) {
  const TensorFunc &x = get(input);
  std::vector<int64_t> shape = x.shape;
  int rank = shape.size();
  int axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  // Opset < 13 normalizes over every axis from `axis` on.
  int lastReduced = coerce2d ? rank - 1 : axis;

  H::Region window;
  for (int i = lastReduced; i >= axis; --i)
    window.emplace_back(0, static_cast<int>(shape[i]));
  H::RDom r(window);
  std::vector<H::Expr> reducedIdx = onnxIndex(rank);
  std::vector<H::Var> keptArgs; // Halide order, reduced axes dropped
  for (int i = rank - 1; i >= 0; --i) {
    if (i >= axis && i <= lastReduced)
      reducedIdx[i] = r[lastReduced - i];
    else
      keptArgs.push_back(axisVar(i));
  }
  std::vector<H::Expr> keptIdx(keptArgs.begin(), keptArgs.end());

  H::Func maxF(freshName("softmax_max")), expF(freshName("softmax_exp")),
      sumF(freshName("softmax_sum")), out(freshName("softmax"));
  maxF(keptArgs) = H::maximum(x.at(reducedIdx));
  std::vector<H::Var> args = halideArgs(rank);
  expF(args) = H::exp(x.at(onnxIndex(rank)) - maxF(keptIdx));
  std::vector<H::Expr> expReduced(reducedIdx.rbegin(), reducedIdx.rend());
  sumF(keptArgs) = H::sum(expF(expReduced));
  if (log)
    out(args) = x.at(onnxIndex(rank)) - maxF(keptIdx) - H::log(sumF(keptIdx));
  else
    out(args) = expF(args) / sumF(keptIdx);
  rootFuncs = {maxF, sumF};
  return {out, shape};
}

/// The reduced axes' RDom (innermost axis first) and the index into the
/// input for an output index: reduced axes read the RDom, kept ones the
/// output's vars (with keepdims, reduced axes stay as size-1 dims).
static std::vector<H::Expr> reductionIndex(const std::vector<int64_t> &inShape,
                                           ArrayRef<int64_t> axes,
                                           bool keepdims, H::RDom &r) {
  H::Region window;
  for (int64_t a : llvm::reverse(axes))
    window.emplace_back(0, static_cast<int>(inShape[a]));
  r = H::RDom(window);
  std::vector<H::Expr> idx;
  int out = 0;
  for (int64_t i = 0; i < int64_t(inShape.size()); ++i) {
    auto pos = llvm::find(axes, i);
    if (pos == axes.end()) {
      idx.push_back(axisVar(out++));
      continue;
    }
    idx.push_back(r[int(axes.size() - 1 - (pos - axes.begin()))]);
    if (keepdims)
      ++out;
  }
  return idx;
}

/// Reduce op `name` of `x` over `axes` (non-empty), in type `acc`.
static H::Expr reductionValue(StringRef name, const TensorFunc &x,
                              ArrayRef<int64_t> axes, bool keepdims,
                              H::Type acc) {
  H::RDom r;
  std::vector<H::Expr> idx = reductionIndex(x.shape, axes, keepdims, r);
  H::Expr e = H::cast(acc, x.at(idx));
  int64_t count = 1;
  for (int64_t a : axes)
    count *= x.shape[a];
  H::Expr v;
  if (name == "ReduceSum")
    v = H::sum(e);
  else if (name == "ReduceMean")
    v = H::sum(e) / H::Internal::make_const(acc, double(count));
  else if (name == "ReduceMax")
    v = H::maximum(e);
  else if (name == "ReduceMin")
    v = H::minimum(e);
  else if (name == "ReduceProd")
    v = H::product(e);
  else if (name == "ReduceSumSquare")
    v = H::sum(e * e);
  else if (name == "ReduceL1")
    v = H::sum(H::cast(acc, H::abs(e)));
  else if (name == "ReduceL2")
    v = floatMath(H::sum(e * e), H::sqrt);
  else if (name == "ReduceLogSum")
    v = floatMath(H::sum(e), H::log);
  else // ReduceLogSumExp
    v = floatMath(H::sum(floatMath(e, H::exp)), H::log);
  return v;
}

TensorFunc GroupLowering::lowerReduction(Operation *op) {
  const TensorFunc &x = get(op->getOperand(0));
  std::vector<int64_t> outShape = shapeOf(op->getResult(0));
  bool keepdims = op->getAttrOfType<IntegerAttr>("keepdims").getInt() != 0;
  H::Type resultType = elementHalideType(op->getResult(0));
  // 16-bit floats accumulate in float32.
  H::Type acc = resultType.is_float() && resultType.bits() < 32 ? H::Float(32)
                                                                : resultType;
  StringRef name = op->getName().stripDialect();
  H::Func f(freshName(name));
  std::vector<H::Var> args = halideArgs(outShape.size());
  if (op->getNumOperands() > 1) {
    // Axes read at run time: each axis set that fits the declared shape is
    // reduced and the one the axes name selected. With keepdims the dims
    // that shrink to 1 must be reduced and size-1 dims may be (reducing
    // them changes nothing); without, removalCandidates lists the sets.
    H::Expr inRange;
    std::vector<H::Expr> mask =
        axisMask(get(op->getOperand(1)), x.rank(), inRange);
    std::vector<std::vector<int64_t>> sets;
    std::vector<bool> considered(x.rank(), true);
    if (keepdims) {
      sets.emplace_back();
      for (int d = 0; d < x.rank(); ++d) {
        considered[d] = x.shape[d] != 1;
        if (x.shape[d] != outShape[d] || x.shape[d] == 1)
          sets.back().push_back(d);
      }
    } else {
      sets = removalCandidates(x.shape, outShape);
    }
    H::Expr value, any = H::Internal::const_false();
    for (const std::vector<int64_t> &set : llvm::reverse(sets)) {
      H::Expr match = inRange && namesExactly(mask, set, considered);
      H::Expr v = reductionValue(name, x, set, keepdims, acc);
      value = value.defined() ? H::select(match, v, value) : v;
      any = any || match;
    }
    f(args) = H::cast(resultType, checked(op, any, value, "the axes"));
    return {f, outShape};
  }
  SmallVector<int64_t> axes =
      onnx::getI64s(op->getAttrOfType<ArrayAttr>("axes"), 0, 0);
  if (axes.empty()) { // noop_with_empty_axes
    f(args) = x.at(onnxIndex(x.rank()));
    return {f, outShape};
  }
  f(args) = H::cast(resultType, reductionValue(name, x, axes, keepdims, acc));
  return {f, outShape};
}

TensorFunc GroupLowering::lowerArgReduction(Operation *op, bool isMax) {
  const TensorFunc &x = get(op->getOperand(0));
  std::vector<int64_t> outShape = shapeOf(op->getResult(0));
  int64_t axis = op->getAttrOfType<IntegerAttr>("axis").getInt();
  bool keepdims = op->getAttrOfType<IntegerAttr>("keepdims").getInt() != 0;
  bool last = op->getAttrOfType<IntegerAttr>("select_last_index").getInt() != 0;
  int64_t n = x.shape[axis];
  H::RDom r;
  std::vector<H::Expr> idx = reductionIndex(x.shape, {axis}, keepdims, r);
  // Halide's argmax/argmin return the first extremum; scanning backwards
  // finds the last.
  if (last)
    idx[axis] = int(n - 1) - r.x;
  H::Tuple t = isMax ? H::argmax(x.at(idx)) : H::argmin(x.at(idx));
  H::Expr position = last ? int(n - 1) - t[0] : t[0];
  H::Func f(freshName(isMax ? "argmax" : "argmin"));
  f(halideArgs(outShape.size())) = H::cast(H::Int(64), position);
  return {f, outShape};
}

TensorFunc GroupLowering::lowerTranspose(onnx::TransposeOp op) {
  const TensorFunc &x = get(op.getData());
  SmallVector<int64_t> perm = onnx::getI64s(op.getPerm(), 0, 0);
  std::vector<H::Expr> idx(x.rank());
  for (int i = 0; i < x.rank(); ++i)
    idx[perm[i]] = axisVar(i);
  H::Func f(freshName("transpose"));
  std::vector<int64_t> outShape = shapeOf(op.getTransposed());
  int rank = x.rank();
  // The group's anchor moving the input's innermost axis to an output
  // axis outside the two innermost (NHWC -> NCHW), over extents of a
  // vector or more, 32-bit elements: the output is written in square
  // tiles of a vector, each tile's input first copied in vectors along
  // the input's innermost axis, then transposed in registers (shuffles).
  // Written row by row instead, each output vector gathers its lanes from
  // as many cache lines, which the next channel's rows read again only
  // after the whole map (ConvNeXt's [1, 28, 28, 192] -> [1, 192, 28, 28]
  // alone 0.148 -> 0.039 ms). Moved to the axis just outside the
  // innermost (NCHW -> NHWC), the next output vector reads the same lines
  // (0.0385 -> 0.0397 ms), so that stays.
  int lanes = target.floatLanes();
  int outAxis = -1;
  for (int i = 0; i < rank; ++i)
    if (perm[i] == rank - 1)
      outAxis = i;
  if (!blockTranspose && anchorName() == "Transpose" && rank >= 3 &&
      outAxis >= 0 && outAxis < rank - 2 &&
      x.func.output_types().front().bits() == 32 &&
      outShape[rank - 1] >= lanes && outShape[outAxis] >= lanes) {
    H::Func block(freshName("transpose_block"));
    block(halideArgs(rank)) = x.at(onnxIndex(rank));
    std::vector<H::Expr> at = idx;
    std::reverse(at.begin(), at.end());
    f(halideArgs(outShape.size())) = block(at);
    blockTranspose = BlockTranspose{block, f, outAxis,
                                    static_cast<int>(perm[rank - 1]), outShape};
    return {f, outShape};
  }
  f(halideArgs(outShape.size())) = x.at(idx);
  return {f, outShape};
}

TensorFunc GroupLowering::lowerConcat(onnx::ConcatOp op) {
  int64_t axis = op.getAxis();
  std::vector<int64_t> outShape = shapeOf(op.getConcatResult());
  std::vector<H::Expr> idx = onnxIndex(outShape.size());
  H::Expr a = axisVar(axis);
  // select(a < end0, in0, select(a < end1, in1, ... inN)); each input's
  // index is clamped into its own extent so that bounds inference asks no
  // input for more than it holds.
  H::Expr value;
  int64_t end = outShape[axis];
  for (Value v : llvm::reverse(op.getInputs())) {
    const TensorFunc &x = get(v);
    int64_t extent = x.shape[axis];
    int64_t begin = end - extent;
    if (extent > 0) {
      std::vector<H::Expr> at = idx;
      at[axis] = H::clamp(a - int(begin), 0, int(extent - 1));
      value =
          value.defined() ? H::select(a < int(end), x.at(at), value) : x.at(at);
    }
    end = begin;
  }
  H::Func f(freshName("concat"));
  f(halideArgs(outShape.size())) = value;
  return {f, outShape};
}

TensorFunc GroupLowering::lowerGather(onnx::GatherOp op) {
  const TensorFunc &data = get(op.getData());
  const TensorFunc &indices = get(op.getIndices());
  int64_t axis = op.getAxis();
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  int64_t dim = data.shape[axis];
  std::vector<H::Expr> indexIdx, dataIdx;
  for (int i = 0; i < indices.rank(); ++i)
    indexIdx.push_back(axisVar(axis + i));
  H::Expr k = H::cast(H::Int(32), indices.at(indexIdx));
  k = H::select(k < 0, k + int(dim), k);
  for (int64_t i = 0; i < axis; ++i)
    dataIdx.push_back(axisVar(i));
  // Clamped: out-of-range indices are invalid ONNX, and bounds inference
  // needs to know that data is read only inside its extent.
  dataIdx.push_back(H::clamp(k, 0, int(dim - 1)));
  for (int64_t i = axis + 1; i < data.rank(); ++i)
    dataIdx.push_back(axisVar(i - 1 + indices.rank()));
  H::Func f(freshName("gather"));
  f(halideArgs(outShape.size())) = data.at(dataIdx);
  return {f, outShape};
}

/// The onnx.Constant `v` (a group input or a value inside) is, if any.
onnx::ConstantOp GroupLowering::constantInput(Value v) {
  if (auto arg = llvm::dyn_cast<BlockArgument>(v))
    v = group.getInputs()[arg.getArgNumber()];
  return v.getDefiningOp<onnx::ConstantOp>();
}

/// A Reshape, Squeeze or Unsqueeze whose shape or axes are read at run
/// time: a row-major copy, checked against the declared shape.
TensorFunc GroupLowering::lowerCheckedView(Operation *op) {
  const TensorFunc &x = get(op->getOperand(0));
  const TensorFunc &param = get(op->getOperand(1));
  std::vector<int64_t> outShape = shapeOf(op->getResult(0));
  int rank = outShape.size();
  H::Expr ok = H::Internal::const_true();
  std::string what = "the axes";
  if (auto reshape = dyn_cast<onnx::ReshapeOp>(op)) {
    // A constant target shape was resolved by shape inference: no check
    // (as Expand's and Tile's). Read at run time: shape inference made
    // sure the element counts agree, so one -1 stands for the declared dim
    // when every other entry fits.
    what = "the target shape";
    if (!constantInput(reshape.getShape())) {
      H::Expr inferred = 0;
      for (int i = 0; i < rank; ++i) {
        H::Expr v = intAt(param, i);
        H::Expr fits = v == I64(outShape[i]) || v == I64(-1);
        if (!reshape.getAllowzero() && i < x.rank() &&
            x.shape[i] == outShape[i])
          fits = fits || v == I64(0);
        ok = ok && fits;
        inferred = inferred + H::select(v == I64(-1), 1, 0);
      }
      ok = ok && inferred <= 1;
    }
  } else {
    bool inserts = isa<onnx::UnsqueezeOp>(op);
    const std::vector<int64_t> &longer = inserts ? outShape : x.shape;
    const std::vector<int64_t> &shorter = inserts ? x.shape : outShape;
    H::Expr inRange, any = H::Internal::const_false();
    std::vector<H::Expr> mask = axisMask(param, longer.size(), inRange);
    std::vector<bool> considered(longer.size(), true);
    for (const std::vector<int64_t> &set : removalCandidates(longer, shorter))
      if (llvm::all_of(set, [&](int64_t d) { return longer[d] == 1; }))
        any = any || namesExactly(mask, set, considered);
    ok = inRange && any;
  }
  // Leading axes the two shapes share map to themselves; the rest go
  // through their row-major offset, the outermost of them without a
  // modulo (the offset is in range), so that bounds inference sees which
  // rows of the input a range of the result reads (a [N, C, H * W] view of
  // [N, C, H, W]: rows p / W, columns p % W).
  int shared = 0;
  while (shared < rank && shared < x.rank() &&
         outShape[shared] == x.shape[shared])
    ++shared;
  H::Expr flat = 0;
  for (int i = shared; i < rank; ++i)
    flat = flat * int(outShape[i]) + axisVar(i);
  std::vector<H::Expr> at(x.rank());
  for (int i = 0; i < shared; ++i)
    at[i] = axisVar(i);
  for (int i = x.rank() - 1; i >= shared; --i) {
    at[i] = i == shared ? flat : flat % int(x.shape[i]);
    flat = flat / int(x.shape[i]);
  }
  H::Func f(freshName(op->getName().stripDialect()));
  f(halideArgs(rank)) = H::Internal::is_const_one(ok)
                            ? x.at(at)
                            : checked(op, ok, x.at(at), what);
  return {f, outShape};
}

TensorFunc GroupLowering::lowerSlice(onnx::SliceOp op) {
  const TensorFunc &x = get(op.getData());
  if (!op.getParams().empty()) {
    // Read at run time: each axis's start and step, clamped as ONNX says;
    // the extents they give must be the declared ones.
    auto param = [&](unsigned i) { return optionalParam(op.getParams(), i); };
    const TensorFunc *starts = param(0), *ends = param(1), *axes = param(2),
                     *steps = param(3);
    std::vector<int64_t> outShape = shapeOf(op.getOutput());
    int rank = x.rank();
    std::vector<H::Expr> start(rank, I64(0)), step(rank, I64(1)), count,
        seen(rank, H::Internal::const_false());
    for (int d = 0; d < rank; ++d)
      count.push_back(I64(x.shape[d]));
    H::Expr ok = H::Internal::const_true();
    for (int i = 0; i < lengthOf(*starts); ++i) {
      H::Expr a = axes ? intAt(*axes, i) : I64(i);
      a = H::select(a < 0, a + I64(rank), a);
      H::Expr t = steps ? intAt(*steps, i) : I64(1);
      ok = ok && a >= I64(0) && a < I64(rank) && t != I64(0);
      for (int d = 0; d < rank; ++d) {
        H::Expr dim = I64(x.shape[d]);
        H::Expr b = intAt(*starts, i), e = intAt(*ends, i);
        b = H::select(b < 0, b + dim, b);
        e = H::select(e < 0, e + dim, e);
        H::Expr bUp = H::clamp(b, I64(0), dim), eUp = H::clamp(e, I64(0), dim);
        H::Expr bDown = H::clamp(b, I64(0), dim - 1),
                eDown = H::clamp(e, I64(-1), dim - 1);
        H::Expr n = H::select(t > 0, (eUp - bUp + t - 1) / t,
                              (bDown - eDown - t - 1) / (-t));
        H::Expr hit = a == I64(d);
        ok = ok && !(hit && seen[d]);
        seen[d] = seen[d] || hit;
        start[d] = H::select(hit, H::select(t > 0, bUp, bDown), start[d]);
        step[d] = H::select(hit, t, step[d]);
        count[d] = H::select(hit, H::max(I64(0), n), count[d]);
      }
    }
    std::vector<H::Expr> idx;
    for (int d = 0; d < rank; ++d) {
      ok = ok && count[d] == I64(outShape[d]);
      H::Expr at = start[d] + H::cast(H::Int(64), axisVar(d)) * step[d];
      idx.push_back(H::clamp(H::cast(H::Int(32), at), 0, int(x.shape[d] - 1)));
    }
    H::Func f(freshName("slice"));
    f(halideArgs(rank)) =
        checked(op, ok, x.at(idx), "the starts, ends, axes and steps");
    return {f, outShape};
  }
  SmallVector<int64_t> starts = onnx::getI64s(op.getStarts(), 0, 0);
  SmallVector<int64_t> steps = onnx::getI64s(op.getSteps(), 0, 0);
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  std::vector<H::Expr> idx;
  for (int i = 0; i < x.rank(); ++i)
    idx.push_back(int(starts[i]) + axisVar(i) * int(steps[i]));
  H::Func f(freshName("slice"));
  f(halideArgs(outShape.size())) = x.at(idx);
  return {f, outShape};
}

/// Ops whose every output element is one input element (or a value
/// computed from the index alone): index arithmetic only.
TensorFunc GroupLowering::lowerMovement(Operation *op) {
  std::vector<int64_t> outShape = shapeOf(op->getResult(0));
  int rank = outShape.size();
  std::vector<H::Expr> idx = onnxIndex(rank);
  H::Type resultType = elementHalideType(op->getResult(0));
  auto c = [&](double v) { return H::Internal::make_const(resultType, v); };
  H::Expr value;
  if (auto expand = dyn_cast<onnx::ExpandOp>(op)) {
    const TensorFunc &x = get(expand.getInput());
    value = x.at(broadcastIndex(x.shape, outShape, idx));
    if (!constantInput(expand.getShape())) {
      // Read at run time: each entry must broadcast to the declared dim.
      const TensorFunc &shape = get(expand.getShape());
      int64_t length = lengthOf(shape);
      H::Expr ok = H::Internal::const_true();
      for (int64_t i = 0; i < length; ++i) {
        int64_t j = rank - length + i, k = j - (rank - x.rank());
        H::Expr v = intAt(shape, i);
        H::Expr fits = v == I64(outShape[j]);
        if (k >= 0 && x.shape[k] == outShape[j])
          fits = fits || v == I64(1);
        ok = ok && fits;
      }
      value = checked(op, ok, value, "the shape");
    }
  } else if (auto tile = dyn_cast<onnx::TileOp>(op)) {
    const TensorFunc &x = get(tile.getInput());
    std::vector<H::Expr> in;
    for (int i = 0; i < rank; ++i)
      in.push_back(idx[i] % int(x.shape[i]));
    value = x.at(in);
    if (!constantInput(tile.getRepeats())) {
      const TensorFunc &repeats = get(tile.getRepeats());
      H::Expr ok = H::Internal::const_true();
      for (int i = 0; i < rank; ++i)
        ok = ok && intAt(repeats, i) == I64(outShape[i] / x.shape[i]);
      value = checked(op, ok, value, "the repeats");
    }
  } else if (auto fill = dyn_cast<onnx::ConstantOfShapeOp>(op)) {
    // Left to run time only when the shape is an input (else folded).
    value = c(0);
    if (auto dense =
            llvm::dyn_cast_if_present<DenseElementsAttr>(fill.getValueAttr());
        dense && dense.getNumElements() == 1) {
      Attribute v = dense.getValues<Attribute>()[0];
      if (auto i = llvm::dyn_cast<IntegerAttr>(v))
        value = resultType.is_float()
                    ? c(double(i.getValue().getSExtValue()))
                    : H::Internal::make_const(resultType,
                                              i.getValue().getSExtValue());
      else if (auto f = llvm::dyn_cast<FloatAttr>(v))
        value = c(f.getValueAsDouble());
    }
    const TensorFunc &shape = get(fill.getInput());
    H::Expr ok = H::Internal::const_true();
    for (int i = 0; i < rank; ++i)
      ok = ok && intAt(shape, i) == I64(outShape[i]);
    value = checked(op, ok, value, "the shape");
  } else if (auto oneHot = dyn_cast<onnx::OneHotOp>(op)) {
    const TensorFunc &indices = get(oneHot.getIndices());
    const TensorFunc &values = get(oneHot.getValues());
    const TensorFunc &depthIn = get(oneHot.getDepth());
    int64_t axis =
        oneHot.getAxis() < 0 ? oneHot.getAxis() + rank : oneHot.getAxis();
    std::vector<H::Expr> at;
    for (int i = 0; i < rank; ++i)
      if (i != axis)
        at.push_back(idx[i]);
    // Float depths and indices count as their integer part.
    H::Expr depth = H::cast(
        H::Int(64), depthIn.at(std::vector<H::Expr>(depthIn.rank(), 0)));
    H::Expr k = H::cast(H::Int(64), indices.at(at));
    k = H::select(k < 0, k + depth, k);
    value = H::select(k == H::cast(H::Int(64), idx[axis]), values.at({1}),
                      values.at({0}));
    value = checked(op, depth == I64(outShape[axis]), value, "depth");
  } else if (auto tfidf = dyn_cast<onnx::TfIdfVectorizerOp>(op)) {
    // Each pool n-gram of a counted length is matched at every start of
    // the row, once per skip distance 1..max_skip_count+1 (unigrams once),
    // and its count added to its output column; then the weighting.
    const TensorFunc &x = get(tfidf.getX());
    int width = x.shape.back();
    H::Expr column = idx[rank - 1];
    auto at = [&](H::Expr i) {
      std::vector<H::Expr> where{i};
      if (x.rank() == 2)
        where.insert(where.begin(), idx[0]);
      return H::cast(H::Int(64), x.at(where));
    };
    SmallVector<int64_t> pool = onnx::getI64s(*tfidf.getPoolInt64s(), 0, 0);
    SmallVector<int64_t> counts = onnx::getI64s(tfidf.getNgramCounts(), 0, 0);
    SmallVector<int64_t> indexes = onnx::getI64s(tfidf.getNgramIndexes(), 0, 0);
    int64_t minLength = tfidf.getMinGramLength(),
            maxLength = tfidf.getMaxGramLength();
    H::Expr total = 0;
    size_t id = 0;
    for (size_t seg = 0; seg < counts.size(); ++seg) {
      int n = seg + 1;
      int64_t end = seg + 1 < counts.size() ? counts[seg + 1] : pool.size();
      for (int64_t e = counts[seg]; e + n <= end; e += n, ++id) {
        if (n < minLength || n > maxLength)
          continue;
        int skips = n == 1 ? 1 : int(tfidf.getMaxSkipCount()) + 1;
        for (int d = 1; d <= skips; ++d) {
          int span = (n - 1) * d;
          if (span >= width)
            continue;
          H::RDom r(0, width - span);
          H::Expr match = H::Internal::const_true();
          for (int k = 0; k < n; ++k)
            match = match && at(r + k * d) == I64(pool[e + k]);
          total = total + H::select(column == int(indexes[id]),
                                    H::sum(H::select(match, 1, 0)), 0);
        }
      }
    }
    H::Expr weight = c(1);
    if (auto weights = tfidf.getWeights()) {
      SmallVector<double> w;
      for (Attribute a : *weights)
        w.push_back(llvm::cast<FloatAttr>(a).getValueAsDouble());
      weight = c(w.back());
      for (int i = int(w.size()) - 2; i >= 0; --i)
        weight = H::select(column == i, c(w[i]), weight);
    }
    H::Expr count = H::cast(resultType, total);
    StringRef mode = tfidf.getMode();
    value = mode == "TF"    ? count
            : mode == "IDF" ? H::select(total > 0, weight, c(0))
                            : weight * count;
  } else if (auto det = dyn_cast<onnx::DetOp>(op)) {
    // The Leibniz sum over the permutations of the (small) matrix, in
    // float64: sign(p) * prod_i X[..., i, p(i)].
    const TensorFunc &x = get(det.getX());
    int m = x.shape.back();
    std::vector<int> perm(m);
    for (int i = 0; i < m; ++i)
      perm[i] = i;
    H::Expr sum = H::Internal::make_const(H::Float(64), 0.0);
    do {
      int inversions = 0;
      for (int i = 0; i < m; ++i)
        for (int j = i + 1; j < m; ++j)
          inversions += perm[i] > perm[j];
      H::Expr term = H::Internal::make_const(H::Float(64), 1.0);
      for (int i = 0; i < m; ++i) {
        std::vector<H::Expr> at(idx.begin(), idx.end());
        at.push_back(i);
        at.push_back(perm[i]);
        term = term * H::cast(H::Float(64), x.at(at));
      }
      sum = inversions % 2 ? sum - term : sum + term;
    } while (std::next_permutation(perm.begin(), perm.end()));
    value = sum;
  } else if (auto center = dyn_cast<onnx::CenterCropPadOp>(op)) {
    // Cropped from, or padded around, the middle (the odd one off at the
    // end), as ONNX's reference does.
    const TensorFunc &x = get(center.getInputData());
    const TensorFunc &shape = get(center.getShape());
    std::vector<H::Expr> in = idx;
    H::Expr inside = H::Internal::const_true(), ok = inside;
    for (auto [i, a] :
         llvm::enumerate(onnx::getI64s(*center.getAxes(), 0, 0))) {
      int64_t dim = x.shape[a], size = outShape[a];
      ok = ok && intAt(shape, i) == I64(size);
      int offset = int(std::abs(dim - size) / 2);
      if (size < dim) {
        in[a] = idx[a] + offset;
      } else if (size > dim) {
        in[a] = H::clamp(idx[a] - offset, 0, int(dim - 1));
        inside = inside && idx[a] >= offset && idx[a] < offset + int(dim);
      }
    }
    value = checked(op, ok, H::select(inside, x.at(in), c(0)), "the shape");
  } else if (auto affine = dyn_cast<onnx::AffineGridOp>(op)) {
    // grid[n, ..., i] = theta[n, i, :] . (x, y[, z], 1), the normalized
    // coordinates of the output position, innermost axis first.
    const TensorFunc &theta = get(affine.getTheta());
    const TensorFunc &size = get(affine.getSize());
    int spatial = rank - 2;
    bool corners = affine.getAlignCorners() != 0;
    H::Expr ok = intAt(size, 0) == I64(outShape[0]);
    std::vector<H::Expr> coord;
    for (int k = 0; k < spatial; ++k) {
      int a = rank - 2 - k; // x from the innermost spatial axis
      ok = ok && intAt(size, 2 + spatial - 1 - k) == I64(outShape[a]);
      H::Expr p = H::cast(H::Float(32), idx[a]);
      float n = float(outShape[a]);
      coord.push_back(corners ? -1.0f + p * (2.0f / (n - 1))
                              : -1.0f + (2.0f * p + 1.0f) / n);
    }
    H::Expr sum = theta.at({idx[0], idx[rank - 1], spatial});
    for (int k = 0; k < spatial; ++k)
      sum = sum + theta.at({idx[0], idx[rank - 1], k}) * coord[k];
    value = checked(op, ok, sum, "size");
  } else if (isa<onnx::CompressOp, onnx::NonZeroOp>(op)) {
    // The j-th kept slice is the one where the count of true conditions so
    // far first exceeds j: src(j) = #{i : prefix(i) <= j}. NonZero keeps
    // X's non-zero elements (row-major), Compress the slices condition
    // names.
    auto compress = dyn_cast<onnx::CompressOp>(op);
    const TensorFunc &x = get(op->getOperand(0));
    int len = compress ? get(compress.getCondition()).shape[0]
                       : int(numElements(x.shape));
    auto kept = [&](H::Expr i) -> H::Expr {
      if (compress)
        return get(compress.getCondition()).at({i});
      H::Expr e = x.at(unflatten(i, x.shape));
      return e != H::Internal::make_zero(e.type());
    };
    H::Var v = axisVar(0);
    H::RDom r(0, len);
    H::Func prefix(freshName("kept_prefix"));
    prefix(v) = H::sum(H::select(r <= v && kept(r), 1, 0));
    H::Func src(freshName("kept_source"));
    src(v) = H::sum(H::select(prefix(r) <= v, 1, 0));
    rootFuncs.push_back(prefix);
    rootFuncs.push_back(src);
    if (!compress) {
      // Y[d, j]: coordinate d of the j-th non-zero.
      std::vector<H::Expr> at =
          unflatten(H::clamp(src(idx[1]), 0, len - 1), x.shape);
      value = 0;
      for (int d = x.rank() - 1; d >= 0; --d)
        value = H::select(idx[0] == d, at[d], value);
      value = checked(op, prefix(len - 1) == int(outShape[1]), value, "X");
      H::Func f(freshName("nonzero"));
      f(halideArgs(rank)) = H::cast(resultType, value);
      return {f, outShape};
    }
    std::optional<int64_t> axis = compress.getAxis();
    int64_t at = axis ? *axis : 0;
    if (axis) {
      std::vector<H::Expr> in = idx;
      in[at] = H::clamp(src(idx[at]), 0, int(x.shape[at] - 1));
      value = x.at(in);
    } else {
      value = x.at(unflatten(
          H::clamp(src(idx[0]), 0, int(numElements(x.shape) - 1)), x.shape));
    }
    value =
        checked(op, prefix(len - 1) == int(outShape[at]), value, "condition");
  } else if (isa<onnx::HannWindowOp, onnx::HammingWindowOp,
                 onnx::BlackmanWindowOp>(op)) {
    const TensorFunc &size = get(op->getOperand(0));
    bool periodic = op->getAttrOfType<IntegerAttr>("periodic").getInt() != 0;
    int64_t length = outShape[0];
    H::Expr a = F64(2 * M_PI) * f64(idx[0]) /
                F64(double(periodic ? length : length - 1));
    if (isa<onnx::HannWindowOp>(op))
      value = F64(0.5) - F64(0.5) * H::cos(a);
    else if (isa<onnx::HammingWindowOp>(op))
      value = F64(25.0 / 46) - F64(21.0 / 46) * H::cos(a);
    else
      value = F64(0.42) - F64(0.5) * H::cos(a) + F64(0.08) * H::cos(F64(2) * a);
    value = checked(op, intAt(size, 0) == I64(length), value, "size");
  } else if (auto range = dyn_cast<onnx::RangeOp>(op)) {
    // Left to run time only when an input is not constant (else folded).
    H::Expr start = firstValue(get(range.getStart())),
            limit = firstValue(get(range.getLimit())),
            delta = firstValue(get(range.getDelta()));
    value = start + H::cast(resultType, idx[0]) * delta;
    H::Expr n =
        H::ceil((H::cast(H::Float(64), limit) - H::cast(H::Float(64), start)) /
                H::cast(H::Float(64), delta));
    H::Expr ok = delta != c(0) &&
                 H::max(n, H::Expr(0.0)) ==
                     H::Internal::make_const(H::Float(64), double(outShape[0]));
    value = checked(op, ok, value, "start, limit and delta");
  } else if (auto eye = dyn_cast<onnx::EyeLikeOp>(op)) {
    value = H::select(idx[1] - idx[0] == int(eye.getK()), c(1), c(0));
  } else if (auto trilu = dyn_cast<onnx::TriluOp>(op)) {
    const TensorFunc &x = get(trilu.getInput());
    H::Expr k = H::Expr(0);
    if (Value kv = trilu.getK()) {
      const TensorFunc &kf = get(kv);
      k = H::cast(H::Int(32),
                  H::clamp(kf.at(std::vector<H::Expr>(kf.rank(), 0)),
                           -(1 << 30), 1 << 30));
    }
    H::Expr row = idx[rank - 2], col = idx[rank - 1];
    H::Expr keep = trilu.getUpper() ? col - row >= k : col - row <= k;
    value = H::select(keep, x.at(idx), c(0));
  } else if (auto ge = dyn_cast<onnx::GatherElementsOp>(op)) {
    const TensorFunc &data = get(ge.getData());
    const TensorFunc &indices = get(ge.getIndices());
    int64_t axis = ge.getAxis(), dim = data.shape[axis];
    H::Expr k = H::cast(H::Int(32), indices.at(idx));
    k = H::select(k < 0, k + int(dim), k);
    std::vector<H::Expr> at = idx;
    at[axis] = H::clamp(k, 0, int(dim - 1)); // see lowerGather
    value = data.at(at);
  } else if (auto d2s = dyn_cast<onnx::DepthToSpaceOp>(op)) {
    const TensorFunc &x = get(d2s.getInput());
    int b = d2s.getBlocksize();
    int cOut = outShape[1];
    H::Expr by = idx[2] % b, bx = idx[3] % b;
    H::Expr channel = d2s.getMode() == "DCR" ? (by * b + bx) * cOut + idx[1]
                                             : idx[1] * (b * b) + by * b + bx;
    value = x.at({idx[0], channel, idx[2] / b, idx[3] / b});
  } else if (auto s2d = dyn_cast<onnx::SpaceToDepthOp>(op)) {
    const TensorFunc &x = get(s2d.getInput());
    int b = s2d.getBlocksize();
    int cIn = x.shape[1];
    H::Expr block = idx[1] / cIn, channel = idx[1] % cIn;
    value =
        x.at({idx[0], channel, idx[2] * b + block / b, idx[3] * b + block % b});
  } else if (auto hm = dyn_cast<onnx::HardmaxOp>(op)) {
    const TensorFunc &x = get(hm.getInput());
    int64_t axis = hm.getAxis() < 0 ? hm.getAxis() + rank : hm.getAxis();
    // Opset < 13: the first maximum over all axes from `axis` on, flattened.
    int64_t last = hm.getCoerce_2d() ? rank - 1 : axis;
    H::Region window;
    for (int64_t i = last; i >= axis; --i)
      window.emplace_back(0, static_cast<int>(x.shape[i]));
    H::RDom r(window);
    std::vector<H::Expr> at = idx;
    H::Expr flat = 0, here = 0;
    for (int64_t i = axis; i <= last; ++i) {
      at[i] = r[int(last - i)];
      flat = flat * int(x.shape[i]) + at[i];
      here = here * int(x.shape[i]) + idx[i];
    }
    H::Func first(freshName("hardmax_first"));
    std::vector<H::Var> kept;
    std::vector<H::Expr> keptIdx;
    for (int i = rank - 1; i >= 0; --i)
      if (i < axis || i > last) {
        kept.push_back(axisVar(i));
        keptIdx.push_back(axisVar(i));
      }
    // Flattened position of the first maximum (argmax keeps the first).
    H::Tuple best = H::argmax(x.at(at));
    H::Expr pos = 0;
    for (int i = 0; i < int(last - axis + 1); ++i) {
      int64_t axisIndex = last - i;
      int64_t stride = 1;
      for (int64_t j = axisIndex + 1; j <= last; ++j)
        stride *= x.shape[j];
      pos = pos + best[i] * int(stride);
    }
    first(kept) = pos;
    rootFuncs.push_back(first);
    value = H::select(here == first(keptIdx), c(1), c(0));
  } else if (auto pool = dyn_cast<onnx::GlobalMaxPoolOp>(op)) {
    const TensorFunc &x = get(pool.getX());
    H::Region window;
    for (int i = x.rank() - 1; i >= 2; --i)
      window.emplace_back(0, static_cast<int>(x.shape[i]));
    H::RDom r(window);
    std::vector<H::Expr> at{idx[0], idx[1]};
    for (int i = 2; i < x.rank(); ++i)
      at.push_back(r[x.rank() - 1 - i]);
    value = H::maximum(x.at(at));
  }
  H::Func f(freshName(op->getName().stripDialect()));
  f(halideArgs(rank)) = H::cast(resultType, value);
  return {f, outShape};
}

/// Running sums: a scan along the axis (reversed for `reverse`), shifted
/// by one for `exclusive`; the axis shape inference resolved, or one read
/// at run time (alongAxisInput).
TensorFunc GroupLowering::lowerCumSum(onnx::CumSumOp op) {
  const TensorFunc &x = get(op.getX());
  int rank = x.rank();
  bool reverse = op.getReverse() != 0, exclusive = op.getExclusive() != 0;
  std::vector<H::Var> args = halideArgs(rank);
  auto scanAlong = [&](int axis) {
    int n = x.shape[axis];
    auto along = [&](H::Expr i) {
      std::vector<H::Expr> at = onnxIndex(rank);
      at[axis] = i;
      return at;
    };
    H::Var a = axisVar(axis);
    H::Func scan(freshName("cumsum_scan"));
    scan(args) = x.at(along(reverse ? (n - 1) - a : H::Expr(a)));
    H::RDom r(1, std::max(n - 1, 1));
    std::vector<H::Expr> at = along(r), prev = along(r - 1);
    std::vector<H::Expr> atHalide(at.rbegin(), at.rend()),
        prevHalide(prev.rbegin(), prev.rend());
    if (n > 1)
      scan(atHalide) = scan(prevHalide) +
                       x.at(along(reverse ? (n - 1) - H::Expr(r) : H::Expr(r)));
    rootFuncs.push_back(scan);
    auto scanAt = [&](H::Expr i) {
      std::vector<H::Expr> p = along(i);
      return scan(std::vector<H::Expr>(p.rbegin(), p.rend()));
    };
    H::Expr pos = reverse ? (n - 1) - H::Expr(a) : H::Expr(a);
    return exclusive ? H::select(pos == 0,
                                 H::Internal::make_zero(scan.value().type()),
                                 scanAt(H::max(pos - 1, 0)))
                     : scanAt(pos);
  };
  std::optional<int64_t> axis = op.getAxis();
  H::Expr value =
      axis ? scanAlong(static_cast<int>(*axis))
           : alongAxisInput(op.getAxisInput(), rank, 0, rank - 1, scanAlong);
  H::Func f(freshName("cumsum"));
  f(args) = value;
  return {f, x.shape};
}

TensorFunc GroupLowering::lowerPad(onnx::PadOp op) {
  const TensorFunc &x = get(op.getData());
  int rank = x.rank();
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  // Each axis's begin pad: resolved by shape inference, or read at run time
  // from the pads (and axes) inputs and checked against the declared shape.
  std::vector<H::Expr> begin(rank, I64(0));
  H::Expr ok = H::Internal::const_true();
  bool runtime = !op.getPads();
  if (!runtime) {
    SmallVector<int64_t> pads = onnx::getI64s(op.getPads(), 0, 0);
    for (int i = 0; i < rank; ++i)
      begin[i] = I64(pads[i]);
  } else {
    const TensorFunc &pads = get(op.getParams()[0]);
    bool hasAxes = op.getParams().size() > 2 &&
                   !llvm::isa<NoneType>(op.getParams()[2].getType());
    int64_t k = lengthOf(pads) / 2;
    std::vector<H::Expr> end(rank, I64(0)),
        seen(rank, H::Internal::const_false());
    for (int i = 0; i < k; ++i) {
      H::Expr a = hasAxes ? intAt(get(op.getParams()[2]), i) : I64(i);
      a = H::select(a < 0, a + I64(rank), a);
      ok = ok && a >= I64(0) && a < I64(rank);
      for (int d = 0; d < rank; ++d) {
        H::Expr hit = a == I64(d);
        ok = ok && !(hit && seen[d]);
        seen[d] = seen[d] || hit;
        begin[d] = H::select(hit, intAt(pads, i), begin[d]);
        end[d] = H::select(hit, intAt(pads, i + k), end[d]);
      }
    }
    for (int d = 0; d < rank; ++d)
      ok = ok && I64(x.shape[d]) + begin[d] + end[d] == I64(outShape[d]);
  }
  H::Type t = elementHalideType(op.getOutput());
  StringRef mode = op.getMode();
  H::Region bounds = x.extent();
  H::Func padded;
  if (mode == "constant") {
    H::Expr value = H::Internal::make_const(
        t, op.getValue() ? op.getValue()->convertToDouble() : 0.0);
    if (op.getParams().size() > 1 &&
        !llvm::isa<NoneType>(op.getParams()[1].getType())) {
      const TensorFunc &cv = get(op.getParams()[1]);
      value = cv.at(std::vector<H::Expr>(cv.rank(), 0));
    }
    padded = H::BoundaryConditions::constant_exterior(x.func, value, bounds);
  } else if (mode == "edge") {
    padded = H::BoundaryConditions::repeat_edge(x.func, bounds);
  } else if (mode == "reflect") {
    padded = H::BoundaryConditions::mirror_interior(x.func, bounds);
  } else {
    padded = H::BoundaryConditions::repeat_image(x.func, bounds);
  }
  std::vector<H::Expr> at;
  for (int i = rank - 1; i >= 0; --i)
    at.push_back(axisVar(i) - H::cast(H::Int(32), begin[i]));
  H::Func f(freshName("pad"));
  H::Expr value = padded(at);
  f(halideArgs(rank)) =
      runtime ? checked(op, ok, value, "the pads and axes") : value;
  return {f, outShape};
}

/// The mean over each window: the padded sum over the window divided by
/// the number of positions counted (inside the input, or also inside the
/// pads with count_include_pad; never the ceil_mode overhang).
TensorFunc GroupLowering::lowerAveragePool(onnx::AveragePoolOp op) {
  const TensorFunc &x = get(op.getX());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  WindowAttrs window = windowAttrs(op, spatial);
  bool includePad = op.getCountIncludePad() != 0;
  H::Func xp = windowInput(x, 0.0f, true);
  PoolTaps taps = poolTaps(window, spatial);
  H::Expr counted = H::Internal::const_true();
  for (int i = 0; i < spatial; ++i) {
    int lo = includePad ? -int(window.pads[i]) : 0;
    int hi =
        int(x.shape[2 + i]) + (includePad ? int(window.pads[spatial + i]) : 0);
    counted = counted && taps.pos[i] >= lo && taps.pos[i] < hi;
  }
  H::Func sum(freshName("avgpool_sum")), count(freshName("avgpool_count"));
  std::vector<H::Var> args = halideArgs(rank);
  sum(args) = H::sum(xp(taps.index()));
  count(args) = H::sum(H::select(counted, 1.0f, 0.0f));
  H::Func f(freshName("avgpool"));
  f(args) = sum(args) / H::max(count(args), 1.0f);
  return {f, outShape};
}

/// (sum over the window of |x|^p)^(1/p); padding adds zeros.
TensorFunc GroupLowering::lowerLpPool(onnx::LpPoolOp op) {
  const TensorFunc &x = get(op.getX());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  H::Func xp = windowInput(x, 0.0f, true);
  float p = static_cast<float>(op.getP());
  H::Expr v = H::abs(xp(poolTaps(windowAttrs(op, spatial), spatial).index()));
  H::Func sum(freshName("lppool_sum"));
  std::vector<H::Var> args = halideArgs(rank);
  sum(args) = H::sum(p == 1 ? v : p == 2 ? v * v : H::pow(v, p));
  H::Func f(freshName("lppool"));
  f(args) = p == 1   ? sum(args)
            : p == 2 ? H::sqrt(sum(args))
                     : H::pow(sum(args), 1.0f / p);
  return {f, outShape};
}

/// Y = X / (bias + alpha / size * S)^beta, S the sum of squares over
/// channels c - floor((size - 1) / 2) .. c + ceil((size - 1) / 2) that
/// exist.
TensorFunc GroupLowering::lowerLRN(onnx::LRNOp op) {
  const TensorFunc &x = get(op.getX());
  int rank = x.rank();
  int size = static_cast<int>(op.getSize());
  int channels = static_cast<int>(x.shape[1]);
  int before = (size - 1) / 2;
  H::RDom r(0, size);
  std::vector<H::Expr> at = onnxIndex(rank);
  H::Expr c = axisVar(1) - before + r;
  at[1] = H::clamp(c, 0, channels - 1);
  H::Type t = elementHalideType(op.getY());
  H::Expr v = H::cast(H::Float(32), x.at(at));
  H::Func squares(freshName("lrn_squares"));
  std::vector<H::Var> args = halideArgs(rank);
  squares(args) = H::sum(H::select(c >= 0 && c < channels, v * v, 0.0f));
  float alpha = op.getAlpha().convertToFloat(),
        beta = op.getBeta().convertToFloat(),
        bias = op.getBias().convertToFloat();
  H::Func f(freshName("lrn"));
  f(args) =
      H::cast(t, H::cast(H::Float(32), x.at(onnxIndex(rank))) /
                     H::pow(bias + alpha / float(size) * squares(args), beta));
  return {f, x.shape};
}

/// Y[b, t] = X[b, len[b] - 1 - t] for t < len[b], else X[b, t] (batch and
/// time being axes 0 and 1 in either order); lengths are read at run time
/// and clamped to the time axis.
TensorFunc GroupLowering::lowerReverseSequence(onnx::ReverseSequenceOp op) {
  const TensorFunc &x = get(op.getInput());
  const TensorFunc &lens = get(op.getSequenceLens());
  int rank = x.rank();
  int b = static_cast<int>(op.getBatchAxis()),
      t = static_cast<int>(op.getTimeAxis());
  int steps = static_cast<int>(x.shape[t]);
  H::Expr len = H::clamp(H::cast(H::Int(32), lens.at({axisVar(b)})), 0, steps);
  std::vector<H::Expr> at = onnxIndex(rank);
  H::Expr time = axisVar(t);
  at[t] = H::select(time < len, H::clamp(len - 1 - time, 0, steps - 1), time);
  H::Func f(freshName("reverse_sequence"));
  f(halideArgs(rank)) = x.at(at);
  return {f, x.shape};
}

/// Per target element: -weight[t] * input[n, t, d...] (0 for ignored
/// targets); then summed, or summed and divided by the summed weights.
TensorFunc GroupLowering::lowerNllLoss(onnx::NegativeLogLikelihoodLossOp op) {
  const TensorFunc &input = get(op.getInput());
  const TensorFunc &target = get(op.getTarget());
  std::vector<int64_t> outShape = shapeOf(op.getLoss());
  int tRank = target.rank();
  int classes = input.shape[1];
  std::optional<int64_t> ignore = op.getIgnoreIndex();
  auto lossAt = [&](const std::vector<H::Expr> &t) {
    H::Expr cls = H::cast(H::Int(32), target.at(t));
    H::Expr valid = cls >= 0 && cls < classes;
    if (ignore)
      valid = valid && cls != int(*ignore);
    H::Expr c = H::clamp(cls, 0, classes - 1);
    std::vector<H::Expr> in{t[0], c};
    in.insert(in.end(), t.begin() + 1, t.end());
    H::Expr w = 1.0f;
    if (Value weight = op.getWeight())
      w = get(weight).at({c});
    w = H::select(valid, w, 0.0f);
    return std::make_pair(-w * input.at(in), w);
  };
  H::Func f(freshName("nll_loss"));
  if (op.getReduction() == "none") {
    f(halideArgs(tRank)) = lossAt(onnxIndex(tRank)).first;
    return {f, outShape};
  }
  H::Region all;
  for (int i = tRank - 1; i >= 0; --i)
    all.emplace_back(0, static_cast<int>(target.shape[i]));
  H::RDom r(all);
  std::vector<H::Expr> t;
  for (int i = 0; i < tRank; ++i)
    t.push_back(r[tRank - 1 - i]);
  auto [loss, w] = lossAt(t);
  H::Func total(freshName("nll_total")), weights(freshName("nll_weights"));
  total() = H::sum(loss);
  rootFuncs.push_back(total);
  if (op.getReduction() == "sum") {
    f() = total();
  } else {
    weights() = H::sum(w);
    rootFuncs.push_back(weights);
    f() = total() / weights();
  }
  return {f, outShape};
}

/// An index read from a tensor, made non-negative for an axis of `dim`
/// and clamped into it (out-of-range indices are invalid ONNX; the clamp
/// tells bounds inference what is read).
static H::Expr indexInto(H::Expr k, int64_t dim) {
  k = H::cast(H::Int(32), k);
  k = H::select(k < 0, k + int(dim), k);
  return H::clamp(k, 0, int(dim - 1));
}

/// ScatterElements and ScatterND: the data, then one update definition
/// that writes (or reduces) every update at its scattered position.
TensorFunc GroupLowering::lowerScatter(Operation *op) {
  const TensorFunc &data = get(op->getOperand(0));
  const TensorFunc &indices = get(op->getOperand(1));
  const TensorFunc &updates = get(op->getOperand(2));
  StringRef reduction = op->getAttrOfType<StringAttr>("reduction").getValue();
  int rank = data.rank();
  H::Func out(freshName("scatter"));
  std::vector<H::Var> args = halideArgs(rank);
  out(args) = data.at(onnxIndex(rank));

  H::Region all;
  for (int i = updates.rank() - 1; i >= 0; --i)
    all.emplace_back(0, static_cast<int>(updates.shape[i]));
  H::RDom r(all);
  std::vector<H::Expr> ru;
  for (int i = 0; i < updates.rank(); ++i)
    ru.push_back(r[updates.rank() - 1 - i]);
  std::vector<H::Expr> at;
  if (auto se = dyn_cast<onnx::ScatterElementsOp>(op)) {
    int64_t axis = se.getAxis();
    at = ru;
    at[axis] = indexInto(indices.at(ru), data.shape[axis]);
  } else { // ScatterND: index tuples of length k, then the update slice
    int lead = indices.rank() - 1;
    int64_t k = indices.shape.back();
    for (int64_t j = 0; j < k; ++j) {
      std::vector<H::Expr> tuple(ru.begin(), ru.begin() + lead);
      tuple.push_back(int(j));
      at.push_back(indexInto(indices.at(tuple), data.shape[j]));
    }
    at.insert(at.end(), ru.begin() + lead, ru.end());
  }
  std::vector<H::Expr> atHalide(at.rbegin(), at.rend());
  H::Expr update = updates.at(ru), old = out(atHalide);
  out(atHalide) = reduction == "add"   ? old + update
                  : reduction == "mul" ? old * update
                  : reduction == "max" ? H::max(old, update)
                  : reduction == "min" ? H::min(old, update)
                                       : update;
  rootFuncs.push_back(out);
  H::Func f(freshName("scatter_out"));
  f(args) = out(args);
  return {f, data.shape};
}

TensorFunc GroupLowering::lowerGatherND(onnx::GatherNDOp op) {
  const TensorFunc &data = get(op.getData());
  const TensorFunc &indices = get(op.getIndices());
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  int64_t b = op.getBatchDims();
  int lead = indices.rank() - 1;
  int64_t k = indices.shape.back();
  std::vector<H::Expr> idx = onnxIndex(outShape.size());
  std::vector<H::Expr> at(idx.begin(), idx.begin() + b);
  for (int64_t j = 0; j < k; ++j) {
    std::vector<H::Expr> tuple(idx.begin(), idx.begin() + lead);
    tuple.push_back(int(j));
    at.push_back(indexInto(indices.at(tuple), data.shape[b + j]));
  }
  at.insert(at.end(), idx.begin() + lead, idx.end());
  H::Func f(freshName("gathernd"));
  f(halideArgs(outShape.size())) = data.at(at);
  return {f, outShape};
}

/// DequantizeLinear and QuantizeLinear; scale and zero point are scalars
/// or vectors along `axis`.
TensorFunc GroupLowering::lowerQuantization(Operation *op) {
  const TensorFunc &x = get(op->getOperand(0));
  std::vector<H::Expr> idx = onnxIndex(x.rank());
  int64_t axis = op->getAttrOfType<IntegerAttr>("axis").getInt();
  if (axis < 0)
    axis += x.rank();
  int64_t block = op->getAttrOfType<IntegerAttr>("block_size")
                      ? op->getAttrOfType<IntegerAttr>("block_size").getInt()
                      : 0;
  auto param = [&](Value v) {
    const TensorFunc &p = get(v);
    if (block > 0) { // one value per block along the axis
      std::vector<H::Expr> at = idx;
      at[axis] = idx[axis] / int(block);
      return p.at(at);
    }
    if (p.rank() == 0)
      return p.at({});
    if (x.rank() == 0 || p.shape[0] == 1)
      return p.at({0});
    return p.at({idx[axis]});
  };
  // Float8 and 4-bit operands are read as float32 values.
  auto read = [&](Value v, H::Expr e) {
    if (auto f = float8Format(elementType(v)))
      return decodeFloat8(e, *f);
    return H::cast(H::Float(32), e);
  };
  Type resultType = elementType(op->getResult(0));
  H::Type storedType = elementHalideType(op->getResult(0));
  H::Expr scale = read(op->getOperand(1), param(op->getOperand(1)));
  H::Expr zero = op->getNumOperands() > 2
                     ? read(op->getOperand(2), param(op->getOperand(2)))
                     : H::Expr(0.0f);
  H::Expr xv = read(op->getOperand(0), x.at(idx));
  H::Expr value;
  if (isa<onnx::DequantizeLinearOp>(op)) {
    value = H::cast(storedType, (xv - zero) * scale);
  } else if (auto f = float8Format(resultType)) {
    bool saturate = cast<onnx::QuantizeLinearOp>(op).getSaturate() != 0;
    value = encodeFloat8(xv / scale + zero, *f, saturate);
  } else {
    H::Expr q = H::round(xv / scale) + zero; // ties to even
    auto [lo, hi] = intRange(llvm::cast<IntegerType>(resultType));
    value = H::cast(storedType, H::clamp(q, float(lo), float(hi)));
  }
  H::Func f(freshName(op->getName().stripDialect()));
  f(halideArgs(x.rank())) = value;
  return {f, x.shape};
}

/// y[..., k, ..., re/im] = sum over n of x[..., n, ...] e^(-+2 pi i k n /
/// N) (divided by N for the inverse), N the dft_length (the input cut or
/// zero-padded to it); the angle uses k n mod N, exact in 64-bit integers.
/// An axis known only at run time selects among the transforms along each
/// signal axis.
TensorFunc GroupLowering::lowerDFT(onnx::DFTOp op) {
  const TensorFunc &x = get(op.getInput());
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  int rank = outShape.size();
  bool complexIn = x.shape.back() == 2, inverse = op.getInverse() != 0;
  H::Type t = elementHalideType(op.getOutput());
  // Float64 throughout: a float32 sum of N rotated terms leaves errors of
  // about 1e-5 in components that are exactly 0 (as for real inputs).
  H::Type ct = H::Float(64);
  H::Var part = axisVar(rank - 1);
  auto along = [&](int axis) {
    int64_t n = op.getLength() ? *op.getLength() : x.shape[axis];
    int used = static_cast<int>(std::min<int64_t>(n, x.shape[axis]));
    H::RDom r(0, used);
    std::vector<H::Expr> at = onnxIndex(rank);
    at[axis] = r;
    at[rank - 1] = 0;
    H::Expr xr = H::cast(ct, x.at(at));
    H::Expr xi = H::Internal::make_zero(ct);
    if (complexIn) {
      at[rank - 1] = 1;
      xi = H::cast(ct, x.at(at));
    }
    H::Expr phase =
        (H::cast(H::Int(64), axisVar(axis)) * H::cast(H::Int(64), H::Expr(r))) %
        H::Expr(n);
    H::Expr theta =
        H::cast(ct, phase) * H::Internal::make_const(ct, 2 * M_PI / double(n));
    H::Expr c = H::cos(theta), s = H::sin(theta);
    if (inverse)
      s = -s;
    // (xr + i xi)(c - i s)
    H::Expr v = H::sum(H::select(part == 0, xr * c + xi * s, xi * c - xr * s));
    return inverse ? v / H::Internal::make_const(ct, double(n)) : v;
  };
  std::optional<int64_t> axis = op.getAxis();
  H::Expr value =
      axis ? along(static_cast<int>(*axis))
           : alongAxisInput(op.getParams()[1], rank, 1, rank - 2, along);
  H::Func f(freshName("dft"));
  f(halideArgs(rank)) = H::cast(t, value);
  return {f, outShape};
}

/// Y[r, c, ph, pw]: the mean (or max) over a sampling_ratio^2 grid of
/// bilinear samples of X[batch_indices[r], c] inside bin (ph, pw) of region
/// r, with ONNX's reference rules for samples near and beyond the border.
/// DeformConv (2-D): each tap (kh, kw) of output position (oh, ow) reads X
/// at its place moved by the offsets of its offset group, bilinearly with
/// zero outside, times the mask; then the weights, summed over the group's
/// channels, plus B.
TensorFunc GroupLowering::lowerDeformConv(onnx::DeformConvOp op) {
  const TensorFunc &x = get(op.getX());
  const TensorFunc &w = get(op.getW());
  const TensorFunc &offset = get(op.getOffset());
  const TensorFunc *bias = optionalParam(op.getParams(), 0),
                   *mask = optionalParam(op.getParams(), 1);
  std::vector<int64_t> outShape = shapeOf(op.getY());
  SmallVector<int64_t> d = onnx::getI64s(op.getDilations(), 0, 0),
                       p = onnx::getI64s(op.getPads(), 0, 0),
                       s = onnx::getI64s(op.getStrides(), 0, 0);
  int64_t kh = w.shape[2], kw = w.shape[3], perGroup = w.shape[1];
  int64_t outPerGroup = outShape[1] / op.getGroup();
  int64_t perOffsetGroup = x.shape[1] / op.getOffsetGroup();
  int height = int(x.shape[2]), width = int(x.shape[3]);
  std::vector<H::Expr> idx = onnxIndex(4);
  H::RDom r(0, int(kw), 0, int(kh), 0, int(perGroup));
  H::Expr n = idx[0], m = idx[1], oh = idx[2], ow = idx[3];
  H::Expr tapW = r[0], tapH = r[1];
  H::Expr c = m / int(outPerGroup) * int(perGroup) + r[2];
  H::Expr og = c / int(perOffsetGroup);
  H::Expr tap = tapH * int(kw) + tapW;
  H::Expr pos = og * int(2 * kh * kw) + 2 * tap;
  H::Expr h =
      H::cast(H::Float(32), oh * int(s[0]) - int(p[0]) + tapH * int(d[0])) +
      offset.at({n, pos, oh, ow});
  H::Expr wc =
      H::cast(H::Float(32), ow * int(s[1]) - int(p[1]) + tapW * int(d[1])) +
      offset.at({n, pos + 1, oh, ow});
  H::Expr h0 = H::floor(h), w0 = H::floor(wc);
  H::Expr fh = h - h0, fw = wc - w0;
  H::Expr ih = H::cast(H::Int(32), h0), iw = H::cast(H::Int(32), w0);
  auto pixel = [&](H::Expr y, H::Expr xx) {
    H::Expr inside = y >= 0 && y < height && xx >= 0 && xx < width;
    return H::select(
        inside,
        x.at({n, c, H::clamp(y, 0, height - 1), H::clamp(xx, 0, width - 1)}),
        0.0f);
  };
  H::Expr sample =
      (1.0f - fh) * ((1.0f - fw) * pixel(ih, iw) + fw * pixel(ih, iw + 1)) +
      fh * ((1.0f - fw) * pixel(ih + 1, iw) + fw * pixel(ih + 1, iw + 1));
  if (mask)
    sample = sample * mask->at({n, og * int(kh * kw) + tap, oh, ow});
  H::Expr sum = H::sum(w.at({m, r[2], tapH, tapW}) * sample);
  if (bias)
    sum = sum + bias->at({m});
  H::Func f(freshName("deformconv"));
  f(halideArgs(4)) = sum;
  return {f, outShape};
}

/// STFT: out[b, f, k] = sum_n w[n] x[b, f * step + n] e^(-2 pi i k n /
/// frame), in float64. frame_step and frame_length are read at run time
/// (constants too) and checked against the result; n runs up to the
/// longest frame the result allows.
TensorFunc GroupLowering::lowerSTFT(onnx::STFTOp op) {
  const TensorFunc &x = get(op.getSignal());
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  const TensorFunc *window = optionalParam(op.getParams(), 0),
                   *frameLength = optionalParam(op.getParams(), 1);
  auto scalar = [](const TensorFunc &t) {
    return H::cast(H::Int(64), firstValue(t));
  };
  bool onesided = op.getOnesided() != 0;
  int64_t length = x.shape[1], bins = outShape[2], frames = outShape[1];
  H::Expr step = scalar(get(op.getFrameStep()));
  H::Expr frame = window        ? I64(window->shape[0])
                  : frameLength ? scalar(*frameLength)
                                : I64(length);
  int64_t longest = window ? window->shape[0]
                           : std::min(length, onesided ? 2 * bins - 1 : bins);
  H::Expr ok = step >= 1 && frame >= 1 && frame <= I64(length) &&
               (I64(length) - frame) / step + 1 == I64(frames) &&
               (onesided ? frame / 2 + 1 : frame) == I64(bins);
  if (window && frameLength)
    ok = ok && scalar(*frameLength) == frame;
  std::vector<H::Expr> idx = onnxIndex(4);
  H::RDom r(0, int(longest));
  H::Expr at =
      H::clamp(H::cast(H::Int(32), H::cast(H::Int(64), idx[1]) * step) + r, 0,
               int(length - 1));
  H::Expr w = window ? f64(window->at({r})) : F64(1);
  H::Expr theta = F64(-2 * M_PI) * f64(idx[2]) * f64(r) / f64(frame);
  H::Expr re = f64(x.at({idx[0], at, 0}));
  H::Expr im = x.shape[2] == 2 ? f64(x.at({idx[0], at, 1})) : F64(0);
  // (re + i im)(cos t + i sin t), t = theta.
  H::Expr term = H::select(idx[3] == 0, re * H::cos(theta) - im * H::sin(theta),
                           re * H::sin(theta) + im * H::cos(theta));
  H::Expr value =
      H::sum(H::select(H::cast(H::Int(64), r) < frame, w * term, F64(0)));
  H::Func f(freshName("stft"));
  f(halideArgs(4)) =
      H::cast(elementHalideType(op.getOutput()),
              checked(op, ok, value, "frame_step and frame_length"));
  return {f, outShape};
}

/// MelWeightMatrix exactly as ONNX's reference computes it (including its
/// mel step over num_mel_bins + 2 intervals): filter i rises from bin
/// b(i) to b(i + 1) and falls to b(i + 2).
TensorFunc GroupLowering::lowerMelWeightMatrix(onnx::MelWeightMatrixOp op) {
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  auto scalar = [&](Value v) { return f64(firstValue(get(v))); };
  H::Expr melBins = scalar(op.getNumMelBins()), dft = scalar(op.getDftLength());
  H::Expr rate = scalar(op.getSampleRate());
  auto mel = [&](H::Expr hz) {
    return F64(2595) * H::log(F64(1) + hz / F64(700)) / F64(std::log(10.0));
  };
  H::Expr low = mel(scalar(op.getLowerEdgeHertz()));
  H::Expr high = mel(scalar(op.getUpperEdgeHertz()));
  H::Expr melStep = (high - low) / (melBins + F64(2));
  auto bin = [&](H::Expr m) {
    H::Expr hz =
        F64(700) * (H::pow(F64(10), (H::cast(H::Float(64), m) * melStep + low) /
                                        F64(2595)) -
                    F64(1));
    return H::cast(H::Int(64), H::floor((dft + F64(1)) * hz / rate));
  };
  std::vector<H::Expr> idx = onnxIndex(2);
  H::Expr j = H::cast(H::Int(64), idx[0]), i = idx[1];
  H::Expr l = bin(i), c = bin(i + 1), h = bin(i + 2);
  auto ratio = [](H::Expr a, H::Expr b) {
    return H::cast(H::Float(64), a) / H::cast(H::Float(64), b);
  };
  H::Expr value = H::select(
      h > c && j >= c && j < h, ratio(h - j, h - c), c == l && j == c, F64(1),
      c != l && j >= l && j <= c, ratio(j - l, c - l), F64(0));
  H::Expr ok = H::cast(H::Int(64), dft) / 2 + 1 == I64(outShape[0]) &&
               H::cast(H::Int(64), melBins) == I64(outShape[1]);
  H::Func f(freshName("melweightmatrix"));
  f(halideArgs(2)) =
      H::cast(elementHalideType(op.getOutput()),
              checked(op, ok, value, "num_mel_bins and dft_length"));
  return {f, outShape};
}

/// Col2Im: out[n, c, p...] sums, over the offsets k of a block, the column
/// (c, k) of the block whose offset-k tap lands on p: p + pad - k * dil must
/// be a multiple of the stride, in range. Each block shape that fits
/// (col2imBlockCandidates) is computed; block_shape, read at run time,
/// selects one.
TensorFunc GroupLowering::lowerCol2Im(onnx::Col2ImOp op) {
  const TensorFunc &x = get(op.getInput());
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  int rank = outShape.size(), spatial = rank - 2;
  Shape image(outShape.begin() + 2, outShape.end());
  SmallVector<int64_t> d = onnx::getI64s(op.getDilations(), 0, 0),
                       p = onnx::getI64s(op.getPads(), 0, 0),
                       s = onnx::getI64s(op.getStrides(), 0, 0);
  Shape dilations(d.begin(), d.end()), pads(p.begin(), p.end()),
      strides(s.begin(), s.end());
  int64_t perChannel = x.shape[1] / outShape[1];
  std::vector<Shape> candidates = col2imBlockCandidates(
      perChannel, image, pads, strides, dilations, x.shape[2]);
  const TensorFunc &imageShape = get(op.getImageShape());
  const TensorFunc &blockShape = get(op.getBlockShape());
  std::vector<H::Expr> idx = onnxIndex(rank);
  H::Type type = elementHalideType(op.getOutput());
  H::Expr value = H::Internal::make_zero(type);
  H::Expr matched = H::Internal::const_false();
  for (const Shape &block : candidates) {
    Shape counts = col2imBlockCounts(block, image, pads, strides, dilations);
    H::Region taps;
    for (int i = spatial - 1; i >= 0; --i)
      taps.emplace_back(0, int(block[i]));
    H::RDom r(taps);
    H::Expr valid = H::Internal::const_true(), at = 0, column = 0;
    for (int i = 0; i < spatial; ++i) {
      H::Expr k = r[spatial - 1 - i];
      H::Expr q = idx[2 + i] + int(pads[i]) - k * int(dilations[i]);
      H::Expr b = q / int(strides[i]);
      valid = valid && q >= 0 && q % int(strides[i]) == 0 && b < int(counts[i]);
      at = at * int(counts[i]) + H::clamp(b, 0, int(counts[i] - 1));
      column = column * int(block[i]) + k;
    }
    H::Expr sum = H::sum(
        H::select(valid, x.at({idx[0], idx[1] * int(perChannel) + column, at}),
                  H::Internal::make_zero(type)));
    H::Expr chosen = H::Internal::const_true();
    for (int i = 0; i < spatial; ++i)
      chosen = chosen && intAt(blockShape, i) == I64(block[i]);
    value = H::select(chosen, sum, value);
    matched = matched || chosen;
  }
  for (int i = 0; i < spatial; ++i)
    matched = matched && intAt(imageShape, i) == I64(image[i]);
  H::Func f(freshName("col2im"));
  f(halideArgs(rank)) =
      checked(op, matched, value, "image_shape and block_shape");
  return {f, outShape};
}

/// NonMaxSuppression as ONNX Runtime computes it, per group (batch,
/// class): the boxes ranked by descending score (ties: lower index first);
/// the k-th is kept when its score passes score_threshold and no kept box
/// ranked before it overlaps it by IoU > iou_threshold; the first
/// max_output_boxes_per_class kept boxes are selected. Result rows list the
/// selections group by group, each in rank order. Ranking and suppression
/// are quadratic in the number of boxes.
TensorFunc GroupLowering::lowerNonMaxSuppression(onnx::NonMaxSuppressionOp op) {
  const TensorFunc &boxes = get(op.getBoxes());
  const TensorFunc &scores = get(op.getScores());
  std::vector<int64_t> outShape = shapeOf(op.getSelectedIndices());
  int classes = int(scores.shape[1]), n = int(scores.shape[2]);
  int groups = int(scores.shape[0]) * classes;
  auto param = [&](unsigned i) -> std::optional<H::Expr> {
    if (const TensorFunc *t = optionalParam(op.getParams(), i))
      return firstValue(*t);
    return std::nullopt;
  };
  H::Expr limit = I64(0), iou = 0.0f;
  if (auto v = param(0))
    limit = H::clamp(*v, I64(0), I64(n));
  if (auto v = param(1))
    iou = *v;
  std::optional<H::Expr> scoreFloor = param(2);

  H::Var i("i"), k("k"), g("g");
  auto score = [&](H::Expr box, H::Expr group) {
    return scores.at({group / classes, group % classes, box});
  };
  // Corners (y0, x0, y1, x1) of a box, ordered, in either format.
  auto corners = [&](H::Expr box, H::Expr batch) {
    std::vector<H::Expr> v;
    for (int t = 0; t < 4; ++t)
      v.push_back(boxes.at({batch, box, t}));
    if (op.getCenterPointBox())
      return std::vector<H::Expr>{v[1] - v[3] / 2, v[0] - v[2] / 2,
                                  v[1] + v[3] / 2, v[0] + v[2] / 2};
    return std::vector<H::Expr>{H::min(v[0], v[2]), H::min(v[1], v[3]),
                                H::max(v[0], v[2]), H::max(v[1], v[3])};
  };
  auto overlaps = [&](H::Expr a, H::Expr b, H::Expr batch) {
    std::vector<H::Expr> p = corners(a, batch), q = corners(b, batch);
    H::Expr y0 = H::max(p[0], q[0]), x0 = H::max(p[1], q[1]);
    H::Expr y1 = H::min(p[2], q[2]), x1 = H::min(p[3], q[3]);
    H::Expr inter = (y1 - y0) * (x1 - x0);
    H::Expr areaP = (p[2] - p[0]) * (p[3] - p[1]);
    H::Expr areaQ = (q[2] - q[0]) * (q[3] - q[1]);
    H::Expr both = areaP + areaQ - inter;
    return y1 > y0 && x1 > x0 && areaP > 0 && areaQ > 0 && both > 0 &&
           inter / both > iou;
  };

  H::RDom rj(0, n);
  H::Func rank(freshName("nms_rank"));
  rank(i, g) = H::sum(H::select(score(rj, g) > score(i, g) ||
                                    (score(rj, g) == score(i, g) && rj < i),
                                1, 0));
  H::Func order(freshName("nms_order"));
  order(k, g) = H::sum(H::select(rank(rj, g) == k, rj, 0));
  auto ranked = [&](H::Expr at, H::Expr group) {
    return H::clamp(order(at, group), 0, n - 1);
  };
  H::Expr first = ranked(k, g);
  H::Func kept(freshName("nms_kept"));
  kept(k, g) = H::cast(H::UInt(8), scoreFloor ? score(first, g) > *scoreFloor
                                              : H::Internal::const_true());
  // Rank by rank: a box is dropped by any kept box before it. Both loops
  // run in order, so kept(r.x) is final when r.y reads it.
  H::RDom r(0, n, 0, n);
  r.where(r.x < r.y);
  kept(r.y, g) =
      H::select(kept(r.x, g) != 0 &&
                    overlaps(ranked(r.x, g), ranked(r.y, g), g / classes),
                H::cast(H::UInt(8), 0), kept(r.y, g));
  H::Func upTo(freshName("nms_kept_count"));
  H::RDom rk(0, n);
  upTo(k, g) = I64(0);
  upTo(rk, g) = H::select(rk > 0, upTo(H::max(rk - 1, 0), g), I64(0)) +
                H::cast(H::Int(64), kept(rk, g));
  H::Func count(freshName("nms_count"));
  count(g) = H::min(upTo(n - 1, g), limit);
  H::Func offset(freshName("nms_offset"));
  H::RDom rg(1, std::max(groups - 1, 1));
  offset(g) = I64(0);
  if (groups > 1)
    offset(rg) = offset(rg - 1) + count(rg - 1);
  for (H::Func f : {rank, order, kept, upTo, count, offset})
    rootFuncs.push_back(f);

  // Row j: its group is the number of groups that end at or before j; it
  // is that group's m-th selection, at the first rank where the count of
  // kept boxes exceeds m.
  std::vector<H::Expr> idx = onnxIndex(2);
  H::Expr row = H::cast(H::Int(64), idx[0]);
  H::RDom all(0, groups);
  H::Expr group = H::clamp(
      H::sum(H::select(offset(all) + count(all) <= row, 1, 0)), 0, groups - 1);
  H::Expr m = row - offset(group);
  H::Expr at =
      H::clamp(H::sum(H::select(upTo(rj, group) <= m, 1, 0)), 0, n - 1);
  H::Expr value = H::select(idx[1] == 0, H::cast(H::Int(64), group / classes),
                            idx[1] == 1, H::cast(H::Int(64), group % classes),
                            H::cast(H::Int(64), ranked(at, group)));
  H::Expr total = offset(groups - 1) + count(groups - 1);
  H::Func f(freshName("nonmaxsuppression"));
  f(halideArgs(2)) = checked(op, total == I64(outShape[0]), value,
                             "boxes, scores and the thresholds");
  return {f, outShape};
}

TensorFunc GroupLowering::lowerRoiAlign(onnx::RoiAlignOp op) {
  const TensorFunc &x = get(op.getX());
  const TensorFunc &rois = get(op.getRois());
  const TensorFunc &batch = get(op.getBatchIndices());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int height = static_cast<int>(x.shape[2]),
      width = static_cast<int>(x.shape[3]);
  bool halfPixel = op.getCoordinateTransformationMode() == "half_pixel";
  float scale = op.getSpatialScale().convertToFloat();
  float offset = halfPixel ? 0.5f : 0.0f;
  int grid = static_cast<int>(op.getSamplingRatio());
  float oh = float(op.getOutputHeight()), ow = float(op.getOutputWidth());
  H::Expr n = axisVar(0), c = axisVar(1), ph = axisVar(2), pw = axisVar(3);
  auto roi = [&](int i) {
    return H::cast(H::Float(32), rois.at({n, i})) * scale - offset;
  };
  H::Expr startW = roi(0), startH = roi(1);
  H::Expr roiW = roi(2) - startW, roiH = roi(3) - startH;
  if (!halfPixel) { // malformed regions become 1 x 1
    roiW = H::max(roiW, 1.0f);
    roiH = H::max(roiH, 1.0f);
  }
  H::Expr binH = roiH / oh, binW = roiW / ow;
  H::RDom r(0, grid, 0, grid);
  H::Expr yy = startH + H::cast(H::Float(32), ph) * binH +
               (H::cast(H::Float(32), r.y) + 0.5f) * binH / float(grid);
  H::Expr xx = startW + H::cast(H::Float(32), pw) * binW +
               (H::cast(H::Float(32), r.x) + 0.5f) * binW / float(grid);
  H::Expr outside =
      yy < -1.0f || yy > float(height) || xx < -1.0f || xx > float(width);
  auto axis = [](H::Expr v, int size) {
    v = H::max(v, 0.0f);
    H::Expr low = H::cast(H::Int(32), v);
    H::Expr last = low >= size - 1;
    low = H::min(low, size - 1);
    H::Expr high = H::min(low + 1, size - 1);
    v = H::select(last, H::cast(H::Float(32), low), v);
    H::Expr frac = v - H::cast(H::Float(32), low);
    return std::make_tuple(low, high, frac);
  };
  auto [yLow, yHigh, ly] = axis(yy, height);
  auto [xLow, xHigh, lx] = axis(xx, width);
  H::Expr b = H::clamp(H::cast(H::Int(32), batch.at({n})), 0,
                       static_cast<int>(x.shape[0]) - 1);
  auto at = [&](H::Expr yi, H::Expr xi) {
    return H::cast(H::Float(32), x.at({b, c, yi, xi}));
  };
  H::Expr hy = 1.0f - ly, hx = 1.0f - lx;
  H::Expr t1 = hy * hx * at(yLow, xLow), t2 = hy * lx * at(yLow, xHigh),
          t3 = ly * hx * at(yHigh, xLow), t4 = ly * lx * at(yHigh, xHigh);
  H::Expr value;
  if (op.getMode() == "avg")
    value = H::sum(H::select(outside, 0.0f, t1 + t2 + t3 + t4)) /
            float(grid * grid);
  else
    value = H::maximum(
        H::select(outside, 0.0f, H::max(H::max(t1, t2), H::max(t3, t4))));
  H::Func f(freshName("roi_align"));
  f(halideArgs(4)) = H::cast(elementHalideType(op.getY()), value);
  return {f, outShape};
}

/// Einsum in the explicit form shape inference leaves ("ij,jk->ik"): the
/// product of the inputs at each label's index, summed over the labels the
/// output lacks (one RDom); a size-1 axis broadcasts.
TensorFunc GroupLowering::lowerEinsum(onnx::EinsumOp op) {
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  StringRef eq = op.getEquation();
  auto [lhs, out] = eq.split("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  std::map<char, int64_t> sizes;
  for (auto [term, v] : llvm::zip(terms, op.getInputs()))
    for (auto [ch, d] : llvm::zip(term, shapeOf(v)))
      sizes[ch] = std::max(sizes[ch], d);
  std::map<char, H::Expr> index;
  for (size_t i = 0; i < out.size(); ++i)
    index[out[i]] = axisVar(i);
  std::string summed;
  for (auto [ch, d] : sizes)
    if (!index.count(ch))
      summed += ch;
  H::Type t = elementHalideType(op.getOutput());
  H::Type ct = t.bits() < 32 || t.is_bfloat() ? H::Float(32) : t;
  std::optional<H::RDom> r;
  if (!summed.empty()) {
    H::Region region;
    for (char ch : summed)
      region.emplace_back(0, static_cast<int>(sizes[ch]));
    r = H::RDom(region);
    for (size_t i = 0; i < summed.size(); ++i)
      index[summed[i]] = (*r)[i];
  }
  H::Expr product;
  for (auto [term, v] : llvm::zip(terms, op.getInputs())) {
    const TensorFunc &in = get(v);
    std::vector<H::Expr> at;
    for (auto [ch, d] : llvm::zip(term, in.shape))
      at.push_back(d == 1 ? H::Expr(0) : index[ch]);
    H::Expr e = H::cast(ct, in.at(at));
    product = product.defined() ? product * e : e;
  }
  H::Func f(freshName("einsum"));
  f(halideArgs(outShape.size())) = H::cast(t, r ? H::sum(product) : product);
  return {f, outShape};
}

/// `c` folded into [lo, hi] by reflecting at the nearer end until it lands
/// inside, as ONNX's GridSample reference does.
H::Expr reflectInto(H::Expr c, double lo, double hi) {
  H::Type t = c.type();
  H::Expr low = H::Internal::make_const(t, lo),
          high = H::Internal::make_const(t, hi),
          range = H::Internal::make_const(t, hi - lo);
  auto fold = [&](H::Expr dx, H::Expr near, H::Expr far, bool below) {
    H::Expr n = H::floor(dx / range);
    H::Expr r = dx - n * range;
    H::Expr even = H::cast(H::Int(32), n) % 2 == 0;
    return below ? H::select(even, near + r, far - r)
                 : H::select(even, near - r, far + r);
  };
  H::Expr below = c<low, above = c> high;
  return H::select(below, fold(low - c, low, high, true), above,
                   fold(c - high, high, low, false), c);
}

/// Y[n, c, o...] = the taps of X[n, c] around the point grid[n, o...]
/// names (one per axis for nearest, two for linear, four for cubic),
/// weighted per axis; coordinates and padding follow ONNX's reference.
TensorFunc GroupLowering::lowerGridSample(onnx::GridSampleOp op) {
  const TensorFunc &x = get(op.getX());
  const TensorFunc &grid = get(op.getGrid());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  bool align = op.getAlignCorners() != 0;
  StringRef mode = op.getMode(), padding = op.getPaddingMode();
  H::Type t = elementHalideType(op.getY());
  H::Type ct = t == H::Float(64) ? t : H::Float(32);
  auto k = [&](double v) { return H::Internal::make_const(ct, v); };
  std::vector<H::Expr> idx = onnxIndex(rank);

  // Per spatial axis i: the taps' indices into X, whether each lies
  // inside (zeros padding), and their weights.
  struct Taps {
    std::vector<H::Expr> index, inside, weight;
  };
  std::vector<Taps> taps(spatial);
  for (int i = 0; i < spatial; ++i) {
    int d = static_cast<int>(x.shape[2 + i]);
    double lo = align ? 0 : -0.5, hi = align ? d - 1 : d - 0.5;
    // grid's last axis lists the coordinates innermost axis first.
    std::vector<H::Expr> g{idx[0]};
    for (int j = 0; j < spatial; ++j)
      g.push_back(idx[2 + j]);
    g.push_back(spatial - 1 - i);
    H::Expr v = H::cast(ct, grid.at(g));
    H::Expr c = align ? (v + k(1)) / k(2) * k(d - 1)
                      : ((v + k(1)) * k(d) - k(1)) / k(2);
    if (mode == "nearest")
      c = H::round(c); // ties to even, as numpy's rint
    H::Expr outside = c < k(lo) || c > k(hi);
    if (padding == "border")
      c = H::select(outside, H::clamp(c, k(0), k(d - 1)), c);
    else if (padding == "reflection")
      c = reflectInto(c, lo, hi);
    auto addTap = [&](H::Expr j, H::Expr w) {
      H::Expr inside = j >= 0 && j < d;
      if (padding == "reflection")
        j = H::cast(H::Int(32), reflectInto(H::cast(ct, j), lo, hi));
      taps[i].index.push_back(H::clamp(j, 0, d - 1));
      taps[i].inside.push_back(padding == "zeros" ? inside
                                                  : H::Internal::const_true());
      taps[i].weight.push_back(w);
    };
    if (mode == "nearest") {
      addTap(H::cast(H::Int(32), c), k(1));
      continue;
    }
    H::Expr base = H::floor(c), f = c - base;
    H::Expr j0 = H::cast(H::Int(32), base);
    if (mode == "linear") {
      addTap(j0, k(1) - f);
      addTap(j0 + 1, f);
      continue;
    }
    // Cubic convolution (Keys, A = -0.75) at distances 1 + f, f, 1 - f,
    // 2 - f.
    H::Expr a = k(-0.75);
    auto outer = [&](H::Expr s) {
      return ((a * s - k(5) * a) * s + k(8) * a) * s - k(4) * a;
    };
    auto inner = [&](H::Expr s) {
      return ((a + k(2)) * s - (a + k(3))) * s * s + k(1);
    };
    addTap(j0 - 1, outer(f + k(1)));
    addTap(j0, inner(f));
    addTap(j0 + 1, inner(k(1) - f));
    addTap(j0 + 2, outer(k(2) - f));
  }

  // The sum over every combination of one tap per axis.
  H::Expr sum = k(0);
  std::vector<size_t> pick(spatial, 0);
  while (true) {
    std::vector<H::Expr> at{idx[0], idx[1]};
    H::Expr w = k(1), inside = H::Internal::const_true();
    for (int i = 0; i < spatial; ++i) {
      at.push_back(taps[i].index[pick[i]]);
      w = w * taps[i].weight[pick[i]];
      inside = inside && taps[i].inside[pick[i]];
    }
    sum = sum + H::select(inside, H::cast(ct, x.at(at)), k(0)) * w;
    int i = spatial - 1;
    while (i >= 0 && ++pick[i] == taps[i].index.size())
      pick[i--] = 0;
    if (i < 0)
      break;
  }
  H::Func f(freshName("grid_sample"));
  f(halideArgs(rank)) = H::cast(t, sum);
  return {f, outShape};
}

/// y[n, m, o] = B[m] + sum over the group's channels c and kernel taps k of
/// x[n, c, (o + pad - k * dilation) / stride] * w[c, m, k], where the
/// division is exact and lands inside x.
/// MaxUnpool: zeros, then every X element stored at the flat position (over
/// the whole result) its index names; indices outside the result are
/// clamped into it (ONNX makes them invalid).
TensorFunc GroupLowering::lowerMaxUnpool(onnx::MaxUnpoolOp op) {
  const TensorFunc &x = get(op.getX());
  const TensorFunc &indices = get(op.getI());
  std::vector<int64_t> outShape = shapeOf(op.getOutput());
  int rank = x.rank();
  H::Region all;
  for (int i = rank - 1; i >= 0; --i)
    all.emplace_back(0, int(x.shape[i]));
  H::RDom r(all);
  std::vector<H::Expr> from;
  for (int i = 0; i < rank; ++i)
    from.push_back(r[rank - 1 - i]);
  // Indices are flat positions in the size the window attributes give; a
  // larger output_shape holds that block at its origin.
  int spatial = rank - 2;
  SmallVector<int64_t> kernel = onnx::getI64s(op.getKernelShape(), 0, 0);
  SmallVector<int64_t> strides = onnx::getI64s(op.getStrides(), spatial, 1);
  SmallVector<int64_t> pads = onnx::getI64s(op.getPads(), 2 * spatial, 0);
  std::vector<int64_t> inferred = x.shape;
  for (int i = 0; i < spatial; ++i)
    inferred[2 + i] = std::min<int64_t>(
        outShape[2 + i], (x.shape[2 + i] - 1) * strides[i] - pads[i] -
                             pads[spatial + i] + kernel[i]);
  H::Expr flat = H::cast(H::Int(32), H::clamp(indices.at(from), I64(0),
                                              I64(numElements(inferred) - 1)));
  std::vector<H::Expr> to = unflatten(flat, inferred);
  std::reverse(to.begin(), to.end()); // Halide's order
  H::Func f(freshName("maxunpool"));
  std::vector<H::Var> args = halideArgs(rank);
  f(args) = H::Internal::make_zero(elementHalideType(op.getOutput()));
  H::Expr value = x.at(from);
  if (Value shape = op.getOutputShape()) {
    const TensorFunc &given = get(shape);
    H::Expr ok = H::Internal::const_true();
    for (int i = 0; i < rank; ++i)
      ok = ok && intAt(given, i) == I64(outShape[i]);
    value = checked(op, ok, value, "output_shape");
  }
  f(to) = value;
  rootFuncs.push_back(f);
  return {f, outShape};
}

/// Resize as ONNX's reference computes it: per resized axis, the output
/// coordinate maps to x_ori in the input; the taps (1 nearest, 2 linear, 4
/// cubic) around it are read with edge clamping and weighted, in float64.
/// Scales, sizes and roi are read at run time (constants too) and checked
/// against the result shape; an axis whose size stays is copied and must
/// have scale 1.
TensorFunc GroupLowering::lowerResize(onnx::ResizeOp op) {
  const TensorFunc &x = get(op.getX());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = x.rank();
  auto given = [&](unsigned i) -> const TensorFunc * {
    const TensorFunc *t = optionalParam(op.getParams(), i);
    return t && t->rank() == 1 && t->shape[0] == 0 ? nullptr : t;
  };
  const TensorFunc *roi = given(0), *scales = given(1), *sizes = given(2);
  std::vector<int64_t> axes;
  if (op.getAxes())
    for (int64_t a : onnx::getI64s(*op.getAxes(), 0, 0))
      axes.push_back(a);
  else
    for (int i = 0; i < rank; ++i)
      axes.push_back(i);
  int n = axes.size();

  std::vector<H::Expr> scale(rank, F64(1));
  H::Expr ok = H::Internal::const_true();
  StringRef policy = op.getKeepAspectRatioPolicy();
  if (sizes && policy == "stretch") {
    for (int i = 0; i < n; ++i) {
      int64_t a = axes[i];
      scale[a] = F64(double(outShape[a]) / double(x.shape[a]));
      ok = ok && intAt(*sizes, i) == I64(outShape[a]);
    }
  } else if (sizes) {
    H::Expr common;
    for (int i = 0; i < n; ++i) {
      H::Expr r = f64(intAt(*sizes, i)) / F64(double(x.shape[axes[i]]));
      common = !common.defined()        ? r
               : policy == "not_larger" ? H::min(common, r)
                                        : H::max(common, r);
    }
    for (int64_t a : axes) {
      scale[a] = common;
      ok = ok && H::cast(H::Int(64), common * F64(double(x.shape[a])) +
                                         F64(0.5)) == I64(outShape[a]);
    }
  } else {
    for (int i = 0; i < n; ++i) {
      int64_t a = axes[i];
      scale[a] = f64(scales->at({H::Expr(i)}));
      ok = ok && scale[a] > F64(0) &&
           H::cast(H::Int(64), scale[a] * F64(double(x.shape[a]))) ==
               I64(outShape[a]);
    }
  }
  StringRef coords = op.getCoordinateTransformationMode();
  bool crop = coords == "tf_crop_and_resize";
  std::vector<H::Expr> roiStart(rank, F64(0)), roiEnd(rank, F64(1));
  if (crop && roi)
    for (int i = 0; i < n; ++i) {
      roiStart[axes[i]] = f64(roi->at({H::Expr(i)}));
      roiEnd[axes[i]] = f64(roi->at({H::Expr(i + n)}));
    }
  // Axes known to keep scale 1 (stretched sizes that stay, constant scales
  // of 1) are copied; every other listed axis is interpolated.
  std::optional<std::vector<double>> constantScales;
  if (onnx::ConstantOp c =
          scales ? constantInput(op.getParams()[1]) : nullptr) {
    auto dense = llvm::dyn_cast<DenseElementsAttr>(c.getValue());
    if (dense && llvm::isa<FloatType>(dense.getElementType())) {
      constantScales.emplace();
      for (const APFloat &f : dense.getValues<APFloat>())
        constantScales->push_back(f.convertToDouble());
    }
  }
  std::vector<int> resized;
  for (int i = 0; i < n; ++i) {
    int64_t a = axes[i];
    bool unit =
        !crop && ((sizes && policy == "stretch" && x.shape[a] == outShape[a]) ||
                  (constantScales && (*constantScales)[i] == 1.0));
    if (!unit)
      resized.push_back(a);
  }

  StringRef mode = op.getMode();
  bool antialias = op.getAntialias() != 0;
  double A = op.getCubicCoeffA().convertToDouble();
  // Taps per resized axis, and the first one's offset from the tap left
  // of the sampling point. Antialiasing stretches the filter by 1 / scale
  // when downsampling; the window is that of the smallest scale the
  // result shape allows (taps past the actual filter weigh 0).
  std::vector<int> taps, first;
  for (int64_t a : resized) {
    if (mode == "nearest") {
      taps.push_back(1);
      first.push_back(0);
      continue;
    }
    double support = mode == "linear" ? 1 : 2, least = 1;
    if (antialias) {
      std::optional<double> exact;
      for (int i = 0; i < n; ++i)
        if (axes[i] == a && constantScales)
          exact = (*constantScales)[i];
      if (!exact && sizes && policy == "stretch")
        exact = double(outShape[a]) / double(x.shape[a]);
      least = exact ? *exact
                    : (double(outShape[a]) - (sizes ? 0.5 : 0.0)) /
                          double(x.shape[a]);
      least = std::min(1.0, std::max(least, 1e-6));
    }
    int start = int(std::floor(-support / least)) + 1;
    taps.push_back(2 - 2 * start);
    first.push_back(start);
  }
  // Per resized axis, tables over the output coordinate o along it (and
  // the tap k): the input index each tap reads and its coefficient, made
  // once per call with the coordinate arithmetic in float64 as ONNX's
  // reference does it; each output then sums its taps' products (in
  // float32 for float32 data). Worked out per output element instead,
  // U-Net's bilinear upsampling to 32 x 128 x 128 took 2.8 ms.
  H::Type acc = elementType(op.getY()).isF32() ? H::Float(32) : H::Float(64);
  std::vector<H::Expr> idx = onnxIndex(rank);
  H::Expr outside = H::Internal::const_false();
  std::vector<H::Func> tapIndex, tapWeight;
  H::Var o("resize_o"), tap("resize_k");
  for (auto [j, a] : llvm::enumerate(resized)) {
    H::Expr xo = f64(o), s = scale[a];
    H::Expr L = F64(double(x.shape[a])), W = s * L;
    H::Expr halfPixel = (xo + F64(0.5)) / s - F64(0.5), xi;
    if (coords == "half_pixel") {
      xi = halfPixel;
    } else if (coords == "half_pixel_symmetric") {
      H::Expr adjustment = F64(double(outShape[a])) / W;
      xi = L / F64(2) * (F64(1) - adjustment) + halfPixel;
    } else if (coords == "pytorch_half_pixel") {
      xi = H::select(W == F64(1), F64(-0.5), halfPixel);
    } else if (coords == "align_corners") {
      xi = H::select(W == F64(1), F64(0), xo * (L - F64(1)) / (W - F64(1)));
    } else if (coords == "asymmetric") {
      xi = xo / s;
    } else if (coords == "tf_half_pixel_for_nn") { // opsets 11-12
      xi = (xo + F64(0.5)) / s;
    } else { // tf_crop_and_resize
      H::Expr span = (roiEnd[a] - roiStart[a]) * (L - F64(1));
      xi = H::select(W == F64(1), span / F64(2), xo * span / (W - F64(1))) +
           roiStart[a] * (L - F64(1));
      H::Func out(freshName("resize_outside"));
      out(o) = xi < F64(0) || xi > L - F64(1);
      rootFuncs.push_back(out);
      outside = outside || out(axisVar(a));
    }
    // The tap left of xi, with ratio in (0, 1] as the reference has it.
    H::Expr left = H::ceil(xi) - F64(1), ratio = xi - left;
    H::Expr base = H::cast(H::Int(32), left);
    int last = int(x.shape[a] - 1);
    H::Func index(freshName("resize_index"));
    if (mode == "nearest") {
      StringRef nearest = op.getNearestMode();
      H::Expr right = nearest == "round_prefer_floor"  ? ratio > F64(0.5)
                      : nearest == "round_prefer_ceil" ? ratio >= F64(0.5)
                      : nearest == "floor"             ? ratio == F64(1)
                                           : H::Internal::const_true();
      index(o) = H::clamp(base + H::select(right, 1, 0), 0, last);
      rootFuncs.push_back(index);
      idx[a] = index(axisVar(a));
      continue;
    }
    std::vector<H::Expr> coeff;
    int count = taps[j], offset = first[j];
    // A linear upsampling of the innermost axis by a power of two (U-Net's
    // bilinear x2): output s * q + r reads inputs q + left_r and q + left_r
    // + 1 with weights of the phase r alone (exact in binary: the same
    // values the tables would hold), so the index is written in closed
    // form. The tables' entries would be gathered lane by lane; these
    // indices Halide loads as vectors of q.
    int64_t factor = outShape[a] / x.shape[a];
    bool exactScale =
        (sizes && policy == "stretch") ||
        (constantScales && llvm::any_of(llvm::seq<int>(0, n), [&](int i) {
           return axes[i] == a && (*constantScales)[i] == double(factor);
         }));
    if (mode == "linear" && !antialias && !op.getExcludeOutside() &&
        a == rank - 1 && count == 2 && offset == 0 && exactScale &&
        outShape[a] == factor * x.shape[a] && llvm::isPowerOf2_64(factor) &&
        factor >= 2 && factor <= 8 &&
        (coords == "half_pixel" || coords == "asymmetric" ||
         coords == "pytorch_half_pixel")) {
      H::Expr phase = o % int(factor), leftOf, ratioOf;
      for (int r = int(factor) - 1; r >= 0; --r) {
        double xr = coords == "asymmetric" ? double(r) / double(factor)
                                           : (r + 0.5) / double(factor) - 0.5;
        double l = std::ceil(xr) - 1, w = xr - l;
        leftOf = leftOf.defined() ? H::select(phase == r, int(l), leftOf)
                                  : H::Expr(int(l));
        ratioOf = ratioOf.defined()
                      ? H::select(phase == r, H::cast(acc, F64(w)), ratioOf)
                      : H::cast(acc, F64(w));
      }
      H::Func weight(freshName("resize_weight"));
      weight(tap, o) = H::select(tap == 0, H::cast(acc, 1) - ratioOf, ratioOf);
      index(tap, o) =
          H::clamp(H::likely(o / int(factor) + leftOf + tap), 0, last);
      tapIndex.push_back(index);
      tapWeight.push_back(weight);
      resizeFactor = factor;
      continue;
    }
    if (antialias) {
      // ONNX's reference: the filter at (i - ratio) * min(scale, 1), over
      // taps i from `offset`, normalized to sum 1.
      H::Expr stretch = H::min(scale[a], F64(1)), total = F64(0);
      for (int k = 0; k < count; ++k) {
        H::Expr d = H::abs(F64(offset + k) - ratio) * stretch;
        H::Expr c =
            mode == "linear"
                ? H::max(F64(0), F64(1) - d)
                : H::select(d <= F64(1),
                            (F64(A + 2) * d - F64(A + 3)) * d * d + F64(1),
                            d < F64(2),
                            ((F64(A) * d - F64(5 * A)) * d + F64(8 * A)) * d -
                                F64(4 * A),
                            F64(0));
        coeff.push_back(c);
        total = total + c;
      }
      for (H::Expr &c : coeff)
        c = c / total;
    } else if (count == 2) {
      coeff = {F64(1) - ratio, ratio};
    } else {
      H::Expr p = ratio + F64(1), q = F64(1) - ratio, t = q + F64(1);
      coeff = {((F64(A) * p - F64(5 * A)) * p + F64(8 * A)) * p - F64(4 * A),
               ((F64(A + 2) * ratio - F64(A + 3)) * ratio) * ratio + F64(1),
               ((F64(A + 2) * q - F64(A + 3)) * q) * q + F64(1),
               ((F64(A) * t - F64(5 * A)) * t + F64(8 * A)) * t - F64(4 * A)};
    }
    if (op.getExcludeOutside()) {
      H::Expr total = F64(0);
      for (int k = 0; k < count; ++k) {
        H::Expr pos = base + (offset + k);
        coeff[k] = H::select(pos >= 0 && pos <= last, coeff[k], F64(0));
        total = total + coeff[k];
      }
      for (H::Expr &c : coeff)
        c = c / total;
    }
    H::Expr c = coeff[count - 1];
    for (int i = count - 2; i >= 0; --i)
      c = H::select(tap == i, coeff[i], c);
    H::Func weight(freshName("resize_weight"));
    weight(tap, o) = H::cast(acc, c);
    index(tap, o) = H::clamp(base + offset + tap, 0, last);
    // Stored tap by tap, so that a vector of outputs along the axis reads
    // each tap's entries densely.
    weight.bound(tap, 0, count).reorder_storage(o, tap);
    index.bound(tap, 0, count).reorder_storage(o, tap);
    rootFuncs.push_back(weight);
    rootFuncs.push_back(index);
    tapIndex.push_back(index);
    tapWeight.push_back(weight);
  }
  // The taps: written out when there are at most 16 combinations (bilinear,
  // bicubic in 2-D), else a reduction over them.
  H::Expr value;
  int64_t combinations = 1;
  std::vector<int64_t> interpolated;
  for (auto [j, a] : llvm::enumerate(resized))
    if (mode != "nearest") {
      combinations *= taps[j];
      interpolated.push_back(a);
    }
  if (interpolated.empty()) {
    value = H::cast(acc, x.at(idx));
  } else if (combinations <= 16) {
    for (int64_t combo = 0; combo < combinations; ++combo) {
      H::Expr w;
      std::vector<H::Expr> at = idx;
      for (int64_t j = 0, rest = combo; j < int64_t(interpolated.size());
           rest /= taps[j], ++j) {
        int k = int(rest % taps[j]);
        H::Var axis = axisVar(interpolated[j]);
        H::Expr c = tapWeight[j](k, axis);
        w = w.defined() ? w * c : c;
        at[interpolated[j]] = tapIndex[j](k, axis);
      }
      H::Expr term = w * H::cast(acc, x.at(at));
      value = value.defined() ? value + term : term;
    }
  } else {
    H::Region window;
    for (size_t j = 0; j < interpolated.size(); ++j)
      window.emplace_back(0, taps[j]);
    H::RDom r(window);
    H::Expr w = H::cast(acc, 1);
    std::vector<H::Expr> at = idx;
    for (size_t j = 0; j < interpolated.size(); ++j) {
      H::Var axis = axisVar(interpolated[j]);
      w = w * tapWeight[j](r[j], axis);
      at[interpolated[j]] = tapIndex[j](r[j], axis);
    }
    value = H::sum(w * H::cast(acc, x.at(at)));
  }
  if (crop)
    value = H::select(
        outside,
        H::cast(acc, F64(op.getExtrapolationValue().convertToDouble())), value);
  H::Func f(freshName("resize"));
  f(halideArgs(rank)) =
      H::cast(elementHalideType(op.getY()),
              checked(op, ok, value, "the scales, sizes and roi"));
  return {f, outShape};
}

TensorFunc GroupLowering::lowerConvTranspose(onnx::ConvTransposeOp op) {
  const TensorFunc &x = get(op.getX());
  const TensorFunc &w = get(op.getW());
  std::vector<int64_t> outShape = shapeOf(op.getY());
  int rank = outShape.size(), spatial = rank - 2;
  auto [kernel, strides, dilations, pads] = windowAttrs(op, spatial);
  int64_t group = op.getGroup();
  int64_t cPerGroup = x.shape[1] / group, mPerGroup = w.shape[1];
  // Windows that tile the output (kernel == stride, no dilation or
  // padding, as in upsampling decoders): each output point takes exactly
  // one tap, at (o % stride), of input o / stride; only channels reduce.
  bool tiles = true;
  for (int i = 0; i < spatial; ++i)
    tiles = tiles && kernel[i] == strides[i] && dilations[i] == 1 &&
            pads[i] == 0 && pads[spatial + i] == 0;
  H::Region window;
  if (!tiles)
    for (int i = spatial - 1; i >= 0; --i)
      window.emplace_back(0, static_cast<int>(w.shape[2 + i]));
  window.emplace_back(0, static_cast<int>(cPerGroup));
  H::RDom r(window);
  int channelDim = tiles ? 0 : spatial;
  H::Expr m = axisVar(1);
  H::Expr g = m / int(mPerGroup);
  H::Expr c = g * int(cPerGroup) + r[channelDim];
  std::vector<H::Expr> xIdx{axisVar(0), c}, wIdx{c, m % int(mPerGroup)};
  H::Expr valid = H::Internal::const_true();
  for (int i = 0; i < spatial; ++i) {
    H::Expr o = axisVar(2 + i);
    if (tiles) {
      xIdx.push_back(o / int(strides[i]));
      wIdx.push_back(o % int(strides[i]));
      continue;
    }
    H::Expr k = r[spatial - 1 - i];
    H::Expr num = o + int(pads[i]) - k * int(dilations[i]);
    H::Expr in = num / int(strides[i]);
    valid = valid && num % int(strides[i]) == 0 && in >= 0 &&
            in < int(x.shape[2 + i]);
    xIdx.push_back(H::clamp(in, 0, int(x.shape[2 + i] - 1)));
    wIdx.push_back(k);
  }
  H::Func sum(freshName("convtranspose"));
  std::vector<H::Var> args = halideArgs(rank);
  sum(args) = op.getB() ? get(op.getB()).at({m}) : H::Expr(0.0f);
  H::Expr product = x.at(xIdx) * w.at(wIdx);
  sum(args) += tiles ? product : H::select(valid, product, 0.0f);
  // Computed whole, vectorized along the output's rows (the reduction
  // outside them) and parallel over output channels.
  rootFuncs.push_back(sum);
  int vw = target.floatLanes();
  while (vw > 1 && vw > outShape.back())
    vw /= 2;
  H::Var inner = args.front(), channels = args[rank - 2];
  std::vector<H::VarOrRVar> order{inner};
  for (int i = 0; i < r.dimensions(); ++i)
    order.push_back(r[i]);
  for (int i = 1; i < rank; ++i)
    order.push_back(args[i]);
  auto tail = outShape.back() % vw == 0 ? H::TailStrategy::Auto
                                        : H::TailStrategy::GuardWithIf;
  sum.vectorize(inner, vw, tail).parallel(channels);
  sum.update().reorder(order).vectorize(inner, vw, tail).parallel(channels);
  H::Func f(freshName("convtranspose_out"));
  f(args) = sum(args);
  return {f, outShape};
}

FailureOr<TensorFunc> GroupLowering::lower(Operation *op) {
  // Every lowering below may take its result's Halide type for granted.
  for (Type t : op->getResultTypes())
    if (failed(halideType(llvm::cast<ShapedType>(t).getElementType())))
      return op->emitOpError() << "has a result of element type "
                               << llvm::cast<ShapedType>(t).getElementType()
                               << ", which kernels do not support";
  // Float8 and 4-bit tensors are bytes to kernels: only conversions and
  // data movement know what the bytes mean.
  bool bitsOk = isa<onnx::CastOp, onnx::CastLikeOp, onnx::QuantizeLinearOp,
                    onnx::DequantizeLinearOp, onnx::TransposeOp, onnx::ConcatOp,
                    onnx::GatherOp, onnx::SliceOp, onnx::ExpandOp, onnx::TileOp,
                    onnx::ReshapeOp, onnx::SqueezeOp, onnx::UnsqueezeOp,
                    onnx::GatherElementsOp, onnx::GatherNDOp,
                    onnx::DepthToSpaceOp, onnx::SpaceToDepthOp>(op);
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  for (Type t : types)
    if (auto shaped = llvm::dyn_cast<ShapedType>(t);
        shaped && onnx::isStoredAsBits(shaped.getElementType()) && !bitsOk)
      return op->emitOpError()
             << "does not support element type " << shaped.getElementType()
             << " yet (float8 and 4-bit tensors only go through Cast, "
                "CastLike, QuantizeLinear, DequantizeLinear and data "
                "movement)";
  if (op->hasTrait<onnx::OpTrait::Elementwise>())
    return lowerElementwise(op);
  if (auto in = dyn_cast<kernel::WinogradInputOp>(op))
    return lowerWinogradInput(in);
  if (auto out = dyn_cast<kernel::WinogradOutputOp>(op))
    return lowerWinogradOutput(out);
  if (auto columns = dyn_cast<kernel::Im2colOp>(op))
    return lowerIm2col(columns);
  // Data movement and reductions work on every element type; the other
  // kernels are written for float32 data so far (their first operand).
  bool floatOnly =
      isa<onnx::ConvTransposeOp, onnx::GemmOp, onnx::AveragePoolOp,
          onnx::GlobalAveragePoolOp, onnx::LpPoolOp, onnx::SoftmaxOp,
          onnx::LogSoftmaxOp, onnx::NegativeLogLikelihoodLossOp>(op);
  Type data =
      llvm::cast<ShapedType>(op->getOperand(0).getType()).getElementType();
  if (isa<onnx::ConvOp>(op) && !data.isF32() && !data.isInteger(32))
    return op->emitOpError()
           << "supports only float32 and int32 yet, not " << data;
  if (isa<onnx::GridSampleOp, onnx::DFTOp, onnx::RoiAlignOp>(op) &&
      !llvm::isa<FloatType>(data))
    return op->emitOpError() << "supports only floating-point data yet";
  if (floatOnly && !data.isF32())
    return op->emitOpError() << "supports only float32 yet, not " << data;
  if (auto conv = dyn_cast<onnx::ConvOp>(op))
    return lowerConv(conv);
  if (auto pool = dyn_cast<onnx::MaxPoolOp>(op))
    return lowerMaxPool(pool);
  if (auto pool = dyn_cast<onnx::GlobalAveragePoolOp>(op))
    return lowerGlobalAveragePool(pool);
  if (auto mm = dyn_cast<onnx::MatMulOp>(op)) {
    if (std::optional<TensorFunc> f = lowerPackedMatMul(mm))
      return *f;
    return lowerMatMul(mm);
  }
  if (auto view = dyn_cast<kernel::PackedRowsOp>(op))
    return lowerPackedView(view.getInput(), view.getResult(), true);
  if (auto view = dyn_cast<kernel::PackedColsOp>(op))
    return lowerPackedView(view.getInput(), view.getResult(), false);
  if (auto gemm = dyn_cast<onnx::GemmOp>(op))
    return lowerGemm(gemm);
  if (auto softmax = dyn_cast<onnx::SoftmaxOp>(op))
    return lowerSoftmax(softmax.getInput(), softmax.getAxis(),
                        softmax.getCoerce_2d(), /*log=*/false);
  if (auto softmax = dyn_cast<onnx::LogSoftmaxOp>(op))
    return lowerSoftmax(softmax.getInput(), softmax.getAxis(),
                        softmax.getCoerce_2d(), /*log=*/true);
  if (op->getName().stripDialect().starts_with("Reduce"))
    return lowerReduction(op);
  if (isa<onnx::ArgMaxOp, onnx::ArgMinOp>(op))
    return lowerArgReduction(op, isa<onnx::ArgMaxOp>(op));
  if (auto t = dyn_cast<onnx::TransposeOp>(op))
    return lowerTranspose(t);
  if (auto c = dyn_cast<onnx::ConcatOp>(op))
    return lowerConcat(c);
  if (auto g = dyn_cast<onnx::GatherOp>(op))
    return lowerGather(g);
  if (auto sl = dyn_cast<onnx::SliceOp>(op))
    return lowerSlice(sl);
  if (isa<onnx::ReshapeOp, onnx::SqueezeOp, onnx::UnsqueezeOp>(op))
    return lowerCheckedView(op);
  if (isa<onnx::ExpandOp, onnx::TileOp, onnx::EyeLikeOp, onnx::TriluOp,
          onnx::ConstantOfShapeOp, onnx::RangeOp, onnx::OneHotOp,
          onnx::CompressOp, onnx::NonZeroOp, onnx::CenterCropPadOp,
          onnx::TfIdfVectorizerOp, onnx::DetOp, onnx::AffineGridOp,
          onnx::HannWindowOp, onnx::HammingWindowOp, onnx::BlackmanWindowOp,
          onnx::GatherElementsOp, onnx::DepthToSpaceOp, onnx::SpaceToDepthOp,
          onnx::HardmaxOp, onnx::GlobalMaxPoolOp>(op))
    return lowerMovement(op);
  if (auto cs = dyn_cast<onnx::CumSumOp>(op))
    return lowerCumSum(cs);
  if (auto pad = dyn_cast<onnx::PadOp>(op))
    return lowerPad(pad);
  if (auto pool = dyn_cast<onnx::AveragePoolOp>(op))
    return lowerAveragePool(pool);
  if (auto nll = dyn_cast<onnx::NegativeLogLikelihoodLossOp>(op))
    return lowerNllLoss(nll);
  if (auto resize = dyn_cast<onnx::ResizeOp>(op))
    return lowerResize(resize);
  if (auto unpool = dyn_cast<onnx::MaxUnpoolOp>(op))
    return lowerMaxUnpool(unpool);
  if (auto gs = dyn_cast<onnx::GridSampleOp>(op))
    return lowerGridSample(gs);
  if (auto e = dyn_cast<onnx::EinsumOp>(op))
    return lowerEinsum(e);
  if (auto dft = dyn_cast<onnx::DFTOp>(op))
    return lowerDFT(dft);
  if (auto roi = dyn_cast<onnx::RoiAlignOp>(op))
    return lowerRoiAlign(roi);
  if (auto nms = dyn_cast<onnx::NonMaxSuppressionOp>(op))
    return lowerNonMaxSuppression(nms);
  if (auto c2i = dyn_cast<onnx::Col2ImOp>(op))
    return lowerCol2Im(c2i);
  if (auto stft = dyn_cast<onnx::STFTOp>(op))
    return lowerSTFT(stft);
  if (auto deform = dyn_cast<onnx::DeformConvOp>(op))
    return lowerDeformConv(deform);
  if (auto mel = dyn_cast<onnx::MelWeightMatrixOp>(op))
    return lowerMelWeightMatrix(mel);
  if (auto pool = dyn_cast<onnx::LpPoolOp>(op))
    return lowerLpPool(pool);
  if (auto lrn = dyn_cast<onnx::LRNOp>(op))
    return lowerLRN(lrn);
  if (auto rs = dyn_cast<onnx::ReverseSequenceOp>(op))
    return lowerReverseSequence(rs);
  if (isa<onnx::ScatterElementsOp, onnx::ScatterNDOp>(op))
    return lowerScatter(op);
  if (auto g = dyn_cast<onnx::GatherNDOp>(op))
    return lowerGatherND(g);
  if (isa<onnx::DequantizeLinearOp, onnx::QuantizeLinearOp>(op))
    return lowerQuantization(op);
  if (auto ct = dyn_cast<onnx::ConvTransposeOp>(op))
    return lowerConvTranspose(ct);
  return op->emitOpError("has no Halide lowering");
}

int64_t attrInt(DictionaryAttr dict, StringRef name, int64_t dflt) {
  if (auto a = dict ? dict.getAs<IntegerAttr>(name) : IntegerAttr())
    return a.getInt();
  return dflt;
}

/// A gemm with this many column blocks (column_block) or more splits the
/// blocks across threads, each a whole block at a time; with fewer (four
/// blocks of 1024 columns at 56x56, the last of 64), the row tiles inside
/// each block, which balances the threads' work.
constexpr int64_t kParallelColumnBlocks = 8;
/// Output rows per block of lowerRowsDepthwiseConv's schedule.
constexpr int64_t kDepthwiseRows = 4;

/// The Halide side of the recorded schedule. No split rounds up, so no
/// kernel reads past an input or writes past its result.
void GroupLowering::applySchedule(H::Func output, int rank) {
  DictionaryAttr s = scheduleAttr();
  std::string strategy = s && s.getAs<StringAttr>("strategy")
                             ? s.getAs<StringAttr>("strategy").str()
                             : "elementwise";
  int vw = std::max<int64_t>(1, attrInt(s, "vector_width", 1));
  int parallelAxis = attrInt(s, "parallel_axis", -1);
  SmallVector<int64_t> tile;
  if (auto t = s ? s.getAs<DenseI64ArrayAttr>("tile") : DenseI64ArrayAttr())
    tile.assign(t.asArrayRef().begin(), t.asArrayRef().end());
  std::vector<int64_t> shape = shapeOf(group.getResult());
  // Splits that do not divide their extent shift the last tile inwards
  // (recomputing a few points, keeping full vectors and constant tile
  // sizes); only extents smaller than the factor need a guard.
  auto tail = [&](int64_t extent, int64_t factor) {
    if (extent % factor == 0)
      return H::TailStrategy::Auto;
    return extent > factor ? H::TailStrategy::ShiftInwards
                           : H::TailStrategy::GuardWithIf;
  };
  // The output's own splits. A tile shifted inwards recomputes points
  // already stored: then the output may not share an input's storage.
  auto outTail = [&](int64_t extent, int64_t factor) {
    H::TailStrategy t = tail(extent, factor);
    outputShifts |= t == H::TailStrategy::ShiftInwards;
    return t;
  };
  // Update definitions may not shift inwards (it would re-accumulate):
  // their tails are guarded.
  auto guard = [](int64_t extent, int64_t factor) {
    return extent % factor == 0 ? H::TailStrategy::Auto
                                : H::TailStrategy::GuardWithIf;
  };

  bool tiled = (strategy == "conv_direct" || strategy == "gemm") &&
               anchor.defined() && rank >= 2 && tile.size() >= 2;
  bool paddedPerBlock = tiled && padPerChannelBlock && rank == 4 &&
                        strategy == "conv_direct" && paddedInputs.size() == 1;
  for (H::Func f : rootFuncs)
    f.compute_root();
  for (auto &[f, r] : paddedInputs) {
    std::vector<H::Var> args = f.args();
    f.vectorize(args.front(), vw);
    f.update().vectorize(r.x, vw, H::TailStrategy::GuardWithIf);
    if (padPerChannel && rank >= 3 && !tiled) {
      f.compute_at(output, axisVar(1));
      continue;
    }
    if (paddedPerBlock)
      continue; // computed at the output's channel blocks, below
    f.compute_root();
    if (args.size() >= 3) { // channels
      f.parallel(args[args.size() - 2]);
      f.update().parallel(args[args.size() - 2]);
    }
  }
  if (rank == 0)
    return;
  H::Var inner = axisVar(rank - 1);
  int64_t innerExtent = shape[rank - 1];
  if (phasesPerChannel && rank == 4) {
    // Made per channel after its padded plane, where the output computes
    // that channel. Rounded up to whole vectors: it reads only the padded
    // plane, which bounds inference widens (zeros) to match, so no phase
    // vector is a masked (gathering) strided load.
    phasesPerChannel->compute_at(output, axisVar(1))
        .vectorize(phasesPerChannel->args()[0], vw, H::TailStrategy::RoundUp);
  }

  if (blockedDepthwise && rank == 4) {
    // Per block of channels: its padded input and the conv in vectors of
    // channels, each output position's taps unrolled; then the output's
    // rows in vectors along the width, the block's channels unrolled.
    BlockedDepthwise &f = *blockedDepthwise;
    int lanes = target.floatLanes();
    H::Var cb("cbo"), ci("cbi");
    output.split(axisVar(1), cb, ci, lanes, outTail(shape[1], lanes))
        .reorder(inner, ci, axisVar(2), cb, axisVar(0))
        .vectorize(inner, vw, outTail(innerExtent, vw))
        .unroll(ci);
    if (parallelAxis == 1)
      output.parallel(cb);
    else if (parallelAxis >= 0)
      output.parallel(axisVar(parallelAxis));
    f.blocks.compute_at(output, cb).vectorize(f.ci).unroll(axisVar(3));
    f.padded.compute_at(output, cb).vectorize(f.ci);
    f.weights.compute_at(output, cb).vectorize(f.ci);
    return;
  }

  if (rowsDepthwise && rank == 4) {
    // Per channel: the padded plane, then blocks of kDepthwiseRows output
    // rows, each vector of columns computed for every row of the block
    // (unrolled) before the next, so that each padded row loaded serves up
    // to kernel-height outputs.
    H::Var xo("xo"), xi("xi"), yo("yo"), yi("yi");
    int64_t rows = std::min<int64_t>(kDepthwiseRows, shape[2]);
    output.split(inner, xo, xi, vw, outTail(innerExtent, vw))
        .split(axisVar(2), yo, yi, int(rows), outTail(shape[2], rows))
        .reorder(xi, yi, xo, yo, axisVar(1), axisVar(0))
        .vectorize(xi)
        .unroll(yi);
    // A depthwise conv's threads split its batch or its channels.
    if (parallelAxis == 0 || parallelAxis == 1)
      output.parallel(axisVar(parallelAxis));
    rowsDepthwise->padded.compute_at(output, axisVar(1))
        .vectorize(axisVar(3), vw, H::TailStrategy::GuardWithIf);
    rowsDepthwise->conv.compute_at(output, xo)
        .vectorize(axisVar(3), vw)
        .unroll(axisVar(2));
    return;
  }

  if (flatDepthwise && rank == 4) {
    // Per channel: the flat padded plane (a fill, then each row copied),
    // the conv along it in full vectors, then the output's rows read back.
    FlatDepthwise &f = *flatDepthwise;
    int lanes = target.floatLanes();
    output.vectorize(inner, vw, outTail(innerExtent, vw));
    if (parallelAxis >= 0)
      output.parallel(axisVar(parallelAxis));
    f.rows.compute_at(output, axisVar(1))
        .vectorize(f.p, lanes, tail(f.extent, lanes));
    f.flat.compute_at(output, axisVar(1))
        .vectorize(f.p, lanes, H::TailStrategy::GuardWithIf);
    // Each point of a row is copied to its own place (q = row * wp +
    // point): vectorizing the copy is safe though Halide cannot prove it.
    f.flat.update().allow_race_conditions().vectorize(
        f.copy.x, vw, H::TailStrategy::GuardWithIf);
    return;
  }

  if (tiled) {
    // Register-blocked: the anchor is computed per output tile of
    // rows x vector lanes, its reduction loops outside the tile so the
    // accumulators stay in registers.
    H::Var outer = axisVar(rank - 2);
    int64_t rows = tile[0], outerExtent = shape[rank - 2];
    int64_t cols = strategy == "gemm" ? tile[1] : vw;
    H::Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), co("co"), ci("ci");
    // Conv on [N, C, H, W] may block output channels too (tile[2]).
    int64_t channels = tile.size() == 3 && rank == 4 ? tile[2] : 1;
    // A product whose K x cols panels of B are copied to a contiguous
    // buffer (gemmPacksBPanels): the row tiles run inside each panel.
    const int64_t *reduction =
        anchorDom ? H::Internal::as_const_int((*anchorDom)[0].extent())
                  : nullptr;
    // A depthwise conv merged in (onnxc-fuse-depthwise): the columns run
    // in blocks of depthwise_rows rows of its map, each block's depthwise
    // result computed whole before the tiles that read it.
    int64_t dwRows = attrInt(s, "depthwise_rows", 0);
    std::optional<H::Func> dwResult;
    if (strategy == "gemm" && fusedDepthwise && dwRows > 0 && channels == 1)
      group.getBody().walk(
          [&](onnx::ReshapeOp view) { dwResult = get(view.getResult()).func; });
    bool packB = !dwResult && strategy == "gemm" && gemmB.defined() &&
                 channels == 1 && reduction &&
                 gemmPacksBPanels(*reduction, outerExtent, rows, innerExtent,
                                  cols, target);
    output.split(inner, xo, xi, int(cols), outTail(innerExtent, cols))
        .split(outer, yo, yi, int(rows), outTail(outerExtent, rows));
    // Columns outermost (packed panels, or columns across threads): the
    // row tiles run inside each column tile, and the anchor is computed
    // per row tile there; computed per column tile it would hold every
    // row's accumulators at once (24 rows x 2 vectors: 48, more than the
    // register file).
    bool columnsOutermost =
        channels == 1 && (packB || parallelAxis == rank - 1 || dwResult);
    // Else the row tiles outermost, over blocks of column_block columns
    // when B outgrows half of L2.
    int64_t colBlock = attrInt(s, "column_block", 0);
    bool blocked = strategy == "gemm" && channels == 1 && !columnsOutermost &&
                   !dwResult && colBlock >= cols && colBlock < innerExtent;
    H::Var xoo("xoo");
    if (channels > 1)
      output
          .split(axisVar(1), co, ci, int(channels), outTail(shape[1], channels))
          .reorder(xi, yi, ci, xo, yo, co);
    else if (columnsOutermost)
      output.reorder(xi, yi, yo, xo);
    else if (blocked)
      output
          .split(xo, xoo, xo, int(colBlock / cols),
                 H::TailStrategy::GuardWithIf)
          .reorder(xi, yi, xo, yo, xoo);
    else
      output.reorder(xi, yi, xo, yo);
    H::Var xb("xb");
    if (dwResult) {
      int64_t width = fusedDepthwise->width;
      int64_t tiles = (dwRows * width + cols - 1) / cols;
      output.split(xo, xb, xo, int(tiles), H::TailStrategy::GuardWithIf);
      // The block is stored as the product reads it, flat ([N, C, H * W]
      // at its rows), and computed in rows: p = (block start) + y * width +
      // x, so the depthwise taps index the padded strip by x and y with
      // no division (the start is whole rows) and the product's vectors
      // of B are dense loads.
      int lanes = std::max(1, depthwiseRowLanes(width, vw));
      H::Var dy("dwy"), dx("dwx");
      H::Var dxo("dwxo"), dxi("dwxi"), dyo("dwyo"), dyi("dwyi");
      // Rows unrolled per vector of columns, sharing the strip's loads.
      int unrolled = dwRows % kDepthwiseRows == 0 ? int(kDepthwiseRows)
                     : dwRows % 2 == 0            ? 2
                                                  : 1;
      dwResult->compute_at(output, xb)
          .split(axisVar(2), dy, dx, int(width))
          .split(dx, dxo, dxi, lanes, H::TailStrategy::GuardWithIf)
          .split(dy, dyo, dyi, unrolled)
          .reorder(dxi, dyi, dxo, dyo)
          .vectorize(dxi)
          .unroll(dyi);
      fusedDepthwise->padded.compute_at(*dwResult, axisVar(1))
          .vectorize(axisVar(3), lanes, H::TailStrategy::GuardWithIf);
    }
    output.vectorize(xi, vw, outTail(cols, vw));
    if (strategy == "gemm")
      output.unroll(yi);
    int64_t tileCols = std::min(cols, innerExtent);
    anchor.compute_at(output, columnsOutermost ? yo : xo)
        .vectorize(inner, vw, tail(tileCols, vw));
    if (packB && !bPackedAtCompileTime) {
      H::Func panel = gemmB.in(anchor);
      std::vector<H::Var> bArgs = panel.args();
      panel.compute_at(output, xo)
          .vectorize(bArgs.front(), vw, H::TailStrategy::GuardWithIf);
    }
    std::vector<H::VarOrRVar> order{inner, outer};
    if (channels > 1)
      order.push_back(axisVar(1));
    for (int i = 0; i < anchorDom->dimensions(); ++i)
      order.push_back((*anchorDom)[i]);
    for (int i = rank - 3; i >= 0; --i)
      if (channels == 1 || i != 1)
        order.push_back(axisVar(i));
    anchor.update().reorder(order).vectorize(inner, vw, guard(tileCols, vw));
    // Rows (and channels) unrolled: one accumulator vector each stays in a
    // register.
    anchor.update().unroll(outer);
    // Several vectors of columns per tile: one accumulator each too.
    if (tileCols > vw && tileCols % vw == 0)
      anchor.update().unroll(inner);
    if (channels > 1)
      anchor.update().unroll(axisVar(1));
    if (paddedPerBlock)
      paddedInputs.front().first.compute_at(output,
                                            channels > 1 ? co : axisVar(1));
    // Packed panels are split across threads whole, and so are column
    // blocks where there are kParallelColumnBlocks or more: one parallel
    // loop, each thread reading its own blocks of B, instead of one per
    // block (ResNet-50 at batch 1 on two threads: 1.013 of the panels'
    // time with the row tiles across threads, 1.001 so).
    int64_t blocks = blocked ? (innerExtent + colBlock - 1) / colBlock : 0;
    if (dwResult && (parallelAxis == rank - 1 || parallelAxis == rank - 2))
      output.parallel(xb);
    else if (packB && (parallelAxis == rank - 1 || parallelAxis == rank - 2))
      output.parallel(xo);
    else if (blocks >= kParallelColumnBlocks && parallelAxis == rank - 2)
      output.parallel(xoo);
    else if (parallelAxis >= 0)
      output.parallel(parallelAxis == rank - 1   ? H::VarOrRVar(xo)
                      : parallelAxis == rank - 2 ? H::VarOrRVar(yo)
                      : channels > 1 && parallelAxis == 1
                          ? H::VarOrRVar(co)
                          : axisVar(parallelAxis));
    return;
  }

  if (strategy == "gemm_packed" && packed && tile.size() == 3 && rank >= 2) {
    // Tiles of rows of the output, each tile's accumulators (rows in
    // vectors, the columns of each column tile unrolled) summed over the
    // reduction in blocks whose slice of weights stays in L1 for every
    // column tile, then stored transposed into the output's rows. The
    // activations are read in place.
    int64_t rows = tile[0], kBlock = tile[2];
    H::Var m = axisVar(rank - 2), mo("mo"), mi("mi");
    PackedProduct &p = *packed;
    int lanes = static_cast<int>(rows / 2); // two vectors of rows
    // The output is written tile by tile, each column of a tile as
    // vectors of the tile's rows: read contiguously from the accumulators,
    // stored a row of the output apart. Vectors along the output's rows
    // would each gather 16 accumulators, dividing by the tile's width per
    // lane (320->1280 at 7x7 alone: 0.30 -> 0.25 ms).
    int64_t cols = tile[1];
    H::Var xo("xo"), xi("xi");
    output.split(m, mo, mi, int(rows), outTail(shape[rank - 2], rows))
        .split(inner, xo, xi, int(cols), outTail(innerExtent, cols))
        .reorder(mi, xi, xo, mo)
        .vectorize(mi, lanes);
    H::RVar k = (*anchorDom)[0];
    const int64_t *extent = H::Internal::as_const_int(k.extent());
    int64_t reduction = extent ? *extent : kBlock;
    // Over reduction blocks, every column tile's accumulators are kept
    // across the blocks; over the whole reduction (a wide product), each
    // tile's are computed inside the column-tile loop: a small buffer
    // Halide puts on the stack (25 KB for a 14x14 map's 28 column tiles
    // goes on the heap, where LLVM, not knowing that the prefetch cannot
    // touch it, stores the accumulators at every step).
    p.prod.compute_at(output, kBlock < reduction ? mo : xo)
        .vectorize(p.r, lanes)
        .unroll(p.j);
    H::Stage update = p.prod.update();
    H::RVar ko("ko"), ki("ki");
    if (kBlock < reduction) {
      update.split(k, ko, ki, int(kBlock), guard(reduction, kBlock))
          .reorder(p.r, p.j, ki, p.nb, ko);
    } else {
      update.reorder(p.r, p.j, k, p.nb);
    }
    update.vectorize(p.r, lanes).unroll(p.r).unroll(p.j);
    // The weights `prefetch` steps of the reduction ahead, from the
    // innermost reduction loop: the first column tile of a block would
    // otherwise wait on each of its lines (the prefetch is an L1 hit for
    // the others). Prefetches past the end do not fault (NonFaulting).
    // Halide 14 splits a step's 128 bytes (AVX-512) into two prefetches
    // but offsets the second by 64 elements, not 64 bytes: it lands on
    // the first line of the step two further on, so only each step's
    // first line is prefetched explicitly (the second is left to the
    // hardware; lit packed-prefetch.test shows the loop).
    H::RVar step = kBlock < reduction ? ki : k;
    if (int64_t distance = attrInt(s, "prefetch", 0); distance > 0 && p.weights)
      update.prefetch(*p.weights, step, step, int(distance),
                      H::PrefetchBoundStrategy::NonFaulting);
    if (parallelAxis == rank - 2 && shape[rank - 2] > rows)
      output.parallel(mo);
    else if (parallelAxis >= 0 && parallelAxis < rank - 2)
      output.parallel(axisVar(parallelAxis));
    return;
  }

  if (strategy == "gemm_panel" && anchor.defined() && rank == 2 &&
      tile.size() == 3) {
    // Column panels of the output, each computed whole: the anchor holds
    // all rows of the panel; its reduction runs in blocks of kBlock (that
    // block of B stays in L1 while every row tile uses it), row tiles of
    // rows x cols accumulators inside.
    H::Var outer = axisVar(0), xo("xo"), xi("xi"), ayo("ayo"), ayi("ayi");
    H::RVar ko("ko"), ki("ki");
    int64_t rows = tile[0], cols = tile[1], kBlock = tile[2];
    int64_t outerExtent = shape[0];
    output.split(inner, xo, xi, int(cols), outTail(innerExtent, cols))
        .reorder(xi, outer, xo)
        .vectorize(xi, vw, outTail(cols, vw));
    int64_t tileCols = std::min(cols, innerExtent);
    anchor.compute_at(output, xo).vectorize(inner, vw, tail(tileCols, vw));
    H::RVar k = (*anchorDom)[0];
    const int64_t *extent = H::Internal::as_const_int(k.extent());
    int64_t reduction = extent ? *extent : kBlock;
    anchor.update()
        .split(outer, ayo, ayi, int(rows), guard(outerExtent, rows))
        .split(k, ko, ki, int(kBlock), guard(reduction, kBlock))
        .reorder(inner, ayi, ki, ayo, ko)
        .vectorize(inner, vw, guard(tileCols, vw))
        .unroll(ayi);
    if (tileCols > vw && tileCols % vw == 0)
      anchor.update().unroll(inner);
    if (parallelAxis == rank - 1)
      output.parallel(xo);
    return;
  }

  if (strategy == "im2col" && rank == 5) {
    // [N, C, KH*KW, Ho, Wo]: per channel (its padded plane computed there),
    // each output row's taps (unrolled, constant offsets) one after
    // another, vectors along the width.
    H::Var xo("xo"), xi("xi");
    output.split(inner, xo, xi, vw, outTail(innerExtent, vw))
        .reorder(xi, xo, axisVar(2), axisVar(3), axisVar(1), axisVar(0))
        .vectorize(xi);
    if (shape[2] <= 16)
      output.unroll(axisVar(2));
    if (parallelAxis >= 0)
      output.parallel(axisVar(parallelAxis));
    return;
  }
  if (strategy == "winograd_input" && winogradTile && rank == 4) {
    // [a*a, C, TH, TW]: vectors of tiles along TW, the a*a positions
    // unrolled inside (they share the tile's loads and row sums).
    H::Var two("two"), twi("twi");
    int a = winogradTile + 2;
    output.bound(axisVar(0), 0, a * a)
        .split(inner, two, twi, vw, outTail(innerExtent, vw))
        .reorder(twi, axisVar(0), two, axisVar(2), axisVar(1))
        .vectorize(twi)
        .unroll(axisVar(0));
    if (parallelAxis == 1)
      output.parallel(axisVar(1));
    return;
  }
  if (strategy == "winograd_output" && winogradTile && rank == 4) {
    // [1, K, Ho, Wo] in m x m tiles: vectors of tiles along the width, the
    // m x m outputs of each tile unrolled inside. A side that is not a
    // multiple of m guards the last tile's rows or columns past it
    // (shifted inwards, y % m and x % m would vary in each body).
    int m = winogradTile;
    int64_t tiles = (innerExtent + m - 1) / m;
    int lanes = static_cast<int>(std::min<int64_t>(vw, tiles));
    while (lanes & (lanes - 1))
      lanes &= lanes - 1;
    H::Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), xoo("xoo"), xov("xov");
    output.split(inner, xo, xi, m, guard(innerExtent, m))
        .split(axisVar(2), yo, yi, m, guard(shape[2], m))
        .split(xo, xoo, xov, lanes, outTail(tiles, lanes))
        .reorder(xov, xi, yi, xoo, yo, axisVar(1), axisVar(0))
        .vectorize(xov)
        .unroll(xi)
        .unroll(yi);
    if (parallelAxis == 1)
      output.parallel(axisVar(1));
    return;
  }

  if (anchor.defined())
    anchor.compute_root();
  if (blockTranspose && strategy == "elementwise" &&
      blockTranspose->shape == shape) {
    // Square tiles of a vector: the tile's input copied in vectors along
    // its innermost axis (one row of the tile each), transposed in
    // registers, the output's vectors along its innermost axis.
    BlockTranspose &b = *blockTranspose;
    int lanes = target.floatLanes();
    H::Var y = axisVar(b.outAxis), xo("xo"), xi("xi"), yo("yo"), yi("yi");
    // Square tiles shift inwards on both axes where they do not divide.
    outTail(innerExtent, lanes);
    outTail(shape[b.outAxis], lanes);
    output.tile(inner, y, xo, yo, xi, yi, lanes, lanes,
                H::TailStrategy::ShiftInwards);
    std::vector<H::VarOrRVar> order{xi, yi, xo};
    for (int i = rank - 2; i >= 0; --i)
      order.push_back(i == b.outAxis ? H::VarOrRVar(yo)
                                     : H::VarOrRVar(axisVar(i)));
    output.reorder(order).vectorize(xi).unroll(yi);
    b.transposed.compute_at(output, xo).vectorize(inner).unroll(y);
    b.block.compute_at(output, xo)
        .vectorize(axisVar(rank - 1))
        .unroll(axisVar(b.inAxis));
    if (parallelAxis >= 0)
      output.parallel(parallelAxis == rank - 1    ? xo
                      : parallelAxis == b.outAxis ? yo
                                                  : axisVar(parallelAxis));
    return;
  }
  if (strategy == "global_pool" && rank >= 2) {
    output.vectorize(axisVar(1), vw, outTail(shape[1], vw));
  } else if (resizeFactor > 1 && innerExtent / resizeFactor >= vw) {
    // Output s * q + r: the phases r unrolled inside vectors of q, so
    // that each phase's taps load input vectors of q (its index is q plus
    // a constant) and the phases' stores interleave into dense ones.
    H::Var q("rq"), r("rr");
    output
        .split(inner, q, r, int(resizeFactor),
               outTail(innerExtent, resizeFactor))
        .reorder(r, q)
        .unroll(r)
        .vectorize(q, vw, outTail(innerExtent / resizeFactor, vw));
  } else {
    output.vectorize(inner, vw, outTail(innerExtent, vw));
  }
  if (parallelAxis >= 0 && parallelAxis != rank - 1)
    output.parallel(axisVar(parallelAxis));
}

LogicalResult GroupLowering::compile(const std::string &symbol,
                                     const std::string &bitcodePath) {
  WalkResult indexable = group.walk([&](Operation *op) {
    for (ValueRange values :
         {ValueRange(op->getOperands()), ValueRange(op->getResults())})
      for (Value v : values)
        if (llvm::isa<RankedTensorType>(v.getType()) &&
            failed(checkIndexable(op, v.getType())))
          return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (indexable.wasInterrupted())
    return failure();

  std::vector<H::Argument> args;
  for (auto [i, input] : llvm::enumerate(group.getInputs())) {
    std::vector<int64_t> shape = shapeOf(input);
    auto type = llvm::cast<RankedTensorType>(input.getType());
    FailureOr<H::Type> elementType = halideType(type.getElementType());
    if (failed(elementType))
      return group.emitOpError()
             << "input " << i << " has the element type "
             << type.getElementType() << ", which kernels do not support";
    H::ImageParam p(*elementType, shape.size(), "in" + std::to_string(i));
    constrainDense(p, shape);
    H::Func f = p;
    funcs[group.getBody().getArgument(i).getAsOpaquePointer()] = {f, shape};
    inputParams.emplace(group.getBody().getArgument(i).getAsOpaquePointer(), p);
    args.push_back(p);
  }

  for (Operation &op : group.getBody().front().without_terminator()) {
    if (isa<onnx::NoValueOp>(op))
      continue;
    FailureOr<TensorFunc> result = lower(&op);
    if (failed(result))
      return failure();
    funcs[op.getResult(0).getAsOpaquePointer()] = *result;
  }

  auto yield = cast<kernel::YieldOp>(group.getBody().front().getTerminator());
  const TensorFunc &last = get(yield.getValue());
  FailureOr<H::Type> resultType = halideType(
      llvm::cast<ShapedType>(yield.getValue().getType()).getElementType());
  if (failed(resultType))
    return group.emitOpError() << "has a result of an element type kernels "
                                  "do not support";
  H::Func output(symbol + "_out");
  output(halideArgs(last.rank())) =
      H::cast(*resultType, last.at(onnxIndex(last.rank())));
  constrainDense(output.output_buffer(), last.shape);
  applySchedule(output, last.rank());

  H::Target target = halideTarget(this->target);
  target = target.with_feature(H::Target::NoRuntime);
  H::Pipeline(output).compile_to_bitcode(bitcodePath, args, symbol, target);
  return success();
}

std::string readFile(const std::string &path, std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read " + path + ": " + buffer.getError().message();
    return {};
  }
  return (*buffer)->getBuffer().str();
}

/// A temporary file name, removed when this goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  explicit TempFile(llvm::StringRef suffix) {
    llvm::sys::fs::createTemporaryFile("onnxc-kernel", suffix, path);
  }
  ~TempFile() { llvm::sys::fs::remove(path); }
};

} // namespace

FailureOr<ElementsAttr> evaluateConstantOp(Operation *op, int64_t maxElements) {
  if (op->getNumResults() != 1 ||
      isa<onnx::ConstantOp, onnx::NoValueOp, onnx::CustomOp, kernel::GroupOp>(
          op))
    return failure();
  auto resultType =
      llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !resultType.hasStaticShape() ||
      resultType.getNumElements() > maxElements ||
      failed(halideType(resultType.getElementType())))
    return failure();
  std::vector<ElementsAttr> values;
  for (Value v : op->getOperands()) {
    if (llvm::isa<NoneType>(v.getType())) {
      values.emplace_back();
      continue;
    }
    auto c = v.getDefiningOp<onnx::ConstantOp>();
    if (!c)
      return failure();
    values.push_back(c.getValue());
  }
  // A view of a constant is the same bytes under another shape.
  if (onnx::isView(op)) {
    if (auto dense = llvm::dyn_cast<DenseElementsAttr>(values[0]))
      return ElementsAttr(dense.reshape(resultType));
    return failure();
  }
  if (failed(checkIndexable(op, resultType)))
    return failure();

  auto toBuffer = [](ElementsAttr attr) -> std::optional<H::Buffer<>> {
    auto type = llvm::cast<RankedTensorType>(attr.getType());
    FailureOr<H::Type> t = halideType(type.getElementType());
    if (failed(t) || type.getNumElements() == 0 || type.getRank() > 8)
      return std::nullopt;
    std::vector<int> sizes;
    for (int64_t d : llvm::reverse(type.getShape()))
      sizes.push_back(int(d));
    H::Buffer<> buffer(*t, sizes);
    size_t bytes = t->bytes();
    char *out = reinterpret_cast<char *>(buffer.data());
    int64_t n = type.getNumElements();
    if (type.getElementType().isInteger(1)) { // bit-packed in MLIR
      auto dense = llvm::dyn_cast<DenseElementsAttr>(attr);
      if (!dense)
        return std::nullopt;
      int64_t i = 0;
      for (bool b : dense.getValues<bool>())
        out[i++] = b;
      return buffer;
    }
    bool splat = false;
    ArrayRef<char> raw = onnx::getConstantBytes(attr, splat);
    if (raw.size() < (splat ? 1 : size_t(n)) * bytes)
      return std::nullopt;
    for (int64_t i = 0; i < n; ++i)
      std::memcpy(out + i * bytes, raw.data() + (splat ? 0 : i * bytes), bytes);
    return buffer;
  };

  try {
    std::vector<TensorFunc> operands;
    for (ElementsAttr attr : values) {
      if (!attr) {
        operands.emplace_back();
        continue;
      }
      auto type = llvm::cast<RankedTensorType>(attr.getType());
      std::vector<int64_t> shape(type.getShape().begin(),
                                 type.getShape().end());
      if (type.getNumElements() == 0) { // never read (Concat skips it)
        FailureOr<H::Type> t = halideType(type.getElementType());
        if (failed(t))
          return failure();
        H::Func f;
        f(halideArgs(type.getRank())) = H::Internal::make_zero(*t);
        operands.push_back({f, shape});
        continue;
      }
      std::optional<H::Buffer<>> buffer = toBuffer(attr);
      if (!buffer)
        return failure();
      H::Func f(*buffer);
      operands.push_back({f, shape});
    }
    TargetInfo host;
    GroupLowering lowering(kernel::GroupOp(), host);
    FailureOr<TensorFunc> result;
    {
      // Lowering reports unsupported ops as diagnostics; here they only
      // mean "not folded".
      ScopedDiagnosticHandler quiet(op->getContext(),
                                    [](Diagnostic &) { return success(); });
      result = lowering.lowerAlone(op, operands);
    }
    if (failed(result))
      return failure();
    H::Type t = *halideType(resultType.getElementType());
    H::Func out;
    int rank = resultType.getRank();
    out(halideArgs(rank)) = H::cast(t, result->at(onnxIndex(rank)));
    std::vector<int> sizes;
    for (int64_t d : llvm::reverse(resultType.getShape()))
      sizes.push_back(int(d));
    H::Buffer<> buffer = out.realize(sizes);
    const char *data = reinterpret_cast<const char *>(buffer.data());
    int64_t n = resultType.getNumElements();
    if (resultType.getElementType().isInteger(1)) {
      SmallVector<bool> bits(data, data + n);
      return ElementsAttr(DenseElementsAttr::get(resultType, bits));
    }
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(
        resultType, ArrayRef<char>(data, n * t.bytes())));
  } catch (const H::Error &) {
    return failure();
  }
}

std::string kernelSymbol(llvm::StringRef modelName, llvm::StringRef groupName) {
  return (modelName + "_" + groupName).str();
}

bool isRuntimeGroup(Operation *group) {
  auto g = llvm::cast<kernel::GroupOp>(group);
  return group
      ->walk([&](Operation *op) {
        // Inside the group an optional graph input is a block argument.
        bool optional =
            isa<onnx::OptionalHasElementOp, onnx::OptionalGetElementOp>(op) &&
            op->getNumOperands() &&
            llvm::isa<BlockArgument>(op->getOperand(0)) &&
            onnx::isOptionalInput(
                g.getInputs()[llvm::cast<BlockArgument>(op->getOperand(0))
                                  .getArgNumber()]);
        return optional || onnx::runsInRuntime(op) ? WalkResult::interrupt()
                                                   : WalkResult::advance();
      })
      .wasInterrupted();
}

namespace {
/// Whether `arg` is read only where the group writes: each op that reads
/// it, directly or through ops before, is elementwise with `arg`'s type
/// (so every operand of that type is read at the point it computes) and
/// what they compute leaves only through the group's yield.
bool readOnlyAtOwnPoint(BlockArgument arg) {
  SmallVector<Value> worklist{arg};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<kernel::YieldOp>(user))
        continue;
      if (!user->hasTrait<onnx::OpTrait::Elementwise>() ||
          user->getNumResults() != 1 ||
          user->getResult(0).getType() != arg.getType())
        return false;
      worklist.push_back(user->getResult(0));
    }
  }
  return true;
}
} // namespace

std::optional<unsigned> inPlaceInput(Operation *op) {
  auto group = llvm::dyn_cast<kernel::GroupOp>(op);
  if (!group || isRuntimeGroup(group))
    return std::nullopt;
  Block &body = group.getBody().front();
  Value yielded = cast<kernel::YieldOp>(body.getTerminator()).getValue();
  auto type = llvm::dyn_cast<RankedTensorType>(yielded.getType());
  if (!type || !type.hasStaticShape() ||
      llvm::isa<onnx::StringType>(type.getElementType()))
    return std::nullopt;
  Block *block = group->getBlock();
  // Readers in nested regions count where their ancestor in this block is.
  auto readsAfter = [&](Operation *user) {
    Operation *at = block->findAncestorOpInBlock(*user);
    return !at || at == group.getOperation() ||
           !at->isBeforeInBlock(group.getOperation()) ||
           at->hasTrait<OpTrait::IsTerminator>();
  };
  bool returned = false;
  onnx::forEachUserThroughViews(group.getResult(), [&](Operation *user) {
    returned |= user->hasTrait<OpTrait::IsTerminator>();
  });
  if (returned)
    return std::nullopt;
  for (auto [i, input] : llvm::enumerate(group.getInputs())) {
    BlockArgument arg = body.getArgument(i);
    if (arg.getType() != type || !readOnlyAtOwnPoint(arg))
      continue;
    Value root = onnx::storageRoot(input);
    auto producer = root.getDefiningOp<kernel::GroupOp>();
    if (!producer || producer->getBlock() != block || isRuntimeGroup(producer))
      continue;
    bool shared = false;
    for (auto [j, other] : llvm::enumerate(group.getInputs()))
      shared |= j != i && onnx::storageRoot(other) == root;
    bool later = false;
    onnx::forEachUserThroughViews(root, [&](Operation *user) {
      later |= !onnx::isView(user) && user != group.getOperation() &&
               readsAfter(user);
    });
    if (!shared && !later)
      return static_cast<unsigned>(i);
  }
  return std::nullopt;
}

LogicalResult compileKernels(ModuleOp module, llvm::StringRef modelName,
                             const TargetInfo &target,
                             std::vector<KernelBitcode> &out) {
  std::vector<kernel::GroupOp> groups;
  module.walk([&](kernel::GroupOp group) {
    if (!isRuntimeGroup(group)) // else computed by the runtime library
      groups.push_back(group);
  });
  // Each group is its own Halide pipeline: they compile in parallel on the
  // context's threads (diagnostics come out in group order). The lowering
  // only reads the IR.
  MLIRContext *context = module.getContext();
  bool threaded = context->isMultithreadingEnabled();
  if (!threaded)
    context->enableMultithreading();
  std::vector<KernelBitcode> compiled(groups.size());
  std::vector<std::optional<unsigned>> inPlace(groups.size());
  LogicalResult result = failableParallelForEachN(
      context, 0, groups.size(), [&](size_t i) -> LogicalResult {
        kernel::GroupOp group = groups[i];
        std::string symbol = kernelSymbol(modelName, group.getSymName());
        TempFile file("bc");
        try {
          GroupLowering lowering(group, target);
          if (failed(lowering.compile(symbol, file.path.str().str())))
            return failure();
          inPlace[i] = lowering.inPlaceResult();
        } catch (const H::Error &e) {
          return group.emitOpError() << "Halide failed: " << e.what();
        }
        std::string error;
        std::string bitcode = readFile(file.path.str().str(), error);
        if (bitcode.empty())
          return group.emitOpError()
                 << (error.empty() ? "Halide wrote no bitcode" : error);
        compiled[i] = {symbol, std::move(bitcode)};
        return success();
      });
  if (!threaded)
    context->disableMultithreading();
  if (failed(result))
    return failure();
  Builder builder(context);
  for (auto [group, input] : llvm::zip(groups, inPlace))
    if (input)
      group->setAttr(kInPlaceInputAttr, builder.getI64IntegerAttr(*input));
  for (KernelBitcode &kernel : compiled)
    out.push_back(std::move(kernel));
  return success();
}

std::string compileHalideRuntime(const TargetInfo &target, std::string &error) {
  TempFile file("bc");
  try {
    // compile_standalone_runtime() writes only objects and archives; an
    // empty module compiled without NoRuntime is the runtime as bitcode.
    H::Module runtime("onnxc_halide_runtime", halideTarget(target));
    runtime.compile({{H::OutputFileType::bitcode, file.path.str().str()}});
  } catch (const H::Error &e) {
    error = std::string("Halide runtime: ") + e.what();
    return {};
  }
  std::string bitcode = readFile(file.path.str().str(), error);
  if (bitcode.empty() && error.empty())
    error = "Halide wrote no runtime bitcode for " + target.halideTarget;
  return bitcode;
}

} // namespace onnxc
