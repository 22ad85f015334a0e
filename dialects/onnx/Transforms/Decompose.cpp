// onnxc-decompose: ops with several results become single-result ops.
#include "dialects/onnx/Transforms/Passes.h"
#include "dialects/onnx/Transforms/TypedOpBuilder.h"

#include "mlir/IR/Builders.h"

#include <cmath>

namespace onnxc::onnx {
#define GEN_PASS_DEF_DECOMPOSE
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace onnxc::onnx

using namespace mlir;

namespace onnxc::onnx {
namespace {

LogicalResult decomposeSplit(SplitOp op) {
  TypedOpBuilder b(op);
  auto type = llvm::cast<RankedTensorType>(op.getInput().getType());
  int64_t axis = op.getAxis(), offset = 0;
  if (Value split = op.getSplitInput()) {
    // Sizes read at run time: part i is a Slice from the exclusive to the
    // inclusive running sum of the sizes, under its declared shape.
    Value ends =
        b.make<CumSumOp>({split, b.splat({}, b.b.getI64IntegerAttr(0))});
    Value starts = b.make<SubOp>({ends, split});
    Value axes = b.i64Vector({axis});
    for (auto [i, result] : llvm::enumerate(op.getResults())) {
      auto entry = [&](Value v) {
        return b.make<SliceOp>(v, {b.attr("starts", b.i64s({int64_t(i)})),
                                   b.attr("ends", b.i64s({int64_t(i) + 1})),
                                   b.attr("axes", b.i64s({0})),
                                   b.attr("steps", b.i64s({1}))});
      };
      result.replaceAllUsesWith(b.makeDeclared<SliceOp>(
          result.getType(), {op.getInput(), entry(starts), entry(ends), axes}));
    }
    return success(b.ok);
  }
  SmallVector<int64_t> sizes = getI64s(op.getSplit(), 0, 0);
  for (auto [result, size] : llvm::zip(op.getResults(), sizes)) {
    // A part without elements comes out an empty constant.
    Value part =
        b.make<SliceOp>(op.getInput(), {b.attr("starts", b.i64s({offset})),
                                        b.attr("ends", b.i64s({offset + size})),
                                        b.attr("axes", b.i64s({axis})),
                                        b.attr("steps", b.i64s({1}))});
    offset += size;
    result.replaceAllUsesWith(part);
  }
  return success(b.ok);
}

/// The mean of `x` over `axes` (kept as size-1 dims), x - mean, and the
/// variance E[(x - mean)^2].
struct Moments {
  Value mean, centered, variance;
};

Moments moments(TypedOpBuilder &b, Value x, ArrayRef<int64_t> axes) {
  auto reduce = [&](Value v) {
    return b.make<ReduceMeanOp>(v, {b.attr("axes", b.i64s(axes))});
  };
  Value mean = reduce(x);
  Value d = b.make<SubOp>(ValueRange{x, mean});
  return {mean, d, reduce(b.make<MulOp>(ValueRange{d, d}))};
}

/// Mean = ReduceMean(X), D = X - Mean, InvStdDev = 1 / sqrt(ReduceMean(D *
/// D) + epsilon), Y = D * InvStdDev * Scale + B, over the axes from `axis`.
LogicalResult decomposeLayerNorm(LayerNormalizationOp op) {
  TypedOpBuilder b(op);
  auto type = llvm::cast<RankedTensorType>(op.getX().getType());
  SmallVector<int64_t> axes;
  for (int64_t i = op.getAxis(); i < type.getRank(); ++i)
    axes.push_back(i);
  auto [mean, d, var] = moments(b, op.getX(), axes);
  Value eps = b.scalar(op.getX(), op.getEpsilon().convertToDouble());
  Value invStd =
      b.make<ReciprocalOp>(b.make<SqrtOp>(b.make<AddOp>(ValueRange{var, eps})));
  Value y = b.make<MulOp>(
      ValueRange{b.make<MulOp>(ValueRange{d, invStd}), op.getScale()});
  if (op.getB())
    y = b.make<AddOp>(ValueRange{y, op.getB()});
  op.getY().replaceAllUsesWith(y);
  op.getMean().replaceAllUsesWith(mean);
  op.getInvStdDev().replaceAllUsesWith(invStd);
  return success(b.ok);
}

LogicalResult decomposeSoftmaxCrossEntropy(SoftmaxCrossEntropyLossOp op) {
  TypedOpBuilder b(op);
  Value logProb =
      b.make<LogSoftmaxOp>(op.getScores(), {b.attr("axis", b.i64(1))});
  SmallVector<Value> operands{logProb, op.getLabels()};
  if (op.getWeights())
    operands.push_back(op.getWeights());
  SmallVector<NamedAttribute> attrs{b.attr("reduction", op.getReductionAttr())};
  if (op.getIgnoreIndexAttr())
    attrs.push_back(b.attr("ignore_index", op.getIgnoreIndexAttr()));
  Value loss = b.make<NegativeLogLikelihoodLossOp>(operands, attrs);
  op.getOutput().replaceAllUsesWith(loss);
  op.getLogProb().replaceAllUsesWith(logProb);
  return success(b.ok);
}

/// A per-channel [C] vector viewed as [C, 1, ...] for an input of `rank`.
Value perChannel(TypedOpBuilder &b, Value v, int64_t rank) {
  SmallVector<int64_t> axes;
  for (int64_t i = 1; i < rank - 1; ++i)
    axes.push_back(i);
  if (axes.empty())
    return v;
  return b.make<UnsqueezeOp>(v, {b.attr("axes", b.i64s(axes))});
}

/// The float32 values of a constant `v` with `n` elements; none if `v` is
/// not such a constant.
std::optional<std::vector<float>> constantFloats(Value v, int64_t n) {
  std::optional<std::vector<float>> values = getConstantF32s(v);
  if (!values || int64_t(values->size()) != n)
    return std::nullopt;
  return values;
}

/// Inference BatchNormalization of a float32 Conv's only result, every
/// parameter constant: the conv's weights and bias absorb it at compile
/// time (W' = W * f, B' = (B - mean) * f + bias, f = scale / sqrt(var +
/// epsilon), per output channel) and the BatchNormalization goes.
bool foldBatchNormIntoConv(BatchNormalizationOp op) {
  auto conv = op.getX().getDefiningOp<ConvOp>();
  if (op.getTrainingMode() != 0 || !conv || !conv.getY().hasOneUse() ||
      !op.getRunning().empty())
    return false;
  auto w = llvm::cast<RankedTensorType>(conv.getW().getType());
  if (!w.getElementType().isF32() || !w.hasStaticShape())
    return false;
  int64_t m = w.getDimSize(0), perChannel = w.getNumElements() / m;
  std::optional<std::vector<float>> weights =
      constantFloats(conv.getW(), w.getNumElements());
  std::optional<std::vector<float>> convBias =
      conv.getB() ? constantFloats(conv.getB(), m)
                  : std::optional<std::vector<float>>(std::vector<float>(m));
  std::optional<std::vector<float>> scale = constantFloats(op.getScale(), m),
                                    bias = constantFloats(op.getB(), m),
                                    mean = constantFloats(op.getInputMean(), m),
                                    var = constantFloats(op.getInputVar(), m);
  if (!weights || !convBias || !scale || !bias || !mean || !var)
    return false;
  double epsilon = op.getEpsilon().convertToDouble();
  std::vector<float> newBias(m);
  for (int64_t c = 0; c < m; ++c) {
    double f = double((*scale)[c]) / std::sqrt(double((*var)[c]) + epsilon);
    for (int64_t i = 0; i < perChannel; ++i)
      (*weights)[c * perChannel + i] =
          float(double((*weights)[c * perChannel + i]) * f);
    newBias[c] = float((double((*convBias)[c]) - (*mean)[c]) * f + (*bias)[c]);
  }
  OpBuilder b(conv);
  auto biasType = RankedTensorType::get({m}, b.getF32Type());
  Value newW = b.create<ConstantOp>(
      conv.getLoc(), w, DenseElementsAttr::get(w, ArrayRef<float>(*weights)));
  Value newB = b.create<ConstantOp>(
      conv.getLoc(), biasType,
      DenseElementsAttr::get(biasType, ArrayRef<float>(newBias)));
  conv.getWMutable().assign(newW);
  conv.getBMutable().assign(newB);
  op.getY().replaceAllUsesWith(conv.getY());
  return true;
}

/// Y = (X - mean) * (scale / sqrt(var + epsilon)) + B, per channel. At
/// inference mean and var are the inputs; in training mode the batch's
/// (over every axis but 1), and the running statistics are input *
/// momentum + batch * (1 - momentum).
LogicalResult decomposeBatchNorm(BatchNormalizationOp op) {
  TypedOpBuilder b(op);
  int64_t rank = llvm::cast<ShapedType>(op.getX().getType()).getRank();
  Value mean = op.getInputMean(), var = op.getInputVar();
  if (op.getTrainingMode() != 0) {
    SmallVector<int64_t> axes{0};
    for (int64_t i = 2; i < rank; ++i)
      axes.push_back(i);
    auto reduce = [&](Value v) {
      return b.make<ReduceMeanOp>(
          v, {b.attr("axes", b.i64s(axes)), b.attr("keepdims", b.i64(0))});
    };
    mean = reduce(op.getX());
    Value d = b.make<SubOp>(ValueRange{op.getX(), perChannel(b, mean, rank)});
    var = reduce(b.make<MulOp>(ValueRange{d, d}));
    double momentum = op.getMomentum().convertToDouble();
    auto blend = [&](Value running, Value batch) {
      return b.make<AddOp>(ValueRange{
          b.make<MulOp>(ValueRange{running, b.scalar(running, momentum)}),
          b.make<MulOp>(ValueRange{batch, b.scalar(batch, 1 - momentum)})});
    };
    if (op.getRunning().size() > 0)
      op.getRunning()[0].replaceAllUsesWith(blend(op.getInputMean(), mean));
    if (op.getRunning().size() > 1)
      op.getRunning()[1].replaceAllUsesWith(blend(op.getInputVar(), var));
  }
  Value eps = b.scalar(var, op.getEpsilon().convertToDouble());
  Value factor = b.make<DivOp>(ValueRange{
      op.getScale(), b.make<SqrtOp>(b.make<AddOp>(ValueRange{var, eps}))});
  Value centered =
      b.make<SubOp>(ValueRange{op.getX(), perChannel(b, mean, rank)});
  Value y = b.make<AddOp>(ValueRange{
      b.make<MulOp>(ValueRange{centered, perChannel(b, factor, rank)}),
      perChannel(b, op.getB(), rank)});
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

LogicalResult decomposeInstanceNorm(InstanceNormalizationOp op) {
  TypedOpBuilder b(op);
  int64_t rank = llvm::cast<ShapedType>(op.getInput().getType()).getRank();
  SmallVector<int64_t> axes;
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  Moments m = moments(b, op.getInput(), axes);
  Value eps = b.scalar(op.getInput(), op.getEpsilon().convertToDouble());
  Value normalized = b.make<DivOp>(ValueRange{
      m.centered, b.make<SqrtOp>(b.make<AddOp>(ValueRange{m.variance, eps}))});
  Value y = b.make<AddOp>(ValueRange{
      b.make<MulOp>(ValueRange{normalized, perChannel(b, op.getScale(), rank)}),
      perChannel(b, op.getB(), rank)});
  op.getOutput().replaceAllUsesWith(y);
  return success(b.ok);
}

/// ONNX's function body: (X - E[X]) / (sqrt(E[X^2] - E[X]^2) + 1e-9).
LogicalResult decomposeMeanVarianceNorm(MeanVarianceNormalizationOp op) {
  TypedOpBuilder b(op);
  SmallVector<int64_t> axes = op.getAxes() ? getI64s(op.getAxes(), 0, 0)
                                           : SmallVector<int64_t>{0, 2, 3};
  auto reduce = [&](Value v) {
    return b.make<ReduceMeanOp>(v, {b.attr("axes", b.i64s(axes))});
  };
  Value x = op.getX();
  Value mean = reduce(x);
  Value variance =
      b.make<SubOp>(ValueRange{reduce(b.make<MulOp>(ValueRange{x, x})),
                               b.make<MulOp>(ValueRange{mean, mean})});
  Value std =
      b.make<AddOp>(ValueRange{b.make<SqrtOp>(variance), b.scalar(x, 1e-9)});
  Value y = b.make<DivOp>(ValueRange{b.make<SubOp>(ValueRange{x, mean}), std});
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

/// RNN, GRU and LSTM unrolled over their static sequence: per direction,
/// X W^T + Wb + Rb for every step at once, then per step H R^T, the gate
/// activations and the state updates of ONNX's equations. sequence_lens
/// freezes the state and zeroes Y past each batch entry's length.
class RecurrentDecomposer {
public:
  RecurrentDecomposer(Operation *op, int gates) : op(op), b(op), gates(gates) {}

  LogicalResult run();

private:
  Value param(unsigned i) {
    unsigned at = 3 + i;
    if (at >= op->getNumOperands() ||
        llvm::isa<NoneType>(op->getOperand(at).getType()))
      return Value();
    return op->getOperand(at);
  }
  int64_t dim(Value v, int64_t i) {
    return llvm::cast<RankedTensorType>(v.getType()).getDimSize(i);
  }
  Value slice(Value v, int64_t axis, int64_t start, int64_t end) {
    return b.make<SliceOp>(
        v, {b.attr("starts", b.i64s({start})), b.attr("ends", b.i64s({end})),
            b.attr("axes", b.i64s({axis})), b.attr("steps", b.i64s({1}))});
  }
  Value squeeze(Value v, int64_t axis) {
    return b.make<SqueezeOp>(v, {b.attr("axes", b.i64s({axis}))});
  }
  Value unsqueeze(Value v, int64_t axis) {
    return b.make<UnsqueezeOp>(v, {b.attr("axes", b.i64s({axis}))});
  }
  Value transpose(Value v, ArrayRef<int64_t> perm) {
    return b.make<TransposeOp>(v, {b.attr("perm", b.i64s(perm))});
  }
  Value add(Value x, Value y) { return b.make<AddOp>(ValueRange{x, y}); }
  Value mul(Value x, Value y) { return b.make<MulOp>(ValueRange{x, y}); }
  Value sub(Value x, Value y) { return b.make<SubOp>(ValueRange{x, y}); }
  /// Gate k of a [batch, gates * hidden] tensor.
  Value gate(Value v, int64_t k) {
    return slice(v, 1, k * hidden, (k + 1) * hidden);
  }
  /// Activation `index` of the direction (clip applies before it).
  Value activate(int index, Value x, bool clipped = true);

  Operation *op;
  TypedOpBuilder b;
  int gates;
  int64_t hidden = 0;
  int activationsPerDirection = 0;
  int direction = 0;
};

Value RecurrentDecomposer::activate(int index, Value x, bool clipped) {
  if (clipped)
    if (auto clip = op->getAttrOfType<FloatAttr>("clip"))
      x = b.make<ClipOp>(
          x, {b.attr("min", b.b.getF32FloatAttr(-clip.getValueAsDouble())),
              b.attr("max", b.b.getF32FloatAttr(clip.getValueAsDouble()))});
  static const char *defaults[3][3] = {
      {"Tanh"}, {"Sigmoid", "Tanh"}, {"Sigmoid", "Tanh", "Tanh"}};
  int kind = gates == 1 ? 0 : gates == 3 ? 1 : 2;
  int at = direction * activationsPerDirection + index;
  StringRef name = defaults[kind][index];
  SmallVector<NamedAttribute> attrs;
  if (auto names = op->getAttrOfType<ArrayAttr>("activations")) {
    if (at >= static_cast<int>(names.size())) {
      op->emitOpError("lists too few activations");
      b.ok = false;
      return x;
    }
    name = llvm::cast<StringAttr>(names[at]).getValue();
    auto param = [&](StringRef list, StringRef attr) {
      auto values = op->getAttrOfType<ArrayAttr>(list);
      if (values && at < static_cast<int>(values.size()))
        attrs.push_back(b.attr(attr, values[at]));
    };
    param("activation_alpha", "alpha");
    param("activation_beta", name == "Selu" ? "gamma" : "beta");
  }
  Value y = b.makeNamed(name, x, attrs);
  if (!y) {
    op->emitOpError() << "has activation '" << name
                      << "', which is not supported";
    b.ok = false;
    return x;
  }
  return y;
}

LogicalResult RecurrentDecomposer::run() {
  bool batchFirst = op->getAttrOfType<IntegerAttr>("layout").getInt() != 0;
  StringRef dirAttr = op->getAttrOfType<StringAttr>("direction").getValue();
  Value x = op->getOperand(0), w = op->getOperand(1), r = op->getOperand(2);
  hidden = dim(r, 2);
  activationsPerDirection = gates == 1 ? 1 : gates == 3 ? 2 : 3;
  Value bias = param(0), seqLens = param(1), initH = param(2);
  Value initC = gates == 4 ? param(3) : Value();
  Value peep = gates == 4 ? param(4) : Value();
  bool linearBeforeReset =
      gates == 3 &&
      op->getAttrOfType<IntegerAttr>("linear_before_reset").getInt() != 0;
  bool inputForget =
      gates == 4 && op->getAttrOfType<IntegerAttr>("input_forget").getInt();
  if (batchFirst) {
    x = transpose(x, {1, 0, 2});
    if (initH)
      initH = transpose(initH, {1, 0, 2});
    if (initC)
      initC = transpose(initC, {1, 0, 2});
  }
  int64_t seq = dim(x, 0), batch = dim(x, 1);
  int dirs = dirAttr == "bidirectional" ? 2 : 1;
  auto type = llvm::cast<RankedTensorType>(x.getType());
  Value zeros = b.zeros({batch, hidden}, type.getElementType());

  auto join = [&](ArrayRef<Value> parts, int64_t axis) {
    return parts.size() == 1
               ? parts[0]
               : b.make<ConcatOp>(parts, {b.attr("axis", b.i64(axis))});
  };
  SmallVector<Value> ys, hs, cs;
  for (direction = 0; direction < dirs; ++direction) {
    bool reverse = dirAttr == "reverse" || direction == 1;
    auto of = [&](Value v) {
      return squeeze(slice(v, 0, direction, direction + 1), 0);
    };
    Value wT = transpose(of(w), {1, 0}), rT = transpose(of(r), {1, 0});
    // X W^T (+ Wb + Rb) for every step: [seq, batch, gates * hidden].
    Value xw = b.make<MatMulOp>(ValueRange{x, wT});
    Value wb, rb;
    if (bias) {
      Value bd = of(bias);
      wb = slice(bd, 0, 0, gates * hidden);
      rb = slice(bd, 0, gates * hidden, 2 * gates * hidden);
      if (linearBeforeReset) { // Rb of the hidden gate is added later
        Value none = b.zeros({hidden}, type.getElementType());
        xw = add(xw, add(wb, b.make<ConcatOp>(
                                 ValueRange{slice(rb, 0, 0, 2 * hidden), none},
                                 {b.attr("axis", b.i64(0))})));
      } else
        xw = add(xw, add(wb, rb));
    }
    Value h = initH ? of(initH) : zeros;
    Value c = initC ? of(initC) : zeros;
    Value pi, po, pf;
    if (peep) {
      Value p = of(peep);
      pi = slice(p, 0, 0, hidden);
      po = slice(p, 0, hidden, 2 * hidden);
      pf = slice(p, 0, 2 * hidden, 3 * hidden);
    }
    SmallVector<Value> steps(seq);
    for (int64_t i = 0; i < seq; ++i) {
      int64_t t = reverse ? seq - 1 - i : i;
      Value xt = squeeze(slice(xw, 0, t, t + 1), 0);
      Value hr = b.make<MatMulOp>(ValueRange{h, rT});
      Value newH, newC;
      if (gates == 1) {
        newH = activate(0, add(xt, hr));
      } else if (gates == 3) {
        Value z = activate(0, add(gate(xt, 0), gate(hr, 0)));
        Value rg = activate(0, add(gate(xt, 1), gate(hr, 1)));
        Value hh;
        if (linearBeforeReset) {
          Value rh = gate(hr, 2);
          if (rb)
            rh = add(rh, slice(rb, 0, 2 * hidden, 3 * hidden));
          hh = activate(1, add(gate(xt, 2), mul(rg, rh)));
        } else {
          Value rh = b.make<MatMulOp>(
              ValueRange{mul(rg, h), slice(rT, 1, 2 * hidden, 3 * hidden)});
          hh = activate(1, add(gate(xt, 2), rh));
        }
        // H = (1 - z) * hh + z * H = hh + z * (H - hh)
        newH = add(hh, mul(z, sub(h, hh)));
      } else {
        Value pre = add(xt, hr); // gates i, o, f, c
        Value gi = gate(pre, 0), go = gate(pre, 1), gf = gate(pre, 2);
        if (peep) {
          gi = add(gi, mul(pi, c));
          gf = add(gf, mul(pf, c));
        }
        Value it = activate(0, gi);
        Value ft = inputForget ? sub(b.scalar(it, 1.0), it) : activate(0, gf);
        Value ct = activate(1, gate(pre, 3));
        newC = add(mul(ft, c), mul(it, ct));
        if (peep)
          go = add(go, mul(po, newC));
        newH = mul(activate(0, go), activate(2, newC, /*clipped=*/false));
      }
      Value out = newH;
      if (seqLens) {
        // Steps past a batch entry's length keep its state; Y is 0 there.
        Type lens = llvm::cast<ShapedType>(seqLens.getType()).getElementType();
        Value step = b.splat({}, b.b.getIntegerAttr(lens, t));
        Value live = unsqueeze(b.make<LessOp>(ValueRange{step, seqLens}), 1);
        out = b.make<WhereOp>(ValueRange{live, newH, zeros});
        newH = b.make<WhereOp>(ValueRange{live, newH, h});
        if (newC)
          newC = b.make<WhereOp>(ValueRange{live, newC, c});
      }
      steps[t] = unsqueeze(out, 0);
      h = newH;
      if (newC)
        c = newC;
    }
    ys.push_back(unsqueeze(join(steps, 0), 1)); // [seq, 1, batch, hidden]
    hs.push_back(unsqueeze(h, 0));
    cs.push_back(unsqueeze(c, 0));
  }
  Value y = join(ys, 1), yh = join(hs, 0), yc = join(cs, 0);
  if (batchFirst) {
    y = transpose(y, {2, 0, 1, 3});
    yh = transpose(yh, {1, 0, 2});
    yc = transpose(yc, {1, 0, 2});
  }
  if (!b.ok)
    return failure();
  op->getResult(0).replaceAllUsesWith(y);
  op->getResult(1).replaceAllUsesWith(yh);
  if (gates == 4)
    op->getResult(2).replaceAllUsesWith(yc);
  return success();
}

/// X viewed as [N, G, rest], normalized over `rest` like InstanceNorm;
/// per-group scale and bias apply in that view, per-channel ones after
/// viewing it as X again.
LogicalResult decomposeGroupNorm(GroupNormalizationOp op) {
  TypedOpBuilder b(op);
  auto type = llvm::cast<RankedTensorType>(op.getX().getType());
  int64_t groups = op.getNumGroups();
  int64_t n = type.getDimSize(0), rest = type.getNumElements() / n / groups;
  Value grouped =
      b.make<ReshapeOp>(ValueRange{op.getX(), b.i64Vector({n, groups, rest})});
  Moments m = moments(b, grouped, {2});
  Value eps = b.scalar(op.getX(), op.getEpsilon().convertToDouble());
  Value y = b.make<DivOp>(ValueRange{
      m.centered, b.make<SqrtOp>(b.make<AddOp>(ValueRange{m.variance, eps}))});
  int64_t channels = type.getDimSize(1);
  bool perGroup =
      llvm::cast<ShapedType>(op.getScale().getType()).getNumElements() ==
          groups &&
      groups != channels;
  if (perGroup) {
    auto column = [&](Value v) {
      return b.make<UnsqueezeOp>(v, {b.attr("axes", b.i64s({1}))});
    };
    y = b.make<AddOp>(
        ValueRange{b.make<MulOp>(ValueRange{y, column(op.getScale())}),
                   column(op.getBias())});
  }
  y = b.make<ReshapeOp>(ValueRange{y, b.i64Vector(type.getShape())});
  if (!perGroup) {
    int64_t rank = type.getRank();
    y = b.make<AddOp>(ValueRange{
        b.make<MulOp>(ValueRange{y, perChannel(b, op.getScale(), rank)}),
        perChannel(b, op.getBias(), rank)});
  }
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

/// `v` converted to element type `to` (a TensorProto.DataType).
Value castTo(TypedOpBuilder &b, Value v, int64_t to) {
  return b.make<CastOp>(v, {b.attr("to", b.i64(to))});
}

/// `v` as int32 minus its zero point (absent: none). A zero point per
/// row of A ([M]) or per output channel of W ([M]) is given `trailing`
/// ones to meet v's first axis.
Value shifted(TypedOpBuilder &b, Value v, Value zeroPoint, int64_t trailing) {
  Value x = castTo(b, v, 6 /* INT32 */);
  if (!zeroPoint || llvm::isa<NoneType>(zeroPoint.getType()))
    return x;
  Value z = castTo(b, zeroPoint, 6);
  auto zt = llvm::cast<RankedTensorType>(z.getType());
  if (trailing && zt.getRank() == 1 && zt.getNumElements() > 1) {
    SmallVector<int64_t> axes;
    for (int64_t i = 1; i <= trailing; ++i)
      axes.push_back(i);
    z = b.make<UnsqueezeOp>(z, {b.attr("axes", b.i64s(axes))});
  }
  return b.make<SubOp>(ValueRange{x, z});
}

LogicalResult decomposeMatMulInteger(MatMulIntegerOp op) {
  TypedOpBuilder b(op);
  auto zp = [&](unsigned i) {
    return i < op.getZeroPoints().size() ? op.getZeroPoints()[i] : Value();
  };
  Value y = b.make<MatMulOp>(ValueRange{shifted(b, op.getA(), zp(0), 1),
                                        shifted(b, op.getB(), zp(1), 0)});
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

/// round(C * (a_scale * b_scale / y_scale)) + y_zero_point with C the
/// exact int32 product, converted to the result type as ONNX's reference
/// does: through int32, wrapping out-of-range values (it does not
/// saturate).
LogicalResult decomposeQLinearMatMul(QLinearMatMulOp op) {
  TypedOpBuilder b(op);
  Value c = b.make<MatMulOp>(
      ValueRange{shifted(b, op.getA(), op.getAZeroPoint(), 1),
                 shifted(b, op.getB(), op.getBZeroPoint(), 0)});
  auto type = llvm::cast<ShapedType>(op.getY().getType()).getElementType();
  auto it = llvm::dyn_cast<IntegerType>(type);
  if (!it || it.getWidth() != 8)
    return op.emitOpError() << "supports int8 and uint8 results, not " << type;
  // The combined scale in the scales' own type (float16 rounds here).
  auto f32 = [&](Value v) { return castTo(b, v, 1 /* FLOAT */); };
  Value scale = f32(b.make<DivOp>(
      ValueRange{b.make<MulOp>(ValueRange{op.getAScale(), op.getBScale()}),
                 op.getYScale()}));
  Value d = b.make<RoundOp>(b.make<MulOp>(ValueRange{f32(c), scale}));
  if (op.getYZeroPoint())
    d = b.make<AddOp>(ValueRange{d, f32(op.getYZeroPoint())});
  Value y = castTo(b, castTo(b, d, 6 /* INT32 */),
                   it.isUnsigned() ? 2 /* UINT8 */ : 3 /* INT8 */);
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

LogicalResult decomposeConvInteger(ConvIntegerOp op) {
  TypedOpBuilder b(op);
  auto zp = [&](unsigned i) {
    return i < op.getZeroPoints().size() ? op.getZeroPoints()[i] : Value();
  };
  int64_t rank = llvm::cast<ShapedType>(op.getW().getType()).getRank();
  Value y = b.make<ConvOp>(ValueRange{shifted(b, op.getX(), zp(0), 0),
                                      shifted(b, op.getW(), zp(1), rank - 1)},
                           op->getAttrs());
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

/// The int32 Conv of the shifted inputs plus B, times x_scale * w_scale /
/// y_scale (per output channel when w_scale is), then QuantizeLinear with
/// scale 1 and y_zero_point: rounded to even and saturated, as ONNX's
/// reference does.
LogicalResult decomposeQLinearConv(QLinearConvOp op) {
  TypedOpBuilder b(op);
  int64_t rank = llvm::cast<ShapedType>(op.getW().getType()).getRank();
  SmallVector<Value> operands{
      shifted(b, op.getX(), op.getXZeroPoint(), 0),
      shifted(b, op.getW(), op.getWZeroPoint(), rank - 1)};
  if (Value bias = op.getB())
    operands.push_back(castTo(b, bias, 6 /* INT32 */));
  Value c = b.make<ConvOp>(operands, op->getAttrs());
  auto f32 = [&](Value v) { return castTo(b, v, 1 /* FLOAT */); };
  Value scale = f32(b.make<DivOp>(
      ValueRange{b.make<MulOp>(ValueRange{op.getXScale(), op.getWScale()}),
                 op.getYScale()}));
  auto st = llvm::cast<RankedTensorType>(scale.getType());
  if (st.getRank() == 1 && st.getNumElements() > 1)
    scale = perChannel(b, scale, rank);
  Value d = b.make<MulOp>(ValueRange{f32(c), scale});
  Value zero = op.getYZeroPoint();
  if (!zero)
    zero = b.zeros(
        {}, llvm::cast<ShapedType>(op.getX().getType()).getElementType());
  Value y = b.make<QuantizeLinearOp>(ValueRange{d, b.scalar(d, 1.0), zero});
  op.getY().replaceAllUsesWith(y);
  return success(b.ok);
}

/// ONNX's definition: scale = (max(0, max x) - min(0, min x)) / 255,
/// zero point = saturate(round(-min / scale)), y = saturate(round(x /
/// scale) + zero point), all uint8.
LogicalResult decomposeDynamicQuantizeLinear(DynamicQuantizeLinearOp op) {
  TypedOpBuilder b(op);
  Value x = op.getX(), zero = b.scalar(x, 0.0);
  Value hi = b.make<MaxOp>(
      ValueRange{b.make<ReduceMaxOp>(x, {b.attr("keepdims", b.i64(0))}), zero});
  Value lo = b.make<MinOp>(
      ValueRange{b.make<ReduceMinOp>(x, {b.attr("keepdims", b.i64(0))}), zero});
  Value range = b.make<SubOp>(ValueRange{hi, lo});
  // A range of 0 (x all zero) uses scale 1 / 255.
  Value isZero = b.make<EqualOp>(ValueRange{range, zero});
  range = b.make<WhereOp>(ValueRange{isZero, b.scalar(x, 1.0), range});
  Value scale = b.make<DivOp>(ValueRange{range, b.scalar(x, 255.0)});
  Value zp = b.make<DivOp>(ValueRange{b.make<NegOp>(lo), scale});
  zp = b.make<ClipOp>(zp, {b.attr("min", b.b.getF32FloatAttr(0)),
                           b.attr("max", b.b.getF32FloatAttr(255))});
  Value zpU8 = castTo(b, b.make<RoundOp>(zp), 2 /* UINT8 */);
  Value y = b.make<QuantizeLinearOp>(ValueRange{x, scale, zpU8});
  op.getY().replaceAllUsesWith(y);
  op.getYScale().replaceAllUsesWith(scale);
  op.getYZeroPoint().replaceAllUsesWith(zpU8);
  return success(b.ok);
}

/// TopK: rank[i] = #{l : x[l] before x[i]} along the axis (greater for
/// largest, ties to the lower index), order[j] = the i of rank j (ArgMax of
/// rank == j), indices = the first K of order (a Slice, reading K at run
/// time unless constant), values gathered at them.
LogicalResult decomposeTopK(TopKOp op) {
  TypedOpBuilder b(op);
  auto type = llvm::cast<RankedTensorType>(op.getX().getType());
  int64_t axis = op.getAxis(), n = type.getDimSize(axis), rank = type.getRank();
  // The ranking compares every pair along the axis.
  if (n > 4096)
    return op.emitOpError() << "along " << n
                            << " elements is not supported yet (the ranking "
                               "is quadratic; at most 4096)";
  Value x = op.getX();
  // x_i along `axis`, x_l along axis + 1.
  Value xi = b.make<UnsqueezeOp>(x, {b.attr("axes", b.i64s({axis + 1}))});
  Value xl = b.make<UnsqueezeOp>(x, {b.attr("axes", b.i64s({axis}))});
  Value before = op.getLargest() ? b.make<GreaterOp>(ValueRange{xl, xi})
                                 : b.make<LessOp>(ValueRange{xl, xi});
  // l < i, laid out on (axis, axis + 1).
  SmallVector<int64_t> square(rank + 1, 1);
  square[axis] = square[axis + 1] = n;
  auto boolType = RankedTensorType::get(square, b.b.getI1Type());
  SmallVector<bool> lower;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t l = 0; l < n; ++l)
      lower.push_back(l < i);
  Value lowerIndex = b.b.create<ConstantOp>(
      b.loc, boolType, DenseElementsAttr::get(boolType, ArrayRef(lower)));
  Value tie = b.make<AndOp>(
      ValueRange{b.make<EqualOp>(ValueRange{xl, xi}), lowerIndex});
  Value ahead = b.make<CastOp>(b.make<OrOp>(ValueRange{before, tie}),
                               {b.attr("to", b.i64(7))});
  Value ranks = b.make<ReduceSumOp>(ahead, {b.attr("axes", b.i64s({axis + 1})),
                                            b.attr("keepdims", b.i64(0))});
  // order[j] along axis: ArgMax over i (axis + 1) of rank_i == j.
  SmallVector<int64_t> positions, column(rank + 1, 1);
  column[axis] = n;
  for (int64_t j = 0; j < n; ++j)
    positions.push_back(j);
  auto positionType = RankedTensorType::get(column, b.b.getI64Type());
  Value j = b.b.create<ConstantOp>(
      b.loc, positionType,
      DenseElementsAttr::get(positionType, ArrayRef(positions)));
  Value rankOf = b.make<UnsqueezeOp>(ranks, {b.attr("axes", b.i64s({axis}))});
  Value hit = b.make<CastOp>(b.make<EqualOp>(ValueRange{rankOf, j}),
                             {b.attr("to", b.i64(7))});
  Value order = b.make<ArgMaxOp>(
      hit, {b.attr("axis", b.i64(axis + 1)), b.attr("keepdims", b.i64(0))});
  Type indexType = op.getIndices().getType();
  Value indices = b.makeDeclared<SliceOp>(
      indexType, {order, b.i64Vector({0}), op.getK(), b.i64Vector({axis})});
  Value values = b.make<GatherElementsOp>(ValueRange{x, indices},
                                          {b.attr("axis", b.i64(axis))});
  op.getValues().replaceAllUsesWith(values);
  op.getIndices().replaceAllUsesWith(indices);
  return success(b.ok);
}

/// Unique over the rows of S [n, L] (X's slices along the axis, or its
/// elements): eq[j, i] when rows j and i are equal; row i comes first when
/// no earlier row equals it. A first row's place u among the distinct ones
/// counts the first rows before it (in order, or lexicographically smaller:
/// the comparison at the first differing element). Slot u names the first
/// row of place u; a Compress keeps the slots below the distinct count and
/// its kernel checks that count against the declared one.
LogicalResult decomposeUnique(UniqueOp op) {
  TypedOpBuilder b(op);
  Value x = op.getX();
  auto type = llvm::cast<RankedTensorType>(x.getType());
  std::optional<int64_t> axis = op.getAxis();
  int64_t n = axis ? type.getDimSize(*axis) : type.getNumElements();
  int64_t width = n ? type.getNumElements() / n : 1;
  Value rows = x;
  if (axis && *axis != 0) {
    SmallVector<int64_t> perm = {*axis};
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (d != *axis)
        perm.push_back(d);
    rows = b.make<TransposeOp>(rows, {b.attr("perm", b.i64s(perm))});
  }
  rows = b.make<ReshapeOp>({rows, b.i64Vector({n, width})});
  Value rj = b.make<UnsqueezeOp>(rows, {b.attr("axes", b.i64s({1}))});
  Value ri = b.make<UnsqueezeOp>(rows, {b.attr("axes", b.i64s({0}))});
  auto toI64 = [&](Value v) {
    return b.make<CastOp>(v, {b.attr("to", b.i64(7))});
  };
  auto reduce = [&](Value v, int64_t axis) {
    return b.make<ReduceSumOp>(
        v, {b.attr("axes", b.i64s({axis})), b.attr("keepdims", b.i64(0))});
  };
  auto argMax = [&](Value v, int64_t axis, int64_t keep = 0) {
    return b.make<ArgMaxOp>(
        v, {b.attr("axis", b.i64(axis)), b.attr("keepdims", b.i64(keep))});
  };
  Value same = b.make<EqualOp>(ValueRange{rj, ri});
  Value eq = b.make<ReduceMinOp>(
      toI64(same), {b.attr("axes", b.i64s({2})), b.attr("keepdims", b.i64(0))});
  SmallVector<int64_t> positions;
  for (int64_t i = 0; i < n; ++i)
    positions.push_back(i);
  Value iota = b.i64Vector(positions);
  Value firstOf = argMax(eq, 0);
  Value isFirst = b.make<EqualOp>(ValueRange{firstOf, iota});
  Value firstI64 = toI64(isFirst);
  Value firstCol = b.make<UnsqueezeOp>(firstI64, {b.attr("axes", b.i64s({1}))});
  Value before;
  if (op.getSorted()) {
    Value less = toI64(b.make<LessOp>(ValueRange{rj, ri}));
    Value differs = argMax(toI64(b.make<NotOp>(ValueRange{same})), 2, 1);
    before =
        b.make<ReshapeOp>({b.make<GatherElementsOp>(ValueRange{less, differs},
                                                    {b.attr("axis", b.i64(2))}),
                           b.i64Vector({n, n})});
  } else {
    SmallVector<int64_t> lower;
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < n; ++i)
        lower.push_back(j < i);
    auto squareType = RankedTensorType::get({n, n}, b.b.getI64Type());
    before = b.b.create<ConstantOp>(
        b.loc, squareType, DenseElementsAttr::get(squareType, ArrayRef(lower)));
  }
  Value place = reduce(b.make<MulOp>(ValueRange{before, firstCol}), 0);
  Value inverse =
      b.make<GatherOp>(ValueRange{place, firstOf}, {b.attr("axis", b.i64(0))});
  // slot[u] = the first row whose place is u (0 past the distinct count).
  Value placeRow = b.make<UnsqueezeOp>(place, {b.attr("axes", b.i64s({0}))});
  Value iotaCol = b.make<UnsqueezeOp>(iota, {b.attr("axes", b.i64s({1}))});
  Value firstRow = b.make<UnsqueezeOp>(isFirst, {b.attr("axes", b.i64s({0}))});
  Value hit = b.make<AndOp>(
      ValueRange{b.make<EqualOp>(ValueRange{placeRow, iotaCol}), firstRow});
  Value slot = argMax(toI64(hit), 1);
  Value distinct =
      b.make<ReduceSumOp>(firstI64, {b.attr("keepdims", b.i64(0))});
  Value used = b.make<LessOp>(ValueRange{iota, distinct});
  Value source = b.makeDeclared<CompressOp>(op.getIndices().getType(),
                                            ValueRange{slot, used},
                                            {b.attr("axis", b.i64(0))});
  Value y =
      axis ? b.make<GatherOp>(ValueRange{x, source},
                              {b.attr("axis", b.i64(*axis))})
           : b.make<GatherOp>(
                 ValueRange{b.make<ReshapeOp>({x, b.i64Vector({n})}), source},
                 {b.attr("axis", b.i64(0))});
  Value counts = b.make<GatherOp>(ValueRange{reduce(eq, 0), source},
                                  {b.attr("axis", b.i64(0))});
  op.getY().replaceAllUsesWith(y);
  op.getIndices().replaceAllUsesWith(source);
  op.getInverseIndices().replaceAllUsesWith(inverse);
  op.getCounts().replaceAllUsesWith(counts);
  return success(b.ok);
}

/// An op with an optional second result (MaxPool's Indices, StringSplit's
/// Z): one copy per used result, the second computing it as its only
/// result under the unit attribute `selector`.
template <typename OpTy>
LogicalResult splitSecondResult(OpTy op, Value second, StringRef selector) {
  OpBuilder b(op);
  for (auto [result, selected] :
       {std::pair(Value(op->getResult(0)), false), std::pair(second, true)}) {
    if (result.use_empty())
      continue;
    auto copy = b.create<OpTy>(op.getLoc(), TypeRange{result.getType()},
                               op->getOperands(), op->getAttrs());
    if (selected)
      copy->setAttr(selector, b.getUnitAttr());
    result.replaceAllUsesWith(copy->getResult(0));
  }
  return success();
}

/// A Cast (or CastLike) of integers narrower than 64 bits to strings goes
/// through int64 or uint64, the types the runtime's kernel formats.
bool castsNarrowIntToString(Operation *op) {
  if (!isa<CastOp, CastLikeOp>(op))
    return false;
  auto from = llvm::cast<RankedTensorType>(op->getOperand(0).getType());
  auto to = llvm::cast<RankedTensorType>(op->getResult(0).getType());
  auto i = llvm::dyn_cast<IntegerType>(from.getElementType());
  return llvm::isa<StringType>(to.getElementType()) && i && i.getWidth() > 1 &&
         i.getWidth() < 64;
}

LogicalResult widenCastToString(Operation *op) {
  TypedOpBuilder b(op);
  auto from = llvm::cast<RankedTensorType>(op->getOperand(0).getType());
  bool isUnsigned = llvm::cast<IntegerType>(from.getElementType()).isUnsigned();
  Value wide = castTo(b, op->getOperand(0), isUnsigned ? 13 : 7);
  op->getResult(0).replaceAllUsesWith(castTo(b, wide, 8));
  return success(b.ok);
}

/// Binarizer: CastLike(Greater(X, threshold), X). For integers, X >
/// threshold exactly when X > floor(threshold).
LogicalResult decomposeBinarizer(BinarizerOp op) {
  TypedOpBuilder b(op);
  Type e = llvm::cast<ShapedType>(op.getX().getType()).getElementType();
  double t = op.getThreshold().convertToDouble();
  Value threshold =
      llvm::isa<FloatType>(e)
          ? b.splat({}, FloatAttr::get(e, t))
          : b.splat({},
                    IntegerAttr::get(e, static_cast<int64_t>(std::floor(t))));
  Value above = b.make<GreaterOp>(ValueRange{op.getX(), threshold});
  op.getY().replaceAllUsesWith(
      b.make<CastLikeOp>(ValueRange{above, op.getX()}));
  return success(b.ok);
}

/// ArrayFeatureExtractor: a Gather of the flattened indices along X's last
/// axis (a 1-D X gets a leading 1).
LogicalResult decomposeArrayFeatureExtractor(ArrayFeatureExtractorOp op) {
  TypedOpBuilder b(op);
  auto x = llvm::cast<RankedTensorType>(op.getX().getType());
  auto y = llvm::cast<RankedTensorType>(op.getY().getType());
  Value indices = b.make<ReshapeOp>(
      ValueRange{op.getY(), b.i64Vector({y.getNumElements()})});
  Value z = b.make<GatherOp>(ValueRange{op.getX(), indices},
                             {b.attr("axis", b.i64(x.getRank() - 1))});
  if (x.getRank() == 1)
    z = b.make<UnsqueezeOp>(z, {b.attr("axes", b.i64s({0}))});
  op.getZ().replaceAllUsesWith(z);
  return success(b.ok);
}

/// A random op's seed attribute (float, as in ONNX) for `seed`, if any.
std::optional<NamedAttribute> seedAttr(TypedOpBuilder &b,
                                       std::optional<double> seed) {
  if (!seed)
    return std::nullopt;
  return b.attr("seed", b.b.getF32FloatAttr(*seed));
}

/// Uniform draws in [0, 1) as float64, shaped like `like`.
Value uniformLike(TypedOpBuilder &b, Value like, std::optional<double> seed) {
  SmallVector<NamedAttribute> attrs{b.attr("dtype", b.i64(11 /* DOUBLE */))};
  if (auto s = seedAttr(b, seed))
    attrs.push_back(*s);
  return b.make<RandomUniformLikeOp>(like, attrs);
}

/// Bernoulli: 1 where a uniform draw (float64) is below the probability.
LogicalResult decomposeBernoulli(BernoulliOp op) {
  TypedOpBuilder b(op);
  std::optional<double> seed;
  if (auto s = op.getSeed())
    seed = s->convertToDouble();
  Value u = uniformLike(b, op.getInput(), seed);
  Value hit = b.make<LessOp>(ValueRange{u, castTo(b, op.getInput(), 11)});
  Type element =
      llvm::cast<ShapedType>(op.getOutput().getType()).getElementType();
  op.getOutput().replaceAllUsesWith(castTo(b, hit, onnxDataType(element)));
  return success(b.ok);
}

/// Dropout in training mode: keep = uniform draw (float64) >= ratio,
/// output = data * keep * 1 / (1 - ratio), as ONNX's reference computes
/// it. A training_mode read at run time chooses between that and the
/// input (with an all-true mask) by Where.
LogicalResult decomposeTrainingDropout(DropoutOp op) {
  TypedOpBuilder b(op);
  Value x = op.getData();
  auto type = llvm::cast<RankedTensorType>(x.getType());
  auto present = [&](unsigned i) {
    return op.getParams().size() > i &&
           !llvm::isa<NoneType>(op.getParams()[i].getType());
  };
  Value ratio = present(0) ? castTo(b, op.getParams()[0], 11)
                           : b.splat({}, b.b.getF64FloatAttr(0.5));
  std::optional<double> seed;
  if (auto s = op.getSeed())
    seed = double(*s);
  Value keep =
      b.make<GreaterOrEqualOp>(ValueRange{uniformLike(b, x, seed), ratio});
  Value one = b.splat({}, b.b.getF64FloatAttr(1.0));
  Value scale =
      b.make<DivOp>(ValueRange{one, b.make<SubOp>(ValueRange{one, ratio})});
  int64_t dtype = onnxDataType(type.getElementType());
  Value output = b.make<MulOp>(
      ValueRange{b.make<MulOp>(ValueRange{x, castTo(b, keep, dtype)}),
                 castTo(b, scale, dtype)});
  Value mask = keep;
  if (op.constantParam(1) != 1.0) { // training_mode read at run time
    Value training = op.getParams()[1];
    output = b.make<WhereOp>(ValueRange{training, output, x});
    mask = b.make<OrOp>(ValueRange{keep, b.make<NotOp>(ValueRange{training})});
  }
  op.getOutput().replaceAllUsesWith(output);
  if (op.getMask())
    op.getMask().replaceAllUsesWith(mask);
  return success(b.ok);
}

/// Dropout's mask, all true at inference, becomes a constant; the output
/// stays a view of the input.
LogicalResult decomposeDropoutMask(DropoutOp op) {
  OpBuilder b(op);
  auto output =
      b.create<DropoutOp>(op.getLoc(), TypeRange{op.getOutput().getType()},
                          op->getOperands(), op->getAttrs());
  op.getOutput().replaceAllUsesWith(output.getOutput());
  auto type = llvm::cast<RankedTensorType>(op.getMask().getType());
  auto mask = b.create<ConstantOp>(op.getLoc(), type,
                                   DenseElementsAttr::get(type, true));
  op.getMask().replaceAllUsesWith(mask.getResult());
  return success();
}

struct DecomposePass : impl::DecomposeBase<DecomposePass> {
  void runOnOperation() override {
    SmallVector<Operation *> rewritten;
    WalkResult result = getOperation().walk([&](Operation *op) {
      LogicalResult done = success();
      if (auto split = dyn_cast<SplitOp>(op))
        done = decomposeSplit(split);
      else if (auto norm = dyn_cast<LayerNormalizationOp>(op))
        done = decomposeLayerNorm(norm);
      else if (auto sce = dyn_cast<SoftmaxCrossEntropyLossOp>(op))
        done = decomposeSoftmaxCrossEntropy(sce);
      else if (auto bn = dyn_cast<BatchNormalizationOp>(op))
        done = foldBatchNormIntoConv(bn) ? success() : decomposeBatchNorm(bn);
      else if (auto in = dyn_cast<InstanceNormalizationOp>(op))
        done = decomposeInstanceNorm(in);
      else if (auto mvn = dyn_cast<MeanVarianceNormalizationOp>(op))
        done = decomposeMeanVarianceNorm(mvn);
      else if (auto topk = dyn_cast<TopKOp>(op))
        done = decomposeTopK(topk);
      else if (auto pool = dyn_cast<MaxPoolOp>(op); pool && pool.getIndices())
        done = splitSecondResult(pool, pool.getIndices(), "select_indices");
      else if (auto split = dyn_cast<StringSplitOp>(op); split && split.getZ())
        done = splitSecondResult(split, split.getZ(), "select_lengths");
      else if (auto bin = dyn_cast<BinarizerOp>(op))
        done = decomposeBinarizer(bin);
      else if (auto afe = dyn_cast<ArrayFeatureExtractorOp>(op))
        done = decomposeArrayFeatureExtractor(afe);
      else if (castsNarrowIntToString(op))
        done = widenCastToString(op);
      else if (auto get = dyn_cast<OptionalGetElementOp>(op);
               get && !isOptionalInput(get.getInput()))
        get.getOutput().replaceAllUsesWith(get.getInput());
      else if (auto unique = dyn_cast<UniqueOp>(op))
        done = decomposeUnique(unique);
      else if (auto d = dyn_cast<DropoutOp>(op); d && !d.isInference())
        done = decomposeTrainingDropout(d);
      else if (auto d = dyn_cast<DropoutOp>(op); d && d.getMask())
        done = decomposeDropoutMask(d);
      else if (auto bernoulli = dyn_cast<BernoulliOp>(op))
        done = decomposeBernoulli(bernoulli);
      else if (auto gn = dyn_cast<GroupNormalizationOp>(op))
        done = decomposeGroupNorm(gn);
      else if (auto mmi = dyn_cast<MatMulIntegerOp>(op))
        done = decomposeMatMulInteger(mmi);
      else if (auto ci = dyn_cast<ConvIntegerOp>(op))
        done = decomposeConvInteger(ci);
      else if (auto qc = dyn_cast<QLinearConvOp>(op))
        done = decomposeQLinearConv(qc);
      else if (auto qmm = dyn_cast<QLinearMatMulOp>(op))
        done = decomposeQLinearMatMul(qmm);
      else if (auto dql = dyn_cast<DynamicQuantizeLinearOp>(op))
        done = decomposeDynamicQuantizeLinear(dql);
      else if (isa<RNNOp, GRUOp, LSTMOp>(op))
        done = RecurrentDecomposer(op, isa<RNNOp>(op)   ? 1
                                       : isa<GRUOp>(op) ? 3
                                                        : 4)
                   .run();
      else
        return WalkResult::advance();
      if (failed(done))
        return WalkResult::interrupt();
      rewritten.push_back(op);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    for (Operation *op : rewritten)
      op->erase();
  }
};

} // namespace
} // namespace onnxc::onnx
