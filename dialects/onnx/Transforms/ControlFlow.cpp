// If, Loop and Scan expanded in place during shape inference: their bodies
// are cloned into the enclosing block (once per step for the loops), so
// that code generation sees one straight-line graph.
#include "dialects/onnx/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace onnxc::onnx {
namespace {

/// The most body copies one loop may unroll to, and the most ops they may
/// hold together.
constexpr int64_t kMaxSteps = 1024, kMaxUnrolledOps = 65536;

class Expander {
public:
  Expander(Operation *op, InferOpFn infer) : op(op), b(op), infer(infer) {}

  FailureOr<SmallVector<Value>> expand();

private:
  FailureOr<SmallVector<Value>> expandIf(IfOp ifOp);
  FailureOr<SmallVector<Value>> expandLoop(LoopOp loop);
  FailureOr<SmallVector<Value>> expandScan(ScanOp scan);
  FailureOr<SmallVector<Value>> expandSequence();
  FailureOr<SmallVector<Value>> expandSequenceMap(SequenceMapOp map);

  /// The tensors of a sequence built in the model.
  FailureOr<SmallVector<Value>> elementsOf(Value sequence);
  /// A SequenceConstruct of `elements`, typed as the op's result.
  Value sequenceOf(ArrayRef<Value> elements) {
    return b.create<SequenceConstructOp>(op->getLoc(),
                                         op->getResult(0).getType(), elements);
  }
  /// `position` (a one-value integer tensor) when a constant, made
  /// non-negative for `count` elements (`count` itself allowed when
  /// `end`); std::nullopt when read at run time. Sets `bad` when out of range.
  std::optional<int64_t> constantPosition(Value position, int64_t count,
                                          bool end, bool &bad);
  /// The position as an int64 scalar made non-negative at run time.
  Value runtimePosition(Value position, int64_t count);
  /// `value`, passed through a Compress that fails at run time (naming the
  /// op, with `message`) unless the bool scalar `valid` holds.
  Value guarded(Value value, Value valid, StringRef message);
  /// The rows of `stacked` (axis 0) where `cond` holds, exactly `rows` of
  /// them or a run-time error naming the op; `detail` is the check's `what`
  /// (the input named in the standard message) or its whole `message`.
  Value checkedCompress(Value stacked, Value cond, int64_t rows,
                        NamedAttribute detail);
  /// The run-time error of a position outside a sequence.
  std::string rangeMessage(int64_t count, bool end) {
    return "the position read at run time is outside [-" +
           std::to_string(count) + ", " + std::to_string(count - !end) +
           "] for a sequence of " + std::to_string(count) + " tensors";
  }
  LogicalResult scanSteps(ScanOp scan, SmallVector<Value> &states,
                          ArrayRef<Value> inputs, ArrayRef<int64_t> axes,
                          ArrayRef<int64_t> directions,
                          SmallVector<SmallVector<Value>> &outputs);

  /// The body's ops cloned before the expanded op, its arguments bound to
  /// `args`, each clone inferred in order; the values it yields.
  FailureOr<SmallVector<Value>> inlineBody(Region &body, ValueRange args);

  /// An onnx op with one result, typed by its own inference (or folded).
  Value make(StringRef name, ValueRange operands,
             ArrayRef<NamedAttribute> attrs = {});
  Value constant(RankedTensorType type, Attribute value) {
    auto dense = DenseElementsAttr::get(type, value);
    return b.create<ConstantOp>(op->getLoc(), type, dense);
  }
  Value scalarI64(int64_t v) {
    return constant(RankedTensorType::get({}, b.getI64Type()),
                    b.getI64IntegerAttr(v));
  }
  Value scalarBool(bool v) {
    return constant(RankedTensorType::get({}, b.getI1Type()), b.getBoolAttr(v));
  }
  /// A one-element tensor as a scalar.
  Value toScalar(Value v) {
    auto type = llvm::cast<RankedTensorType>(v.getType());
    if (type.getRank() == 0)
      return v;
    auto empty = RankedTensorType::get({0}, b.getI64Type());
    Value shape = b.create<ConstantOp>(
        op->getLoc(), empty,
        DenseElementsAttr::get(empty, ArrayRef<int64_t>()));
    return make("Reshape", {v, shape});
  }
  /// a && b, folded when either is a constant.
  Value both(Value x, Value y) {
    if (x == y || isConstant(x, true) || isConstant(y, false))
      return y;
    if (isConstant(y, true) || isConstant(x, false))
      return x;
    return make("And", {x, y});
  }
  NamedAttribute attr(StringRef name, Attribute value) {
    return b.getNamedAttr(name, value);
  }
  Attribute i64(int64_t v) {
    return b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), v);
  }
  Value slice(Value x, int64_t axis, int64_t at) {
    return make("Slice", {x},
                {attr("starts", b.getI64ArrayAttr({at})),
                 attr("ends", b.getI64ArrayAttr({at + 1})),
                 attr("axes", b.getI64ArrayAttr({axis})),
                 attr("steps", b.getI64ArrayAttr({1}))});
  }
  /// Entry `at` of `x` along `axis`, without that axis.
  Value entry(Value x, int64_t axis, int64_t at) {
    return make("Squeeze", {slice(x, axis, at)},
                {attr("axes", b.getI64ArrayAttr({axis}))});
  }
  /// `parts` stacked along a new `axis`.
  Value stack(ArrayRef<Value> parts, int64_t axis) {
    SmallVector<Value> grown;
    for (Value p : parts)
      grown.push_back(
          make("Unsqueeze", {p}, {attr("axes", b.getI64ArrayAttr({axis}))}));
    if (grown.size() == 1)
      return grown[0];
    return make("Concat", grown, {attr("axis", i64(axis))});
  }
  static bool isConstant(Value v, bool value) {
    auto c = v.getDefiningOp<ConstantOp>();
    auto dense = c ? llvm::dyn_cast<DenseElementsAttr>(c.getValue())
                   : DenseElementsAttr();
    return dense && dense.getElementType().isInteger(1) &&
           llvm::all_of(dense.getValues<bool>(),
                        [&](bool x) { return x == value; });
  }
  LogicalResult checkUnrollSize(Region &body, int64_t steps);
  /// Replaces the op's results, checking the types the model declares.
  FailureOr<SmallVector<Value>> finish(ArrayRef<Value> values);

  Operation *op;
  OpBuilder b;
  InferOpFn infer;
  bool ok = true;
};

Value Expander::make(StringRef name, ValueRange operands,
                     ArrayRef<NamedAttribute> attrs) {
  OperationState state(op->getLoc(), ("onnx." + name).str());
  Type element =
      llvm::cast<ShapedType>(operands.back().getType()).getElementType();
  state.addOperands(operands);
  state.addTypes(UnrankedTensorType::get(element));
  state.addAttributes(attrs);
  Operation *created = b.create(state);
  FailureOr<SmallVector<Value>> values = infer(created);
  if (failed(values)) {
    ok = false;
    return created->getNumResults() ? created->getResult(0) : Value();
  }
  return (*values)[0];
}

FailureOr<SmallVector<Value>> Expander::inlineBody(Region &body,
                                                   ValueRange args) {
  Block &block = body.front();
  if (block.getNumArguments() != args.size())
    return op->emitOpError() << "body takes " << block.getNumArguments()
                             << " inputs, not " << args.size();
  IRMapping map;
  for (auto [arg, value] : llvm::zip(block.getArguments(), args))
    map.map(arg, value);
  for (Operation &inner : block.without_terminator()) {
    Operation *clone = b.clone(inner, map);
    FailureOr<SmallVector<Value>> values = infer(clone);
    if (failed(values))
      return failure();
    for (auto [result, value] : llvm::zip(inner.getResults(), *values))
      map.map(result, value);
  }
  SmallVector<Value> yielded;
  for (Value v : block.getTerminator()->getOperands())
    yielded.push_back(map.lookupOrDefault(v));
  return yielded;
}

FailureOr<SmallVector<Value>> Expander::finish(ArrayRef<Value> values) {
  if (!ok)
    return failure();
  if (values.size() != op->getNumResults())
    return op->emitOpError() << "has " << op->getNumResults()
                             << " outputs but its body gives " << values.size();
  for (auto [i, result, value] : llvm::enumerate(op->getResults(), values)) {
    auto declared = llvm::dyn_cast<RankedTensorType>(result.getType());
    auto computed = llvm::dyn_cast<RankedTensorType>(value.getType());
    if (declared && declared.hasStaticShape() && computed &&
        declared.getShape() != computed.getShape())
      return op->emitOpError() << "output " << i << " is declared " << declared
                               << " but computes " << computed;
  }
  for (auto [result, value] : llvm::zip(op->getResults(), values))
    result.replaceAllUsesWith(value);
  SmallVector<Value> out(values);
  op->erase();
  return out;
}

LogicalResult Expander::checkUnrollSize(Region &body, int64_t steps) {
  int64_t ops = 0;
  body.walk([&](Operation *) { ++ops; });
  if (steps > kMaxSteps || steps * ops > kMaxUnrolledOps)
    return op->emitOpError()
           << "would unroll its body of " << ops << " ops " << steps
           << " times (at most " << kMaxSteps << " steps and "
           << kMaxUnrolledOps << " ops; loops kept as loops are not "
           << "supported yet)";
  return success();
}

FailureOr<SmallVector<Value>> Expander::expandIf(IfOp ifOp) {
  auto condType = llvm::dyn_cast<RankedTensorType>(ifOp.getCond().getType());
  if (!condType || !condType.hasStaticShape() ||
      condType.getNumElements() != 1 || !condType.getElementType().isInteger(1))
    return op->emitOpError("needs a bool cond of one element");
  if (auto c = ifOp.getCond().getDefiningOp<ConstantOp>()) {
    auto dense = llvm::dyn_cast<DenseElementsAttr>(c.getValue());
    if (dense) {
      bool taken = *dense.getValues<bool>().begin();
      FailureOr<SmallVector<Value>> values =
          inlineBody(taken ? ifOp.getThenBranch() : ifOp.getElseBranch(), {});
      if (failed(values))
        return failure();
      return finish(*values);
    }
  }
  // Known only at run time: both branches, then a Where per output.
  FailureOr<SmallVector<Value>> thenValues =
      inlineBody(ifOp.getThenBranch(), {});
  if (failed(thenValues))
    return failure();
  FailureOr<SmallVector<Value>> elseValues =
      inlineBody(ifOp.getElseBranch(), {});
  if (failed(elseValues))
    return failure();
  if (thenValues->size() != elseValues->size())
    return op->emitOpError("has branches with different output counts");
  Value cond = toScalar(ifOp.getCond());
  SmallVector<Value> values;
  for (auto [i, t, e] : llvm::enumerate(*thenValues, *elseValues)) {
    if (t.getType() != e.getType())
      return op->emitOpError()
             << "with a cond known only at run time needs branches whose "
                "outputs agree; output "
             << i << " is " << t.getType() << " in then_branch and "
             << e.getType() << " in else_branch (not supported yet)";
    if (t != e && (t.getDefiningOp<SequenceConstructOp>() ||
                   e.getDefiningOp<SequenceConstructOp>()))
      return op->emitOpError() << "with a cond known only at run time cannot "
                                  "choose between sequences (output "
                               << i << "; not supported yet)";
    values.push_back(t == e ? t : make("Where", {cond, t, e}));
  }
  return finish(values);
}

FailureOr<SmallVector<Value>> Expander::expandLoop(LoopOp loop) {
  ValueRange inputs = loop.getInputs();
  auto present = [&](unsigned i) {
    return inputs.size() > i && !llvm::isa<NoneType>(inputs[i].getType());
  };
  Region &body = loop.getBody();
  unsigned carried = inputs.size() > 2 ? inputs.size() - 2 : 0;
  unsigned results = loop->getNumResults();
  if (results < carried)
    return op->emitOpError("has fewer outputs than loop-carried values");
  unsigned scans = results - carried;
  for (unsigned i = 0; i < 2; ++i)
    if (present(i)) {
      auto type = llvm::dyn_cast<RankedTensorType>(inputs[i].getType());
      if (!type || !type.hasStaticShape() || type.getNumElements() != 1)
        return op->emitOpError()
               << (i ? "cond" : "M") << " must hold one value";
    }
  std::optional<int64_t> tripCount;
  if (present(0))
    if (auto m = getConstantInts(inputs[0]))
      tripCount = (*m)[0];
  // The step count: M when constant, else the declared length of a used
  // scan output (whose Compress checks it at run time).
  std::optional<int64_t> declaredSteps;
  for (unsigned j = 0; j < scans; ++j) {
    Value result = loop->getResult(carried + j);
    auto type = llvm::dyn_cast<RankedTensorType>(result.getType());
    if (result.use_empty() || !type || !type.hasStaticShape() ||
        type.getRank() == 0)
      continue;
    if (declaredSteps && *declaredSteps != type.getDimSize(0))
      return op->emitOpError("declares scan outputs of different lengths");
    declaredSteps = type.getDimSize(0);
  }
  if (!tripCount && !declaredSteps)
    return op->emitOpError(
        "needs a constant trip count M, or the declared length of a scan "
        "output it returns (loops whose trip count is known only at run "
        "time are not supported yet)");
  if (tripCount && declaredSteps && *declaredSteps > *tripCount)
    return op->emitOpError() << "declares " << *declaredSteps
                             << " steps of scan output for M = " << *tripCount;
  int64_t steps =
      declaredSteps ? *declaredSteps : std::max<int64_t>(*tripCount, 0);
  if (failed(checkUnrollSize(body, steps)))
    return failure();
  if (steps == 0 && scans > 0)
    return op->emitOpError("has scan outputs without steps (tensors without "
                           "elements are not supported yet)");

  // running(i): step i runs: i < M, and cond held before it.
  Value m = present(0) ? toScalar(inputs[0]) : Value();
  Value running = present(1) ? toScalar(inputs[1]) : scalarBool(true);
  auto belowM = [&](int64_t i) {
    if (tripCount)
      return scalarBool(i < *tripCount);
    return m ? make("Less", {scalarI64(i), m}) : scalarBool(true);
  };
  running = both(running, belowM(0));
  SmallVector<Value> state(inputs.begin() + std::min<size_t>(2, inputs.size()),
                           inputs.end());
  SmallVector<Value> flags{running};
  SmallVector<SmallVector<Value>> stepOutputs(scans);
  for (int64_t i = 0; i < steps && ok; ++i) {
    SmallVector<Value> args{scalarI64(i), running};
    args.append(state);
    FailureOr<SmallVector<Value>> values = inlineBody(body, args);
    if (failed(values))
      return failure();
    if (values->size() != 1 + carried + scans)
      return op->emitOpError() << "body gives " << values->size()
                               << " outputs, not " << 1 + carried + scans;
    bool always = isConstant(running, true);
    for (unsigned k = 0; k < carried; ++k) {
      Value next = (*values)[1 + k];
      if (next.getType() != state[k].getType())
        return op->emitOpError()
               << "loop-carried value " << k << " changes from "
               << state[k].getType() << " to " << next.getType()
               << " (not supported yet)";
      state[k] = always ? next : make("Where", {running, next, state[k]});
    }
    for (unsigned j = 0; j < scans; ++j)
      stepOutputs[j].push_back((*values)[1 + carried + j]);
    // The body's cond counts only when the Loop has a cond input (else
    // ONNX ignores it: a for loop, or an endless one).
    Value cond = present(1) ? toScalar((*values)[0]) : scalarBool(true);
    running = both(both(running, cond), belowM(i + 1));
    flags.push_back(running);
  }

  SmallVector<Value> out(state);
  // Scan outputs: all steps when the loop provably runs `steps` times
  // (each of them runs, and no later one), else the steps that ran, by a
  // Compress that checks their count against the declared length.
  bool exact = llvm::all_of(ArrayRef(flags).drop_back(),
                            [](Value f) { return isConstant(f, true); }) &&
               isConstant(flags.back(), false);
  if (scans && !exact && !declaredSteps)
    return op->emitOpError("may stop early, so its scan outputs need a "
                           "declared length");
  for (unsigned j = 0; j < scans; ++j) {
    if (exact) {
      out.push_back(stack(stepOutputs[j], 0));
      continue;
    }
    SmallVector<Value> padded = stepOutputs[j];
    padded.push_back(padded.back());
    out.push_back(checkedCompress(
        stack(padded, 0), stack(flags, 0), steps,
        attr("what", b.getStringAttr("M and cond (the number of steps)"))));
  }
  return finish(out);
}

LogicalResult Expander::scanSteps(ScanOp scan, SmallVector<Value> &states,
                                  ArrayRef<Value> inputs,
                                  ArrayRef<int64_t> axes,
                                  ArrayRef<int64_t> directions,
                                  SmallVector<SmallVector<Value>> &outputs) {
  int64_t steps = -1;
  for (auto [x, axis] : llvm::zip(inputs, axes)) {
    int64_t n = llvm::cast<RankedTensorType>(x.getType()).getDimSize(axis);
    if (steps >= 0 && n != steps)
      return op->emitOpError()
             << "has scan inputs of " << steps << " and " << n << " steps";
    steps = n;
  }
  if (steps <= 0)
    return op->emitOpError("has no steps (tensors without elements are not "
                           "supported yet)");
  if (failed(checkUnrollSize(scan.getBody(), steps)))
    return failure();
  for (int64_t t = 0; t < steps && ok; ++t) {
    SmallVector<Value> args(states);
    for (auto [x, axis, reverse] : llvm::zip(inputs, axes, directions))
      args.push_back(entry(x, axis, reverse ? steps - 1 - t : t));
    FailureOr<SmallVector<Value>> values = inlineBody(scan.getBody(), args);
    if (failed(values))
      return failure();
    if (values->size() < states.size())
      return op->emitOpError("body gives fewer outputs than states");
    for (size_t k = 0; k < states.size(); ++k) {
      if ((*values)[k].getType() != states[k].getType())
        return op->emitOpError()
               << "state " << k << " changes from " << states[k].getType()
               << " to " << (*values)[k].getType() << " (not supported yet)";
      states[k] = (*values)[k];
    }
    outputs.resize(values->size() - states.size());
    for (auto [j, v] :
         llvm::enumerate(ArrayRef(*values).drop_front(states.size())))
      outputs[j].push_back(v);
  }
  return success(ok);
}

FailureOr<SmallVector<Value>> Expander::expandScan(ScanOp scan) {
  SmallVector<Value> inputs(scan.getInputs());
  bool batched = scan.getBatched();
  if (batched) {
    // Opset 8: sequence_lens first (only whole sequences here).
    if (inputs.empty())
      return op->emitOpError("has no inputs");
    if (!llvm::isa<NoneType>(inputs.front().getType()))
      return op->emitOpError("with sequence_lens is not supported yet");
    inputs.erase(inputs.begin());
  }
  for (Value v : inputs) {
    auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape())
      return op->emitOpError("needs inputs of static shapes");
  }
  int64_t numScans = scan.getNumScanInputs();
  if (numScans < 1 || numScans > int64_t(inputs.size()))
    return op->emitOpError() << "has num_scan_inputs " << numScans << " for "
                             << inputs.size() << " inputs";
  unsigned numStates = inputs.size() - numScans;
  unsigned numOutputs = scan->getNumResults() - numStates;
  SmallVector<int64_t> inAxes, inDirs, outAxes, outDirs;
  if (batched) {
    inAxes.assign(numScans, 0); // axis 1 of the batched input
    inDirs = getI64s(scan.getDirections(), numScans, 0);
    outAxes.assign(numOutputs, 0);
    outDirs.assign(numOutputs, 0);
  } else {
    inAxes = getI64s(scan.getScanInputAxes(), numScans, 0);
    inDirs = getI64s(scan.getScanInputDirections(), numScans, 0);
    outAxes = getI64s(scan.getScanOutputAxes(), numOutputs, 0);
    outDirs = getI64s(scan.getScanOutputDirections(), numOutputs, 0);
  }
  if (int64_t(inAxes.size()) != numScans ||
      int64_t(inDirs.size()) != numScans || outAxes.size() != numOutputs ||
      outDirs.size() != numOutputs)
    return op->emitOpError("has axis or direction lists of the wrong length");
  for (int64_t k = 0; k < numScans; ++k) {
    int64_t rank = llvm::cast<RankedTensorType>(inputs[numStates + k].getType())
                       .getRank() -
                   (batched ? 1 : 0);
    if (inAxes[k] < -rank || inAxes[k] >= rank)
      return op->emitOpError()
             << "has scan input axis " << inAxes[k] << " out of range";
    if (inAxes[k] < 0)
      inAxes[k] += rank;
  }

  // One pass over the sequences; opset 8 runs it per batch entry and
  // stacks the results.
  auto run = [&](SmallVector<Value> states, ArrayRef<Value> scanInputs,
                 SmallVector<Value> &results) -> LogicalResult {
    SmallVector<SmallVector<Value>> outputs;
    if (failed(scanSteps(scan, states, scanInputs, inAxes, inDirs, outputs)))
      return failure();
    if (outputs.size() != numOutputs)
      return op->emitOpError() << "body gives " << outputs.size()
                               << " scan outputs, not " << numOutputs;
    results = states;
    for (auto [j, parts] : llvm::enumerate(outputs)) {
      if (outDirs[j])
        std::reverse(parts.begin(), parts.end());
      int64_t rank =
          llvm::cast<RankedTensorType>(parts[0].getType()).getRank() + 1;
      int64_t axis = outAxes[j] < 0 ? outAxes[j] + rank : outAxes[j];
      if (axis < 0 || axis >= rank)
        return op->emitOpError()
               << "has scan output axis " << outAxes[j] << " out of range";
      results.push_back(stack(parts, axis));
    }
    return success(ok);
  };
  ArrayRef<Value> all(inputs);
  SmallVector<Value> results;
  if (!batched) {
    if (failed(run(SmallVector<Value>(all.take_front(numStates)),
                   all.drop_front(numStates), results)))
      return failure();
    return finish(results);
  }
  int64_t batch =
      llvm::cast<RankedTensorType>(inputs[0].getType()).getDimSize(0);
  SmallVector<SmallVector<Value>> perBatch;
  for (int64_t n = 0; n < batch; ++n) {
    SmallVector<Value> entries;
    for (Value v : inputs)
      entries.push_back(entry(v, 0, n));
    ArrayRef<Value> e(entries);
    if (failed(run(SmallVector<Value>(e.take_front(numStates)),
                   e.drop_front(numStates), perBatch.emplace_back())))
      return failure();
  }
  for (unsigned r = 0; r < perBatch[0].size(); ++r) {
    SmallVector<Value> parts;
    for (auto &values : perBatch)
      parts.push_back(values[r]);
    results.push_back(stack(parts, 0));
  }
  return finish(results);
}

FailureOr<SmallVector<Value>> Expander::elementsOf(Value sequence) {
  if (auto construct = sequence.getDefiningOp<SequenceConstructOp>())
    return SmallVector<Value>(construct.getInputs());
  return op->emitOpError("needs a sequence the model builds (sequence graph "
                         "inputs and sequences out of If, Loop or Scan are "
                         "not supported yet)");
}

std::optional<int64_t> Expander::constantPosition(Value position, int64_t count,
                                                  bool end, bool &bad) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(position);
  if (!values || values->size() != 1)
    return std::nullopt;
  int64_t p = (*values)[0];
  if (p < 0)
    p += count;
  bad = p < 0 || p > count || (p == count && !end);
  return p;
}

Value Expander::runtimePosition(Value position, int64_t count) {
  Value p = toScalar(position);
  if (!llvm::cast<ShapedType>(p.getType()).getElementType().isInteger(64))
    p = make("Cast", {p}, {attr("to", i64(7))});
  Value negative = make("Less", {p, scalarI64(0)});
  return make("Where", {negative, make("Add", {p, scalarI64(count)}), p});
}

Value Expander::checkedCompress(Value stacked, Value cond, int64_t rows,
                                NamedAttribute detail) {
  auto type = llvm::cast<RankedTensorType>(stacked.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[0] = rows;
  OperationState state(op->getLoc(), CompressOp::getOperationName());
  state.addOperands({stacked, cond});
  state.addTypes(RankedTensorType::get(shape, type.getElementType()));
  state.addAttribute("axis", i64(0));
  state.addAttribute(
      "onnx.checks",
      b.getDictionaryAttr(
          {attr("op", b.getStringAttr(op->getName().stripDialect())), detail}));
  FailureOr<SmallVector<Value>> values = infer(b.create(state));
  if (failed(values)) {
    ok = false;
    return stacked;
  }
  return (*values)[0];
}

Value Expander::guarded(Value value, Value valid, StringRef message) {
  Value one =
      make("Unsqueeze", {valid}, {attr("axes", b.getI64ArrayAttr({0}))});
  Value rows = stack({value}, 0);
  return entry(
      checkedCompress(rows, one, 1, attr("message", b.getStringAttr(message))),
      0, 0);
}

FailureOr<SmallVector<Value>> Expander::expandSequence() {
  auto sameTypes = [&](ArrayRef<Value> values) -> LogicalResult {
    for (Value v : values)
      if (v.getType() != values.front().getType() ||
          !llvm::cast<RankedTensorType>(v.getType()).hasStaticShape())
        return op->emitOpError(
            "with a position read at run time needs tensors of one static "
            "type (tensors of different shapes are not supported yet)");
    return success();
  };
  auto outOfRange = [&](int64_t count) {
    return op->emitOpError()
           << "has a position out of range for " << count << " tensors";
  };
  if (isa<SequenceEmptyOp>(op))
    return finish({sequenceOf({})});

  if (auto split = dyn_cast<SplitToSequenceOp>(op)) {
    auto type = llvm::dyn_cast<RankedTensorType>(split.getInput().getType());
    if (!type || !type.hasStaticShape())
      return op->emitOpError("needs a static input shape");
    int64_t axis = split.getAxis() < 0 ? split.getAxis() + type.getRank()
                                       : split.getAxis();
    if (axis < 0 || axis >= type.getRank())
      return op->emitOpError("has an axis out of range");
    int64_t extent = type.getDimSize(axis);
    SmallVector<int64_t> sizes;
    bool squeeze = false;
    if (!split.getSplit()) {
      sizes.assign(extent, 1);
      squeeze = split.getKeepdims() == 0;
    } else {
      std::optional<SmallVector<int64_t>> given =
          getConstantInts(split.getSplit());
      auto splitType = llvm::cast<ShapedType>(split.getSplit().getType());
      if (!given)
        return op->emitOpError("split sizes read at run time are not "
                               "supported yet");
      if (splitType.getRank() == 0) {
        int64_t chunk = (*given)[0];
        if (chunk < 1)
          return op->emitOpError("needs a positive split size");
        for (int64_t at = 0; at < extent; at += chunk)
          sizes.push_back(std::min(chunk, extent - at));
      } else {
        sizes.assign(given->begin(), given->end());
      }
    }
    int64_t total = 0;
    for (int64_t n : sizes)
      total += n;
    if (total != extent || llvm::any_of(sizes, [](int64_t n) { return n < 0; }))
      return op->emitOpError()
             << "has split sizes that do not add up to " << extent;
    SmallVector<Value> parts;
    int64_t at = 0;
    for (int64_t n : sizes) {
      Value part = make("Slice", {split.getInput()},
                        {attr("starts", b.getI64ArrayAttr({at})),
                         attr("ends", b.getI64ArrayAttr({at + n})),
                         attr("axes", b.getI64ArrayAttr({axis})),
                         attr("steps", b.getI64ArrayAttr({1}))});
      if (squeeze)
        part =
            make("Squeeze", {part}, {attr("axes", b.getI64ArrayAttr({axis}))});
      parts.push_back(part);
      at += n;
    }
    return finish({sequenceOf(parts)});
  }

  FailureOr<SmallVector<Value>> elements = elementsOf(op->getOperand(0));
  if (failed(elements))
    return failure();
  SmallVector<Value> items = *elements;
  int64_t n = items.size();

  if (isa<SequenceLengthOp>(op))
    return finish({scalarI64(n)});

  if (auto concat = dyn_cast<ConcatFromSequenceOp>(op)) {
    if (items.empty())
      return op->emitOpError("cannot join an empty sequence");
    if (concat.getNewAxis() != 0)
      return finish({stack(items, concat.getAxis())});
    if (items.size() == 1)
      return finish({make("Identity", {items[0]})});
    return finish(
        {make("Concat", items, {attr("axis", i64(concat.getAxis()))})});
  }

  if (auto at = dyn_cast<SequenceAtOp>(op)) {
    bool bad = false;
    if (std::optional<int64_t> p =
            constantPosition(at.getPosition(), n, false, bad)) {
      if (bad)
        return outOfRange(n);
      return finish({make("Identity", {items[*p]})});
    }
    if (n == 0)
      return outOfRange(0);
    if (failed(sameTypes(items)))
      return failure();
    // The one row whose index is the position; the Compress fails at run
    // time when none is.
    Value p = runtimePosition(at.getPosition(), n);
    SmallVector<int64_t> indices;
    for (int64_t k = 0; k < n; ++k)
      indices.push_back(k);
    auto indexType = RankedTensorType::get({n}, b.getI64Type());
    Value all = b.create<ConstantOp>(
        op->getLoc(), indexType,
        DenseElementsAttr::get(indexType, ArrayRef<int64_t>(indices)));
    Value picked = checkedCompress(
        stack(items, 0), make("Equal", {all, p}), 1,
        attr("message", b.getStringAttr(rangeMessage(n, false))));
    return finish({entry(picked, 0, 0)});
  }

  if (auto insert = dyn_cast<SequenceInsertOp>(op)) {
    Value t = insert.getTensor();
    if (!insert.getPosition()) {
      items.push_back(t);
      return finish({sequenceOf(items)});
    }
    bool bad = false;
    if (std::optional<int64_t> p =
            constantPosition(insert.getPosition(), n, true, bad)) {
      if (bad)
        return outOfRange(n);
      items.insert(items.begin() + *p, t);
      return finish({sequenceOf(items)});
    }
    SmallVector<Value> all(items);
    all.push_back(t);
    if (failed(sameTypes(all)))
      return failure();
    // Element k is items[k] before the position, t at it, items[k-1] after.
    Value p = runtimePosition(insert.getPosition(), n);
    SmallVector<Value> out;
    for (int64_t k = 0; k <= n; ++k) {
      Value k64 = scalarI64(k);
      Value here =
          k == 0 ? t
                 : make("Where", {make("Equal", {p, k64}), t, items[k - 1]});
      out.push_back(
          k == n ? here
                 : make("Where", {make("Less", {k64, p}), items[k], here}));
    }
    Value valid = make("And", {make("GreaterOrEqual", {p, scalarI64(0)}),
                               make("LessOrEqual", {p, scalarI64(n)})});
    out[0] = guarded(out[0], valid, rangeMessage(n, true));
    return finish({sequenceOf(out)});
  }

  auto erase = cast<SequenceEraseOp>(op);
  if (n == 0)
    return outOfRange(0);
  if (!erase.getPosition()) {
    items.pop_back();
    return finish({sequenceOf(items)});
  }
  bool bad = false;
  if (std::optional<int64_t> p =
          constantPosition(erase.getPosition(), n, false, bad)) {
    if (bad)
      return outOfRange(n);
    items.erase(items.begin() + *p);
    return finish({sequenceOf(items)});
  }
  if (failed(sameTypes(items)))
    return failure();
  // Element k is items[k] before the position, items[k+1] from it on.
  Value p = runtimePosition(erase.getPosition(), n);
  SmallVector<Value> out;
  for (int64_t k = 0; k + 1 < n; ++k)
    out.push_back(make(
        "Where", {make("Less", {scalarI64(k), p}), items[k], items[k + 1]}));
  if (out.empty()) // nothing remains to carry the check
    return op->emitOpError("erasing at a position read at run time from a "
                           "one-tensor sequence is not supported yet");
  Value valid = make("And", {make("GreaterOrEqual", {p, scalarI64(0)}),
                             make("Less", {p, scalarI64(n)})});
  out[0] = guarded(out[0], valid, rangeMessage(n, false));
  return finish({sequenceOf(out)});
}

FailureOr<SmallVector<Value>> Expander::expandSequenceMap(SequenceMapOp map) {
  // Each input's tensors when it is a sequence; a tensor stays as it is.
  SmallVector<std::optional<SmallVector<Value>>> lists;
  int64_t count = -1;
  for (auto [i, input] : llvm::enumerate(map.getInputs())) {
    if (i > 0 && !input.getDefiningOp<SequenceConstructOp>()) {
      lists.push_back(std::nullopt);
      continue;
    }
    FailureOr<SmallVector<Value>> elements = elementsOf(input);
    if (failed(elements))
      return failure();
    int64_t n = elements->size();
    if (count >= 0 && n != count)
      return op->emitOpError() << "takes sequences of " << count << " and " << n
                               << " tensors (they must be as long)";
    count = n;
    lists.push_back(std::move(*elements));
  }
  if (failed(checkUnrollSize(map.getBody(), count)))
    return failure();
  SmallVector<SmallVector<Value>> outputs(map.getNumResults());
  for (int64_t k = 0; k < count; ++k) {
    SmallVector<Value> args;
    for (auto [list, input] : llvm::zip(lists, map.getInputs()))
      args.push_back(list ? (*list)[k] : input);
    FailureOr<SmallVector<Value>> values = inlineBody(map.getBody(), args);
    if (failed(values))
      return failure();
    if (values->size() != outputs.size())
      return op->emitOpError()
             << "has " << outputs.size() << " outputs but its body gives "
             << values->size();
    for (auto [output, value] : llvm::zip(outputs, *values))
      output.push_back(value);
  }
  SmallVector<Value> results;
  for (auto [result, elements] : llvm::zip(map.getResults(), outputs))
    results.push_back(b.create<SequenceConstructOp>(
        op->getLoc(), result.getType(), elements));
  return finish(results);
}

FailureOr<SmallVector<Value>> Expander::expand() {
  if (isSequenceOp(op))
    return expandSequence();
  if (auto ifOp = dyn_cast<IfOp>(op))
    return expandIf(ifOp);
  if (auto loop = dyn_cast<LoopOp>(op))
    return expandLoop(loop);
  if (auto map = dyn_cast<SequenceMapOp>(op))
    return expandSequenceMap(map);
  return expandScan(cast<ScanOp>(op));
}

} // namespace

bool isSequenceOp(Operation *op) {
  return isa<SequenceEmptyOp, SequenceInsertOp, SequenceEraseOp, SequenceAtOp,
             SequenceLengthOp, ConcatFromSequenceOp, SplitToSequenceOp>(op);
}

FailureOr<SmallVector<Value>> expandControlFlow(Operation *op,
                                                InferOpFn infer) {
  return Expander(op, infer).expand();
}

} // namespace onnxc::onnx
