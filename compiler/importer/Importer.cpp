// ONNX ModelProto -> onnx dialect. Initializers become onnx.Constant ops
// (large ones as dense_resource blobs), node names become locations, and
// every problem is reported as one line naming the file, node and op.
#include "compiler/importer/Importer.h"

#include "dialects/onnx/IR/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>

#include <set>

using namespace mlir;

namespace onnxc {
namespace {

const std::set<std::string> &supportedOps() {
  static const std::set<std::string> ops = {
      "Add",      "Constant", "Conv",    "Flatten", "Gemm", "GlobalAveragePool",
      "Identity", "MatMul",   "MaxPool", "Mul",     "Relu", "Reshape",
      "Softmax"};
  return ops;
}

/// Thrown inside the importer, caught at its boundary: one message, no
/// partial module.
struct ImportError {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw ImportError{std::move(message)};
}

std::string nodeLabel(const ::onnx::NodeProto &node) {
  std::string name = node.name().empty()
                         ? (node.output_size() ? node.output(0) : "")
                         : node.name();
  return fmt::format("node '{}' ({})", name, node.op_type());
}

class Importer {
public:
  Importer(MLIRContext &ctx, std::string source, std::string &diagnostic)
      : ctx(ctx), b(&ctx), source(std::move(source)), diagnostic(diagnostic) {}

  OwningOpRef<ModuleOp> import(const ::onnx::ModelProto &model);

private:
  Type elementType(int32_t dtype, const std::string &what);
  ElementsAttr tensorAttr(const ::onnx::TensorProto &t,
                          const std::string &what);
  Type valueInfoType(const ::onnx::ValueInfoProto &info, bool requireStatic);
  NamedAttrList nodeAttributes(const ::onnx::NodeProto &node);
  Value lookup(const std::string &name, const ::onnx::NodeProto &node);
  void importNode(const ::onnx::NodeProto &node);
  Location locFor(const std::string &name) {
    return NameLoc::get(b.getStringAttr(name),
                        FileLineColLoc::get(&ctx, source, 0, 0));
  }

  MLIRContext &ctx;
  OpBuilder b;
  std::string source;
  std::string
      &diagnostic; // the last MLIR error, filled by the caller's handler
  int64_t opset = 0;
  std::map<std::string, Value> values;
  std::map<std::string, Type> declaredTypes; // from graph value_info
  std::set<std::string> usedLater;           // names some node or output reads
};

Type Importer::elementType(int32_t dtype, const std::string &what) {
  using TP = ::onnx::TensorProto;
  switch (dtype) {
  case TP::FLOAT:
    return b.getF32Type();
  case TP::DOUBLE:
    return b.getF64Type();
  case TP::FLOAT16:
    return b.getF16Type();
  case TP::BFLOAT16:
    return b.getBF16Type();
  case TP::INT8:
    return b.getIntegerType(8);
  case TP::INT16:
    return b.getIntegerType(16);
  case TP::INT32:
    return b.getI32Type();
  case TP::INT64:
    return b.getI64Type();
  case TP::UINT8:
    return b.getIntegerType(8, false);
  case TP::UINT16:
    return b.getIntegerType(16, false);
  case TP::UINT32:
    return b.getIntegerType(32, false);
  case TP::UINT64:
    return b.getIntegerType(64, false);
  case TP::BOOL:
    return b.getI1Type();
  default:
    fail(fmt::format(
        "{} has element type {} ({}), which is not supported", what, dtype,
        TP::DataType_IsValid(dtype) ? TP::DataType_Name(TP::DataType(dtype))
                                    : "unknown"));
  }
}

ElementsAttr Importer::tensorAttr(const ::onnx::TensorProto &t,
                                  const std::string &what) {
  using TP = ::onnx::TensorProto;
  if (t.data_location() == TP::EXTERNAL)
    fail(fmt::format("{} keeps its data in an external file, which is not "
                     "supported yet",
                     what));
  if (t.has_segment())
    fail(fmt::format("{} is segmented, which is not supported", what));
  Type elt = elementType(t.data_type(), what);
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 40) / d))
      fail(fmt::format("{} has an invalid dim {}", what, d));
    shape.push_back(d);
    count *= d;
  }
  auto type = RankedTensorType::get(shape, elt);
  size_t eltBytes = elt.isInteger(1) ? 1 : (elt.getIntOrFloatBitWidth() / 8);
  size_t bytes = count * eltBytes;

  // Gather the little-endian element bytes from raw_data or a typed field.
  std::vector<char> data(bytes);
  auto fromTyped = [&](auto field, auto convert, const char *fieldName) {
    if (static_cast<int64_t>(field.size()) != count)
      fail(fmt::format("{} has {} values in {} for {} elements", what,
                       field.size(), fieldName, count));
    for (int64_t i = 0; i < count; ++i)
      convert(field.Get(i), data.data() + i * eltBytes);
  };
  if (t.has_raw_data()) {
    if (t.raw_data().size() != bytes)
      fail(fmt::format("{} has {} bytes of raw_data, expected {}", what,
                       t.raw_data().size(), bytes));
    memcpy(data.data(), t.raw_data().data(), bytes);
  } else {
    auto store = [eltBytes](auto v, char *dst) {
      // Narrowing to the element width; ONNX packs small ints in int32_data.
      uint64_t bits = 0;
      memcpy(&bits, &v, sizeof(v));
      memcpy(dst, &bits, eltBytes);
    };
    switch (t.data_type()) {
    case TP::FLOAT:
      fromTyped(
          t.float_data(), [](float v, char *d) { memcpy(d, &v, 4); },
          "float_data");
      break;
    case TP::DOUBLE:
      fromTyped(
          t.double_data(), [](double v, char *d) { memcpy(d, &v, 8); },
          "double_data");
      break;
    case TP::INT64:
      fromTyped(
          t.int64_data(), [](int64_t v, char *d) { memcpy(d, &v, 8); },
          "int64_data");
      break;
    case TP::UINT32:
    case TP::UINT64:
      fromTyped(t.uint64_data(), store, "uint64_data");
      break;
    default:
      fromTyped(t.int32_data(), store, "int32_data");
      break;
    }
  }

  // Small tensors stay readable in the IR; weights go to resource blobs so
  // the data is not uniqued and hashed in the context.
  if (count <= 16 || elt.isInteger(1)) {
    bool splat = false;
    if (elt.isInteger(1)) {
      SmallVector<bool> bits;
      for (char c : data)
        bits.push_back(c != 0);
      return DenseElementsAttr::get(type, ArrayRef<bool>(bits));
    }
    if (!DenseElementsAttr::isValidRawBuffer(type, ArrayRef<char>(data), splat))
      fail(fmt::format("{}: invalid constant data", what));
    return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(data));
  }
  std::string blobName;
  for (char c : t.name().empty() ? std::string("tensor") : t.name())
    blobName += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return DenseResourceElementsAttr::get(
      type, blobName,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(data),
                                                    alignof(uint64_t)));
}

Type Importer::valueInfoType(const ::onnx::ValueInfoProto &info,
                             bool requireStatic) {
  std::string what = fmt::format("'{}'", info.name());
  if (!info.type().has_tensor_type()) {
    if (requireStatic)
      fail(fmt::format("input {} is not a tensor", what));
    return UnrankedTensorType::get(b.getF32Type());
  }
  const auto &tt = info.type().tensor_type();
  Type elt = elementType(tt.elem_type(), "input " + what);
  if (!tt.has_shape()) {
    if (requireStatic)
      fail(fmt::format("input {} has no shape; dynamic shapes are not "
                       "supported yet",
                       what));
    return UnrankedTensorType::get(elt);
  }
  SmallVector<int64_t> shape;
  for (const auto &dim : tt.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() >= 0) {
      shape.push_back(dim.dim_value());
      continue;
    }
    if (requireStatic)
      fail(fmt::format("input {} has the dynamic dim '{}'; dynamic shapes are "
                       "not supported yet",
                       what, dim.has_dim_param() ? dim.dim_param() : "?"));
    return UnrankedTensorType::get(elt);
  }
  return RankedTensorType::get(shape, elt);
}

Value Importer::lookup(const std::string &name, const ::onnx::NodeProto &node) {
  auto it = values.find(name);
  if (it == values.end())
    fail(fmt::format("{} reads '{}', which no earlier node, graph input or "
                     "initializer defines",
                     nodeLabel(node), name));
  return it->second;
}

NamedAttrList Importer::nodeAttributes(const ::onnx::NodeProto &node) {
  using AP = ::onnx::AttributeProto;
  NamedAttrList attrs;
  for (const AP &a : node.attribute()) {
    Attribute value;
    switch (a.type()) {
    case AP::INT:
      value = b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), a.i());
      break;
    case AP::FLOAT:
      value = b.getF32FloatAttr(a.f());
      break;
    case AP::STRING:
      value = b.getStringAttr(a.s());
      break;
    case AP::INTS:
      value = b.getI64ArrayAttr(
          SmallVector<int64_t>(a.ints().begin(), a.ints().end()));
      break;
    case AP::FLOATS:
      value = b.getF32ArrayAttr(
          SmallVector<float>(a.floats().begin(), a.floats().end()));
      break;
    case AP::TENSOR:
      value = tensorAttr(
          a.t(), fmt::format("{} attribute '{}'", nodeLabel(node), a.name()));
      break;
    default:
      fail(fmt::format("{} has attribute '{}' of a kind ({}) that is not "
                       "supported",
                       nodeLabel(node), a.name(),
                       AP::AttributeType_Name(a.type())));
    }
    attrs.set(a.name(), value);
  }
  return attrs;
}

void Importer::importNode(const ::onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  Location loc = locFor(
      node.name().empty() && node.output_size() ? node.output(0) : node.name());
  NamedAttrList attrs = nodeAttributes(node);

  if (op == "Constant") {
    // Every Constant form becomes one `value` elements attribute.
    ElementsAttr value;
    if (auto v = attrs.get("value"))
      value = llvm::cast<ElementsAttr>(v);
    else if (auto f = attrs.get("value_float"))
      value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                     llvm::cast<FloatAttr>(f).getValue());
    else if (auto i = attrs.get("value_int"))
      value = DenseElementsAttr::get(
          RankedTensorType::get({}, b.getI64Type()),
          APInt(64, llvm::cast<IntegerAttr>(i).getInt()));
    else if (auto is = attrs.get("value_ints")) {
      SmallVector<int64_t> v;
      for (Attribute e : llvm::cast<ArrayAttr>(is))
        v.push_back(llvm::cast<IntegerAttr>(e).getInt());
      value = DenseElementsAttr::get(
          RankedTensorType::get({int64_t(v.size())}, b.getI64Type()),
          ArrayRef<int64_t>(v));
    } else if (auto fs = attrs.get("value_floats")) {
      SmallVector<float> v;
      for (Attribute e : llvm::cast<ArrayAttr>(fs))
        v.push_back(llvm::cast<FloatAttr>(e).getValueAsDouble());
      value = DenseElementsAttr::get(
          RankedTensorType::get({int64_t(v.size())}, b.getF32Type()),
          ArrayRef<float>(v));
    } else {
      fail(fmt::format("{} has no supported value attribute (sparse and "
                       "string constants are not supported yet)",
                       nodeLabel(node)));
    }
    auto c = b.create<onnx::ConstantOp>(loc, value.getType(), value);
    values[node.output(0)] = c.getResult();
    return;
  }

  if (op == "Softmax" && opset < 13) {
    // Opsets 1-12: axis defaults to 1 and the input is coerced to 2-D.
    if (!attrs.get("axis"))
      attrs.set("axis", b.getIntegerAttr(b.getIntegerType(64, true), 1));
    attrs.set("coerce_2d", b.getUnitAttr());
  }

  OperationState state(loc, "onnx." + op);
  // ONNX knows no attribute beyond an op's own; a misspelt or foreign one is
  // an error, and one of the wrong kind must not reach the op's accessors.
  std::optional<RegisteredOperationName> info = state.name.getRegisteredInfo();
  for (const NamedAttribute &attr : attrs)
    if (!llvm::is_contained(info->getAttributeNames(), attr.getName()))
      fail(fmt::format("{} has unknown attribute '{}'", nodeLabel(node),
                       attr.getName().str()));
  diagnostic.clear();
  if (failed(info->verifyInherentAttrs(attrs,
                                       [&]() { return mlir::emitError(loc); })))
    fail(fmt::format("{}: {}", nodeLabel(node), diagnostic));
  for (const std::string &input : node.input())
    if (!input.empty())
      state.addOperands(lookup(input, node));
  if (op == "MaxPool" && node.output_size() > 1 && !node.output(1).empty() &&
      usedLater.count(node.output(1)))
    fail(fmt::format("{}: the Indices output is not supported yet",
                     nodeLabel(node)));
  if (node.output_size() < 1)
    fail(fmt::format("{} has no output", nodeLabel(node)));
  const std::string &out = node.output(0);
  auto declared = declaredTypes.find(out);
  state.addTypes(declared != declaredTypes.end()
                     ? declared->second
                     : UnrankedTensorType::get(b.getF32Type()));
  state.addAttributes(attrs);
  Operation *created = b.create(state);
  if (values.count(out))
    fail(fmt::format("{} redefines '{}'", nodeLabel(node), out));
  values[out] = created->getResult(0);
}

OwningOpRef<ModuleOp> Importer::import(const ::onnx::ModelProto &model) {
  if (!model.has_graph())
    fail("not an ONNX model (no graph)");
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset == 0)
    fail("the model imports no opset of the default ONNX domain");
  const ::onnx::GraphProto &graph = model.graph();

  // Every unsupported op at once, before anything else is reported.
  std::vector<std::string> unsupported;
  for (const auto &node : graph.node()) {
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (!defaultDomain || !supportedOps().count(node.op_type()))
      unsupported.push_back(defaultDomain
                                ? nodeLabel(node)
                                : fmt::format("{} in domain '{}'",
                                              nodeLabel(node), node.domain()));
  }
  if (!unsupported.empty())
    fail(fmt::format("{} unsupported op{}: {}", unsupported.size(),
                     unsupported.size() == 1 ? "" : "s",
                     fmt::join(unsupported, ", ")));

  for (const auto &node : graph.node())
    for (const auto &in : node.input())
      usedLater.insert(in);
  for (const auto &out : graph.output())
    usedLater.insert(out.name());
  for (const auto &info : graph.value_info())
    declaredTypes[info.name()] = valueInfoType(info, /*requireStatic=*/false);

  Location fileLoc = FileLineColLoc::get(&ctx, source, 0, 0);
  auto module = ModuleOp::create(fileLoc);
  module->setAttr("onnx.opset", b.getI64IntegerAttr(opset));
  if (!model.producer_name().empty())
    module->setAttr("onnx.producer", b.getStringAttr(model.producer_name()));
  OwningOpRef<ModuleOp> owned(module);

  std::set<std::string> initializerNames;
  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &input : graph.input()) {
    if (initializerNames.count(input.name()))
      continue; // a default-valued input: treated as the constant
    argTypes.push_back(valueInfoType(input, /*requireStatic=*/true));
    argNames.push_back(input.name());
  }
  for (const auto &output : graph.output())
    declaredTypes[output.name()] =
        valueInfoType(output, /*requireStatic=*/false);

  // Result types are set from the returned values below; shape inference
  // checks them against what the outputs declare.
  b.setInsertionPointToEnd(module.getBody());
  auto func =
      b.create<func::FuncOp>(fileLoc, "main", b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, "onnx.name", b.getStringAttr(name));
    if (values.count(name))
      fail(fmt::format("graph input '{}' is declared twice", name));
    values[name] = entry->getArgument(i);
  }
  for (const auto &init : graph.initializer()) {
    if (values.count(init.name()))
      fail(fmt::format("initializer '{}' is declared twice", init.name()));
    ElementsAttr value =
        tensorAttr(init, fmt::format("initializer '{}'", init.name()));
    values[init.name()] =
        b.create<onnx::ConstantOp>(locFor(init.name()), value.getType(), value)
            .getResult();
  }
  for (const auto &node : graph.node())
    importNode(node);

  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end())
      fail(fmt::format("graph output '{}' is not produced by any node",
                       output.name()));
    results.push_back(it->second);
  }
  b.create<func::ReturnOp>(fileLoc, results);
  func.setType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "onnx.name", b.getStringAttr(output.name()));
  return owned;
}

} // namespace

OwningOpRef<ModuleOp> importModelBytes(llvm::StringRef bytes, bool isText,
                                       const std::string &source,
                                       MLIRContext &context,
                                       std::string &error) {
  context.loadDialect<onnx::OnnxDialect, func::FuncDialect>();
  ::onnx::ModelProto model;
  if (bytes.empty()) {
    error = source + ": empty file, not an ONNX model";
    return nullptr;
  }
  if (isText) {
    std::string text = bytes.str();
    auto status = ::onnx::OnnxParser::Parse(model, text.c_str());
    if (!status.IsOK()) {
      // The parser's message spans lines; errors here are one line.
      std::string message = status.ErrorMessage();
      llvm::SmallVector<llvm::StringRef> lines;
      llvm::StringRef(message).split(lines, '\n', -1, /*KeepEmpty=*/false);
      error = source + ": cannot parse ONNX text: " +
              llvm::join(llvm::map_range(
                             lines, [](llvm::StringRef l) { return l.trim(); }),
                         "; ");
      return nullptr;
    }
  } else if (bytes.size() > INT32_MAX ||
             !model.ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size()))) {
    error = source + ": not an ONNX model (the protobuf does not parse)";
    return nullptr;
  }

  // Verifier messages (wrong attribute kinds, bad arity) as one line.
  std::string diag, diagNode;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    if (!diag.empty())
      return success(); // the first error says it
    diag = d.str();
    if (auto name = llvm::dyn_cast<NameLoc>(d.getLocation()))
      diagNode = name.getName().str();
    return success();
  });
  OwningOpRef<ModuleOp> module;
  try {
    Importer importer(context, source, diag);
    module = importer.import(model);
  } catch (const ImportError &e) {
    error = source + ": " + e.message;
    return nullptr;
  }
  diag.clear();
  diagNode.clear();
  if (failed(verify(*module))) {
    error = source + ": " +
            (diagNode.empty() ? "" : "node '" + diagNode + "': ") +
            (diag.empty() ? "invalid model" : diag);
    return nullptr;
  }
  return module;
}

OwningOpRef<ModuleOp> importModelFile(const std::string &path,
                                      MLIRContext &context,
                                      std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = path + ": cannot read: " + buffer.getError().message();
    return nullptr;
  }
  bool isText = llvm::StringRef(path).ends_with(".onnxtext");
  return importModelBytes((*buffer)->getBuffer(), isText, path, context, error);
}

} // namespace onnxc
