// ONNX ModelProto -> onnx dialect. Every node of every domain imports:
// nodes with a dedicated op become that op (If, Loop and Scan with their
// subgraphs as regions), the rest become onnx.Custom (with their subgraphs
// as regions too) for later stages to reject by name.
// Model-local functions are inlined. Every problem is one line naming the
// file, the node and the op.
#include "compiler/importer/Importer.h"

#include "compiler/importer/FirstError.h"
#include "compiler/importer/ImportError.h"
#include "compiler/importer/Tensors.h"
#include "compiler/importer/Training.h"
#include "dialects/onnx/IR/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/unknown_field_set.h>
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

using namespace mlir;

namespace onnxc {
namespace {

using importer::fail;
using importer::ImportError;

// One attribute of an operator schema.
struct AttributeSpec {
  const char *name;
  int kind; // ::onnx::AttributeProto::AttributeType
  bool required;
};

// The operator table of the standard domains: name -> opset versions that
// (re)defined it, and each version's attributes.
struct OpTable {
  int newestOpset = 0;
  int newestIrVersion = 0;
  std::map<std::pair<std::string, std::string>, std::vector<int>> ops;
  std::map<std::tuple<std::string, std::string, int>,
           std::vector<AttributeSpec>>
      attributes;
};

const OpTable &opTable() {
  static const OpTable table = [] {
    OpTable t;
#define ONNX_OPSET_NEWEST(v) t.newestOpset = v;
#define ONNX_IR_NEWEST(v) t.newestIrVersion = v;
#define ONNX_OP(domain, name, ...)                                             \
  t.ops[{domain, name}] = std::vector<int> __VA_ARGS__;
#define ONNX_OP_ATTRS(domain, name, since, ...)                                \
  t.attributes[{domain, name, since}] = std::vector<AttributeSpec> __VA_ARGS__;
#include "compiler/importer/OnnxOpTable.inc"
#undef ONNX_OP_ATTRS
#undef ONNX_OP
#undef ONNX_IR_NEWEST
#undef ONNX_OPSET_NEWEST
    return t;
  }();
  return table;
}

/// The onnx-dialect op for ONNX operator `op`: its own, or the op a
/// deprecated operator was renamed to (Scatter, opsets 9-10, is
/// ScatterElements without reduction).
std::string dialectOpName(const std::string &op) {
  return op == "Scatter" ? "ScatterElements" : op;
}

/// Whether the onnx dialect has an op for ONNX operator `op` (Constant is
/// handled apart; Custom, NoValue and Yield are not ONNX operators).
bool isDedicatedOp(MLIRContext &ctx, const std::string &op) {
  if (op == "Custom" || op == "NoValue" || op == "Yield" || op == "Constant")
    return false;
  return RegisteredOperationName::lookup("onnx." + dialectOpName(op), &ctx)
      .has_value();
}

std::string canonicalDomain(const std::string &domain) {
  return domain == "ai.onnx" ? std::string() : domain;
}

std::string nodeLabel(const ::onnx::NodeProto &node) {
  std::string name = node.name().empty()
                         ? (node.output_size() ? node.output(0) : "")
                         : node.name();
  return fmt::format("node '{}' ({})", name, node.op_type());
}

class Importer {
public:
  Importer(MLIRContext &ctx, std::string source,
           std::optional<std::string> modelDir, FirstError &errors)
      : ctx(ctx), b(&ctx),
        source(std::move(source)), tensors{&ctx, std::move(modelDir)},
        errors(errors) {}

  OwningOpRef<ModuleOp> import(::onnx::ModelProto &model);

private:
  void checkModel(const ::onnx::ModelProto &model);
  Type valueInfoType(const ::onnx::ValueInfoProto &info,
                     SmallVectorImpl<StringRef> *dimParams = nullptr);
  Type placeholderType(const std::string &name, Type elementType);
  void importGraph(::onnx::GraphProto &graph, Block *block, bool isMain);
  void importNode(::onnx::NodeProto &node);
  void importCustom(::onnx::NodeProto &node, Location loc);
  bool upgradeLegacyNode(::onnx::NodeProto &node);
  bool rewriteLegacyNode(::onnx::NodeProto &node);
  void checkAttributes(const ::onnx::NodeProto &node,
                       const std::string &domain);
  void inlineFunction(const ::onnx::FunctionProto &function,
                      ::onnx::NodeProto &node);
  Attribute attributeValue(::onnx::AttributeProto &attr,
                           const ::onnx::NodeProto &node);
  Value lookup(const std::string &name, const ::onnx::NodeProto &node);
  void define(const std::string &name, Value value, const std::string &what);
  Value noValue();
  std::vector<::onnx::NodeProto *> sortedNodes(::onnx::GraphProto &graph);
  Location locFor(const std::string &name) {
    return NameLoc::get(b.getStringAttr(name),
                        FileLineColLoc::get(&ctx, source, 0, 0));
  }

  MLIRContext &ctx;
  OpBuilder b;
  std::string source;
  importer::TensorContext tensors;
  FirstError &errors; // MLIR's diagnostics while importing
  std::map<std::string, int64_t> opsets;
  int64_t defaultOpset = 0; // 0 when the model imports no default domain
  int64_t irVersion = 0;
  // Names visible in the graph being imported, innermost scope last.
  std::vector<std::unordered_map<std::string, Value>> scopes;
  // The node that produces each value, per scope (for Gradient).
  std::vector<std::unordered_map<std::string, const ::onnx::NodeProto *>>
      producers;
  std::unordered_map<std::string, Type> declaredTypes; // from value_info
  std::map<std::pair<std::string, std::string>, const ::onnx::FunctionProto *>
      functions;
  int inlineDepth = 0;
  int inlineCounter = 0;
};

void Importer::checkModel(const ::onnx::ModelProto &model) {
  const OpTable &table = opTable();
  irVersion = model.ir_version();
  if (irVersion < 3)
    fail(fmt::format("IR version {} is older than 3, the oldest onnxc reads",
                     irVersion));
  if (irVersion > table.newestIrVersion)
    fail(fmt::format("IR version {} is newer than {}, the newest onnxc reads",
                     irVersion, table.newestIrVersion));
  for (const auto &imp : model.opset_import()) {
    std::string domain = canonicalDomain(imp.domain());
    if (opsets.count(domain))
      fail(fmt::format("opset_import lists the domain '{}' twice", domain));
    opsets[domain] = imp.version();
  }
  // A model of only ai.onnx.ml (or training) ops may import no default
  // opset; a default-domain node then fails the check below.
  if (auto it = opsets.find(""); it != opsets.end()) {
    defaultOpset = it->second;
    if (defaultOpset < 1 || defaultOpset > table.newestOpset)
      fail(fmt::format("default-domain opset {} is outside 1..{}, the opsets "
                       "onnxc knows",
                       defaultOpset, table.newestOpset));
  }
  for (const auto &function : model.functions())
    functions[{canonicalDomain(function.domain()), function.name()}] =
        &function;

  // Every unknown op at once, before anything else is reported.
  std::vector<std::string> unknown;
  std::function<void(const ::onnx::GraphProto &)> scan =
      [&](const ::onnx::GraphProto &graph) {
        for (const auto &node : graph.node()) {
          for (const auto &attr : node.attribute()) {
            if (attr.has_g())
              scan(attr.g());
            for (const auto &g : attr.graphs())
              scan(g);
          }
          std::string domain = canonicalDomain(node.domain());
          if (functions.count({domain, node.op_type()}))
            continue;
          auto it = table.ops.find({domain, node.op_type()});
          bool standard = domain.empty() || domain == "ai.onnx.ml" ||
                          domain == "ai.onnx.preview.training";
          if (standard && it == table.ops.end()) {
            unknown.push_back(
                fmt::format("{} is not an ONNX operator", nodeLabel(node)));
            continue;
          }
          if (!opsets.count(domain)) {
            unknown.push_back(fmt::format(
                "{} is in domain '{}', which the model does not import",
                nodeLabel(node), domain));
            continue;
          }
          if (it != table.ops.end() && it->second.front() > opsets[domain])
            unknown.push_back(fmt::format(
                "{} does not exist in opset {} (it appeared in opset {})",
                nodeLabel(node), opsets[domain], it->second.front()));
        }
      };
  scan(model.graph());
  if (!unknown.empty())
    fail(fmt::format("{} unknown op{}: {}", unknown.size(),
                     unknown.size() == 1 ? "" : "s", fmt::join(unknown, "; ")));
}

/// The type a value_info declares: tensors with their shape (a dim_param
/// or missing dim is dynamic, its name appended to `dimParams`); other
/// types (sequences, maps, optionals) as a tensor of !onnx.unknown.
Type Importer::valueInfoType(const ::onnx::ValueInfoProto &info,
                             SmallVectorImpl<StringRef> *dimParams) {
  if (!info.type().has_tensor_type())
    return UnrankedTensorType::get(onnx::UnknownType::get(&ctx));
  const auto &tt = info.type().tensor_type();
  std::string what = fmt::format("'{}'", info.name());
  Type elt = importer::elementType(&ctx, tt.elem_type(), what);
  if (!tt.has_shape())
    return UnrankedTensorType::get(elt);
  SmallVector<int64_t> shape;
  bool named = false;
  for (const auto &dim : tt.shape().dim()) {
    if (dim.has_dim_value()) {
      if (dim.dim_value() < 0)
        fail(fmt::format("{} has the negative dim {}", what, dim.dim_value()));
      shape.push_back(dim.dim_value());
      if (dimParams)
        dimParams->push_back("");
      continue;
    }
    shape.push_back(ShapedType::kDynamic);
    if (dimParams) {
      dimParams->push_back(
          b.getStringAttr(dim.has_dim_param() ? dim.dim_param() : "")
              .getValue());
      named = true;
    }
  }
  if (dimParams && !named)
    dimParams->clear();
  return RankedTensorType::get(shape, elt);
}

/// The type of a node output before shape inference: what the model
/// declares, else unranked with `elementType` (the op's operand's, for ops
/// that keep it) or !onnx.unknown.
Type Importer::placeholderType(const std::string &name, Type elementType) {
  if (auto it = declaredTypes.find(name); it != declaredTypes.end())
    return it->second;
  return UnrankedTensorType::get(elementType ? elementType
                                             : onnx::UnknownType::get(&ctx));
}

Value Importer::lookup(const std::string &name, const ::onnx::NodeProto &node) {
  for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope)
    if (auto it = scope->find(name); it != scope->end())
      return it->second;
  fail(fmt::format("{} reads '{}', which no node, graph input or initializer "
                   "defines",
                   nodeLabel(node), name));
}

void Importer::define(const std::string &name, Value value,
                      const std::string &what) {
  if (name.empty())
    return;
  if (!scopes.back().emplace(name, value).second)
    fail(fmt::format("{} defines '{}' a second time", what, name));
}

Value Importer::noValue() {
  return b.create<onnx::NoValueOp>(b.getUnknownLoc(), b.getNoneType());
}

/// The graph's nodes in an order where every producer comes first. ONNX
/// requires models to be sorted already; a cycle is an error.
std::vector<::onnx::NodeProto *>
Importer::sortedNodes(::onnx::GraphProto &graph) {
  int n = graph.node_size();
  std::unordered_map<std::string, int> producer;
  for (int i = 0; i < n; ++i)
    for (const auto &out : graph.node(i).output())
      if (!out.empty())
        producer.emplace(out, i);
  std::vector<std::vector<int>> users(n);
  std::vector<int> pending(n, 0);
  for (int i = 0; i < n; ++i) {
    std::set<int> deps;
    std::function<void(const ::onnx::NodeProto &)> collect =
        [&](const ::onnx::NodeProto &node) {
          for (const auto &in : node.input())
            if (auto it = producer.find(in);
                it != producer.end() && it->second != i)
              deps.insert(it->second);
          // A Gradient comes after the nodes it differentiates.
          if (node.op_type() == "Gradient")
            for (const auto &attr : node.attribute())
              if (attr.name() == "y")
                if (auto it = producer.find(attr.s());
                    it != producer.end() && it->second != i)
                  deps.insert(it->second);
          // Subgraphs may read this graph's values too.
          for (const auto &attr : node.attribute()) {
            if (attr.has_g())
              for (const auto &inner : attr.g().node())
                collect(inner);
            for (const auto &g : attr.graphs())
              for (const auto &inner : g.node())
                collect(inner);
          }
        };
    collect(graph.node(i));
    for (int d : deps)
      users[d].push_back(i);
    pending[i] = deps.size();
  }
  std::vector<::onnx::NodeProto *> order;
  std::vector<int> ready;
  for (int i = n - 1; i >= 0; --i)
    if (!pending[i])
      ready.push_back(i);
  while (!ready.empty()) {
    int i = ready.back();
    ready.pop_back();
    order.push_back(graph.mutable_node(i));
    for (int u : llvm::reverse(users[i]))
      if (--pending[u] == 0)
        ready.push_back(u);
  }
  if (static_cast<int>(order.size()) != n) {
    for (int i = 0; i < n; ++i)
      if (pending[i])
        fail(fmt::format("the graph has a cycle through {}",
                         nodeLabel(graph.node(i))));
  }
  return order;
}

Attribute Importer::attributeValue(::onnx::AttributeProto &a,
                                   const ::onnx::NodeProto &node) {
  using AP = ::onnx::AttributeProto;
  std::string what =
      fmt::format("{} attribute '{}'", nodeLabel(node), a.name());
  auto listOf = [&](auto &items, auto convert) -> Attribute {
    SmallVector<Attribute> list;
    for (auto &item : items)
      list.push_back(convert(item));
    return b.getArrayAttr(list);
  };
  auto typeOf = [&](::onnx::TypeProto &t) -> Attribute {
    ::onnx::ValueInfoProto info;
    *info.mutable_type() = t;
    info.set_name(a.name());
    return TypeAttr::get(valueInfoType(info));
  };
  switch (a.type()) {
  case AP::INT:
    return b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), a.i());
  case AP::FLOAT:
    return b.getF32FloatAttr(a.f());
  case AP::STRING:
    return b.getStringAttr(a.s());
  case AP::INTS:
    return b.getI64ArrayAttr(
        SmallVector<int64_t>(a.ints().begin(), a.ints().end()));
  case AP::FLOATS:
    return b.getF32ArrayAttr(
        SmallVector<float>(a.floats().begin(), a.floats().end()));
  case AP::STRINGS: {
    SmallVector<StringRef> strings(a.strings().begin(), a.strings().end());
    return b.getStrArrayAttr(strings);
  }
  case AP::TENSOR:
    return importer::importTensor(tensors, *a.mutable_t(), what);
  case AP::TENSORS:
    return listOf(*a.mutable_tensors(), [&](::onnx::TensorProto &t) {
      return importer::importTensor(tensors, t, what);
    });
  case AP::SPARSE_TENSOR:
    return importer::importSparseTensor(tensors, *a.mutable_sparse_tensor(),
                                        what);
  case AP::SPARSE_TENSORS:
    return listOf(*a.mutable_sparse_tensors(),
                  [&](::onnx::SparseTensorProto &t) {
                    return importer::importSparseTensor(tensors, t, what);
                  });
  case AP::TYPE_PROTO:
    return typeOf(*a.mutable_tp());
  case AP::TYPE_PROTOS:
    return listOf(*a.mutable_type_protos(), typeOf);
  default:
    fail(fmt::format("{} is of an unknown kind ({})", what,
                     static_cast<int>(a.type())));
  }
}

void Importer::importCustom(::onnx::NodeProto &node, Location loc) {
  OperationState state(loc, onnx::CustomOp::getOperationName());
  for (const std::string &input : node.input())
    state.addOperands(input.empty() ? noValue() : lookup(input, node));
  for (const std::string &output : node.output())
    state.addTypes(placeholderType(output, Type()));
  NamedAttrList onnxAttrs;
  SmallVector<::onnx::GraphProto *> graphs;
  SmallVector<StringRef> graphNames;
  for (auto &a : *node.mutable_attribute()) {
    if (a.has_ref_attr_name())
      fail(fmt::format("{} attribute '{}' refers to a function attribute "
                       "outside a function",
                       nodeLabel(node), a.name()));
    if (a.type() == ::onnx::AttributeProto::GRAPH) {
      graphs.push_back(a.mutable_g());
      graphNames.push_back(a.name());
    } else if (a.type() == ::onnx::AttributeProto::GRAPHS) {
      for (int i = 0; i < a.graphs_size(); ++i) {
        graphs.push_back(a.mutable_graphs(i));
        graphNames.push_back(
            b.getStringAttr(fmt::format("{}[{}]", a.name(), i)).getValue());
      }
    } else {
      onnxAttrs.set(a.name(), attributeValue(a, node));
    }
  }
  state.addAttribute("op_type", b.getStringAttr(node.op_type()));
  state.addAttribute("domain", b.getStringAttr(canonicalDomain(node.domain())));
  state.addAttribute("onnx_attrs", onnxAttrs.getDictionary(&ctx));
  if (!graphs.empty())
    state.addAttribute("subgraphs", b.getStrArrayAttr(graphNames));
  for (size_t i = 0; i < graphs.size(); ++i)
    state.addRegion();
  Operation *op = b.create(state);
  for (auto [graph, region] : llvm::zip(graphs, op->getRegions())) {
    OpBuilder::InsertionGuard guard(b);
    Block *block = b.createBlock(&region);
    importGraph(*graph, block, /*isMain=*/false);
  }
  for (auto [name, result] : llvm::zip(node.output(), op->getResults()))
    define(name, result, nodeLabel(node));
}

/// Holds a node of a standard domain to its schema in the model's opset:
/// every attribute is one the op defines, of the kind it defines, and no
/// required one is missing. Nodes of other domains are not known here.
void Importer::checkAttributes(const ::onnx::NodeProto &node,
                               const std::string &domain) {
  using AP = ::onnx::AttributeProto;
  const OpTable &table = opTable();
  auto versions = table.ops.find({domain, node.op_type()});
  if (versions == table.ops.end() || !opsets.count(domain))
    return;
  int since = 0;
  for (int v : versions->second)
    if (v <= opsets[domain])
      since = v;
  auto schema = table.attributes.find({domain, node.op_type(), since});
  if (schema == table.attributes.end())
    return;
  std::set<std::string> seen;
  for (const auto &a : node.attribute()) {
    if (!seen.insert(a.name()).second)
      fail(fmt::format("{} sets attribute '{}' twice", nodeLabel(node),
                       a.name()));
    auto spec = llvm::find_if(schema->second, [&](const AttributeSpec &s) {
      return a.name() == s.name;
    });
    if (spec == schema->second.end())
      fail(fmt::format("{} has unknown attribute '{}' (opset {})",
                       nodeLabel(node), a.name(), opsets[domain]));
    // A reference to a function attribute is bound when the call is
    // inlined; its kind is checked then.
    if (a.type() != spec->kind && !a.has_ref_attr_name())
      fail(fmt::format("{} attribute '{}' has the wrong kind ({}, expected "
                       "{})",
                       nodeLabel(node), a.name(),
                       AP::AttributeType_Name(a.type()),
                       AP::AttributeType_Name(AP::AttributeType(spec->kind))));
  }
  for (const AttributeSpec &spec : schema->second)
    if (spec.required && !seen.count(spec.name))
      fail(fmt::format("{} lacks the required attribute '{}'", nodeLabel(node),
                       spec.name));
}

/// Expands a call of a model-local function in place: the function's nodes
/// are imported with its formal inputs, outputs and attributes bound to the
/// call's.
void Importer::inlineFunction(const ::onnx::FunctionProto &function,
                              ::onnx::NodeProto &call) {
  if (++inlineDepth > 64)
    fail(fmt::format("{}: functions nest more than 64 deep (recursion?)",
                     nodeLabel(call)));
  if (call.input_size() > function.input_size() ||
      call.output_size() > function.output_size())
    fail(fmt::format("{} passes {} inputs and {} outputs to a function with "
                     "{} and {}",
                     nodeLabel(call), call.input_size(), call.output_size(),
                     function.input_size(), function.output_size()));
  std::map<std::string, const ::onnx::AttributeProto *> callAttrs;
  for (const auto &a : call.attribute())
    callAttrs[a.name()] = &a;
  // Attribute defaults (FunctionProto.attribute_proto = 11, ONNX 1.13+)
  // are newer than the protobuf schema this is built with: they arrive as
  // unknown fields. A reference bound by neither is an unset optional
  // attribute.
  std::vector<::onnx::AttributeProto> defaults;
  const auto &unknown = function.GetReflection()->GetUnknownFields(function);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const auto &field = unknown.field(i);
    if (field.number() != 11)
      continue;
    if (field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED ||
        !defaults.emplace_back().ParseFromString(field.length_delimited()))
      fail(fmt::format("function '{}' has a malformed attribute default",
                       function.name()));
  }
  for (const auto &a : defaults)
    callAttrs.emplace(a.name(), &a);

  // Private names for the function's internal values.
  std::string prefix = fmt::format(
      "{}/{}#{}/", call.name().empty() ? call.op_type() : call.name(),
      function.name(), inlineCounter++);
  std::map<std::string, std::string> rename;
  for (int i = 0; i < function.input_size(); ++i)
    rename[function.input(i)] = i < call.input_size() ? call.input(i) : "";
  for (int i = 0; i < function.output_size(); ++i)
    rename[function.output(i)] = i < call.output_size() ? call.output(i) : "";
  auto mapped = [&](const std::string &name) {
    if (name.empty())
      return name;
    auto it = rename.find(name);
    return it != rename.end() ? it->second : prefix + name;
  };

  for (const auto &original : function.node()) {
    ::onnx::NodeProto node = original;
    for (auto &in : *node.mutable_input())
      in = mapped(in);
    for (auto &out : *node.mutable_output())
      out = mapped(out);
    node.set_name(prefix + original.name());
    auto *attrs = node.mutable_attribute();
    for (auto it = attrs->begin(); it != attrs->end();) {
      if (!it->has_ref_attr_name()) {
        ++it;
        continue;
      }
      auto bound = callAttrs.find(it->ref_attr_name());
      if (bound == callAttrs.end()) {
        it = attrs->erase(it); // unset optional attribute
        continue;
      }
      std::string name = it->name();
      *it = *bound->second;
      it->set_name(name);
      ++it;
    }
    importNode(node);
  }
  --inlineDepth;
}

/// The version of default-domain operator `op` in effect at `opset` (0
/// when it did not exist yet).
static int versionAt(const std::string &op, int64_t opset) {
  int version = 0;
  auto it = opTable().ops.find({"", op});
  if (it != opTable().ops.end())
    for (int v : it->second)
      if (v <= opset)
        version = std::max(version, v);
  return version;
}

/// Rewrites `node`, of a model older than opset 7, into what it says in
/// opset 7 terms (the oldest the dedicated ops follow); false when that is
/// not done here and the node stays onnx.Custom.
bool Importer::upgradeLegacyNode(::onnx::NodeProto &node) {
  // A node that stays onnx.Custom keeps its attributes as written.
  ::onnx::NodeProto upgraded = node;
  if (!rewriteLegacyNode(upgraded))
    return false;
  *node.mutable_input() = upgraded.input();
  *node.mutable_attribute() = upgraded.attribute();
  return true;
}

/// upgradeLegacyNode's rewrite, on a copy of the node (only inputs and
/// attributes change).
bool Importer::rewriteLegacyNode(::onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  auto *attrs = node.mutable_attribute();
  auto find = [&](const char *name) -> ::onnx::AttributeProto * {
    for (auto &a : *attrs)
      if (a.name() == name)
        return &a;
    return nullptr;
  };
  auto drop = [&](const char *name) {
    for (auto it = attrs->begin(); it != attrs->end(); ++it)
      if (it->name() == name) {
        attrs->erase(it);
        return;
      }
  };
  // An optimization hint of opsets 1-5 with no effect on the result.
  drop("consumed_inputs");
  if (versionAt(op, defaultOpset) == versionAt(op, 7))
    return true; // the same definition
  static const std::set<std::string> sameButHint = {
      "Abs",        "AveragePool", "Ceil",
      "Clip",       "Elu",         "Exp",
      "Floor",      "HardSigmoid", "InstanceNormalization",
      "LeakyRelu",  "Log",         "Max",
      "Mean",       "Min",         "Neg",
      "Reciprocal", "Relu",        "Selu",
      "Sigmoid",    "Sqrt",        "Sum",
      "Tanh"};
  if (sameButHint.count(op))
    return true;
  // B (input 1) given ones up to A's rank, so that its dims meet A's from
  // `axis` on under numpy broadcasting; false when the ranks are unknown.
  auto alignAt = [&](int64_t axis) {
    auto ta =
        llvm::dyn_cast<RankedTensorType>(lookup(node.input(0), node).getType());
    Value bv = lookup(node.input(1), node);
    auto tb = llvm::dyn_cast<RankedTensorType>(bv.getType());
    if (!ta || !tb)
      return false;
    int64_t rankA = ta.getRank(), rankB = tb.getRank();
    int64_t start = axis < 0 ? axis + rankA : axis;
    int64_t ones = rankA - start - rankB;
    if (start < 0 || ones < 0)
      fail(fmt::format("{}: axis {} does not fit B of rank {} in A of "
                       "rank {}",
                       nodeLabel(node), axis, rankB, rankA));
    if (ones == 0)
      return true;
    SmallVector<int64_t> axes, shape(tb.getShape());
    for (int64_t i = 0; i < ones; ++i)
      axes.push_back(rankB + i), shape.push_back(1);
    auto unsqueeze = b.create<onnx::UnsqueezeOp>(
        locFor(node.input(1)),
        RankedTensorType::get(shape, tb.getElementType()), bv, Value(),
        b.getI64ArrayAttr(axes));
    std::string name = node.output(0) + "/aligned-" + node.input(1);
    define(name, unsqueeze, nodeLabel(node));
    node.set_input(1, name);
    return true;
  };
  if (op == "PRelu") {
    // Opsets 1-6: a slope of one element per channel (or one in all).
    if (node.input_size() != 2)
      return false;
    auto slope =
        llvm::dyn_cast<RankedTensorType>(lookup(node.input(1), node).getType());
    if (!slope || slope.getNumElements() == 1)
      return slope != nullptr;
    return slope.getRank() == 1 && alignAt(1);
  }
  static const std::set<std::string> legacyBroadcast = {
      "Add", "Sub", "Mul",   "Div",     "Pow",  "And",
      "Or",  "Xor", "Equal", "Greater", "Less", "Gemm"};
  if (legacyBroadcast.count(op)) {
    // `broadcast` lets B match a suffix of A's shape, or the dims of A
    // starting at `axis`; numpy broadcasting agrees once B has ones
    // appended up to A's rank.
    ::onnx::AttributeProto *axis = find("axis");
    if (axis && op != "Gemm" && node.input_size() == 2 && !alignAt(axis->i()))
      return false;
    drop("broadcast");
    drop("axis");
    return true;
  }
  if (op == "BatchNormalization") {
    ::onnx::AttributeProto *isTest = find("is_test");
    if (!isTest || isTest->i() == 0)
      return false; // training: running statistics are updated
    drop("is_test");
    return true;
  }
  if (op == "Concat") { // opsets 1-3: axis defaults to 1
    if (!find("axis")) {
      auto *a = attrs->Add();
      a->set_name("axis");
      a->set_type(::onnx::AttributeProto::INT);
      a->set_i(1);
    }
    return true;
  }
  if (op == "Reshape") { // opsets 1-4: the shape is an attribute
    ::onnx::AttributeProto *shape = find("shape");
    if (!shape || node.input_size() != 1)
      return false;
    SmallVector<int64_t> dims(shape->ints().begin(), shape->ints().end());
    auto type = RankedTensorType::get({int64_t(dims.size())}, b.getI64Type());
    auto c = b.create<onnx::ConstantOp>(
        locFor(node.output(0)), type,
        DenseElementsAttr::get(type, llvm::ArrayRef<int64_t>(dims)));
    std::string name = node.output(0) + "/shape";
    define(name, c, nodeLabel(node));
    node.add_input(name);
    drop("shape");
    return true;
  }
  if (op == "Pad") { // opset 1 names the pads `paddings`
    if (::onnx::AttributeProto *p = find("paddings"))
      p->set_name("pads");
    return true;
  }
  return false;
}

void Importer::importNode(::onnx::NodeProto &node) {
  std::string domain = canonicalDomain(node.domain());
  const std::string &op = node.op_type();
  if (auto fn = functions.find({domain, op}); fn != functions.end())
    return inlineFunction(*fn->second, node);

  Location loc = locFor(
      node.name().empty() && node.output_size() ? node.output(0) : node.name());
  if (node.output_size() < 1)
    fail(fmt::format("{} has no output", nodeLabel(node)));
  checkAttributes(node, domain);

  // Optimizer updates (Adagrad, Adam, Momentum) import as the nodes that
  // compute them.
  if (domain == "ai.onnx.preview.training") {
    std::vector<::onnx::NodeProto> nodes =
        op == "Gradient"
            ? importer::expandGradient(
                  node,
                  [&](const std::string &name) -> const ::onnx::NodeProto * {
                    for (auto scope = producers.rbegin();
                         scope != producers.rend(); ++scope)
                      if (auto it = scope->find(name); it != scope->end())
                        return it->second;
                    return nullptr;
                  })
            : importer::expandTrainingNode(node);
    if (!nodes.empty()) {
      // They are written with default-domain ops of opset 15 (CastLike;
      // ReduceSum's axes as an input), whatever opset the model imports,
      // if any.
      int64_t opset = defaultOpset;
      std::optional<int64_t> declared;
      if (auto it = opsets.find(""); it != opsets.end())
        declared = it->second;
      defaultOpset = opsets[""] = 15;
      for (::onnx::NodeProto &n : nodes)
        importNode(n);
      defaultOpset = opset;
      if (declared)
        opsets[""] = *declared;
      else
        opsets.erase("");
      return;
    }
  }

  // Upsample (opsets 7-9, scales as an input from 9 on) is Resize with
  // asymmetric coordinates and floor rounding for nearest.
  if (domain.empty() && op == "Upsample" && node.input_size() == 2) {
    std::string scales = node.input(1);
    node.set_op_type("Resize");
    node.set_input(1, "");
    node.add_input(scales);
    for (auto [name, value] :
         {std::pair{"coordinate_transformation_mode", "asymmetric"},
          std::pair{"nearest_mode", "floor"}}) {
      ::onnx::AttributeProto *a = node.add_attribute();
      a->set_name(name);
      a->set_type(::onnx::AttributeProto::STRING);
      a->set_s(value);
    }
  }

  // An optional is the value it holds, or onnx.NoValue when it holds none
  // (its `type` attribute then says of what).
  if (domain.empty() && op == "Optional") {
    if (node.input_size() > 1 || node.output_size() != 1)
      fail(fmt::format("{} takes at most one input and gives one output",
                       nodeLabel(node)));
    bool holds = node.input_size() == 1 && !node.input(0).empty();
    define(node.output(0), holds ? lookup(node.input(0), node) : noValue(),
           nodeLabel(node));
    return;
  }

  if (domain.empty() && op == "Constant") {
    ElementsAttr value;
    if (node.attribute_size() != 1)
      fail(fmt::format("{} must have exactly one value attribute",
                       nodeLabel(node)));
    // checkAttributes has matched the attribute's name and kind.
    auto &a = *node.mutable_attribute(0);
    Attribute v = attributeValue(a, node);
    auto scalar = [&](Type t) { return RankedTensorType::get({}, t); };
    if (a.name() == "value" || a.name() == "sparse_value")
      value = llvm::cast<ElementsAttr>(v);
    else if (a.name() == "value_float")
      value = DenseElementsAttr::get(scalar(b.getF32Type()),
                                     llvm::cast<FloatAttr>(v).getValue());
    else if (a.name() == "value_int")
      value = DenseElementsAttr::get(
          scalar(b.getI64Type()),
          APInt(64, llvm::cast<IntegerAttr>(v).getInt()));
    else if (a.name() == "value_ints" || a.name() == "value_floats") {
      auto list = llvm::cast<ArrayAttr>(v);
      bool ints = a.name() == "value_ints";
      auto type = RankedTensorType::get({int64_t(list.size())},
                                        ints ? Type(b.getI64Type())
                                             : Type(b.getF32Type()));
      SmallVector<int64_t> iv;
      SmallVector<float> fv;
      for (Attribute e : list) {
        if (ints)
          iv.push_back(llvm::cast<IntegerAttr>(e).getInt());
        else
          fv.push_back(llvm::cast<FloatAttr>(e).getValueAsDouble());
      }
      value = ints ? DenseElementsAttr::get(type, ArrayRef<int64_t>(iv))
                   : DenseElementsAttr::get(type, ArrayRef<float>(fv));
    } else if (a.name() == "value_string" || a.name() == "value_strings") {
      SmallVector<StringRef> strings;
      if (auto s = llvm::dyn_cast<StringAttr>(v))
        strings.push_back(s.getValue());
      else
        for (Attribute e : llvm::cast<ArrayAttr>(v))
          strings.push_back(llvm::cast<StringAttr>(e).getValue());
      auto type = a.name() == "value_string"
                      ? RankedTensorType::get({}, onnx::StringType::get(&ctx))
                      : RankedTensorType::get({int64_t(strings.size())},
                                              onnx::StringType::get(&ctx));
      value = DenseStringElementsAttr::get(type, strings);
    } else {
      fail(fmt::format("{} has the unknown value attribute '{}'",
                       nodeLabel(node), a.name()));
    }
    auto c = b.create<onnx::ConstantOp>(loc, value.getType(), value);
    define(node.output(0), c.getResult(), nodeLabel(node));
    return;
  }

  // A dedicated op when it can say exactly what the node says: default
  // domain, the op's meaning of opset 7 or later (older nodes are upgraded
  // where their meaning carries over), no subgraphs, no used output beyond
  // the op's results.
  bool dedicated = domain.empty() && isDedicatedOp(ctx, op) &&
                   (defaultOpset >= 7 || upgradeLegacyNode(node));
  // The ai.onnx.ml ops the dialect has (LabelEncoder as of ML opset 2,
  // when it took keys_* and values_*; TreeEnsemble exists from ML opset 5).
  if (domain == "ai.onnx.ml")
    dedicated = op == "Binarizer" || op == "ArrayFeatureExtractor" ||
                op == "TreeEnsemble" ||
                (op == "LabelEncoder" && opsets[domain] >= 2);
  // TopK before opset 10 takes k as an attribute.
  if (op == "TopK" && node.input_size() < 2)
    dedicated = false;
  // Only the control-flow ops take subgraphs (as regions).
  bool controlFlow =
      op == "If" || op == "Loop" || op == "Scan" || op == "SequenceMap";
  for (const auto &a : node.attribute())
    dedicated &= a.type() != ::onnx::AttributeProto::GRAPHS &&
                 (controlFlow || a.type() != ::onnx::AttributeProto::GRAPH);
  // The results the dedicated op models, as its definition says: one per
  // output for variadic results (Split), else a fixed count; a node using
  // an output beyond them is onnx.Custom.
  int results = 1;
  if (dedicated) {
    auto info =
        RegisteredOperationName::lookup("onnx." + dialectOpName(op), &ctx);
    if (info->hasTrait<OpTrait::VariadicResults>())
      results = std::max(node.output_size(), 1);
    else if (info->hasTrait<OpTrait::AtLeastNResults<1>::Impl>())
      results = std::max(node.output_size(), 1); // optional trailing ones
    else if (info->hasTrait<OpTrait::NResults<2>::Impl>())
      results = 2;
    else if (info->hasTrait<OpTrait::NResults<3>::Impl>())
      results = 3;
    else if (info->hasTrait<OpTrait::NResults<4>::Impl>())
      results = 4;
  }
  for (int i = results; i < node.output_size() && dedicated; ++i)
    dedicated &= node.output(i).empty();
  if (!dedicated)
    return importCustom(node, loc);

  NamedAttrList attrs;
  std::map<std::string, ::onnx::GraphProto *> graphs;
  for (auto &a : *node.mutable_attribute()) {
    if (a.type() == ::onnx::AttributeProto::GRAPH)
      graphs[a.name()] = a.mutable_g();
    else
      attrs.set(a.name(), attributeValue(a, node));
  }
  if (op == "Scan" && defaultOpset < 9)
    attrs.set("batched", b.getUnitAttr());
  if (op == "DFT" && defaultOpset < 20 && !attrs.get("axis"))
    attrs.set("axis", b.getIntegerAttr(b.getIntegerType(64, true), 1));
  if ((op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") &&
      defaultOpset < 13) {
    // Opsets 1-12: axis defaults to 1 and the input is coerced to 2-D.
    if (!attrs.get("axis"))
      attrs.set("axis", b.getIntegerAttr(b.getIntegerType(64, true), 1));
    attrs.set("coerce_2d", b.getUnitAttr());
  }

  OperationState state(loc, "onnx." + dialectOpName(op));
  // ONNX knows no attribute beyond an op's own; a misspelt or foreign one is
  // an error, and one of the wrong kind must not reach the op's accessors.
  std::optional<RegisteredOperationName> info = state.name.getRegisteredInfo();
  for (const NamedAttribute &attr : attrs)
    if (!llvm::is_contained(info->getAttributeNames(), attr.getName()))
      fail(fmt::format("{} has unknown attribute '{}'", nodeLabel(node),
                       attr.getName().str()));
  errors.clear();
  if (failed(info->verifyInherentAttrs(attrs,
                                       [&]() { return mlir::emitError(loc); })))
    fail(fmt::format("{}: {}", nodeLabel(node), errors.message));
  // Trailing absent inputs are left out; one followed by a present input
  // keeps its position as onnx.NoValue (Clip(X, "", max)).
  int used = node.input_size();
  while (used > 0 && node.input(used - 1).empty())
    --used;
  for (int i = 0; i < used; ++i)
    state.addOperands(node.input(i).empty() ? noValue()
                                            : lookup(node.input(i), node));
  // Every dedicated op's result has its first operand's element type.
  Type elementType;
  if (!state.operands.empty())
    if (auto t = llvm::dyn_cast<ShapedType>(state.operands[0].getType()))
      elementType = t.getElementType();
  for (int i = 0; i < results; ++i)
    state.addTypes(placeholderType(i < node.output_size() ? node.output(i) : "",
                                   elementType));
  state.addAttributes(attrs);
  // Subgraphs become the op's regions, in its order of them.
  SmallVector<::onnx::GraphProto *> bodies;
  for (const char *body : {"then_branch", "else_branch", "body"})
    if (auto it = graphs.find(body); it != graphs.end())
      bodies.push_back(it->second);
  if (bodies.size() != graphs.size())
    fail(fmt::format("{} has an unknown graph attribute", nodeLabel(node)));
  for (size_t i = 0; i < bodies.size(); ++i)
    state.addRegion();
  Operation *created = b.create(state);
  for (auto [graph, region] : llvm::zip(bodies, created->getRegions())) {
    OpBuilder::InsertionGuard guard(b);
    importGraph(*graph, b.createBlock(&region), /*isMain=*/false);
  }
  for (int i = 0; i < results && i < node.output_size(); ++i)
    if (!node.output(i).empty())
      define(node.output(i), created->getResult(i), nodeLabel(node));
}

void Importer::importGraph(::onnx::GraphProto &graph, Block *block,
                           bool isMain) {
  scopes.emplace_back();
  auto &produced = producers.emplace_back();
  for (const auto &node : graph.node())
    for (const auto &out : node.output())
      if (!out.empty())
        produced.emplace(out, &node);
  for (const auto &info : graph.value_info())
    declaredTypes[info.name()] = valueInfoType(info);
  for (const auto &output : graph.output())
    declaredTypes[output.name()] = valueInfoType(output);

  std::set<std::string> initializerNames;
  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());
  for (const auto &init : graph.sparse_initializer())
    initializerNames.insert(init.values().name());

  // Inputs become block arguments. An input that also has an initializer
  // is an input with a default (IR >= 4); before IR 4 every initializer
  // had to be listed as an input, so there it is just a weight.
  b.setInsertionPointToStart(block);
  std::map<std::string, unsigned> argIndex;
  auto func =
      isMain ? llvm::cast<func::FuncOp>(block->getParentOp()) : func::FuncOp();
  for (const auto &input : graph.input()) {
    bool hasDefault = initializerNames.count(input.name());
    if (hasDefault && irVersion < 4)
      continue;
    SmallVector<StringRef> dimParams;
    // An optional tensor of static shape is that tensor, which the caller
    // may leave out.
    bool optionalTensor = false;
    ::onnx::ValueInfoProto info = input;
    if (func && input.type().has_optional_type() &&
        input.type().optional_type().elem_type().has_tensor_type()) {
      *info.mutable_type() = input.type().optional_type().elem_type();
      auto t = llvm::dyn_cast<RankedTensorType>(valueInfoType(info));
      optionalTensor = t && t.hasStaticShape();
    }
    Type type = valueInfoType(optionalTensor ? info : input, &dimParams);
    BlockArgument arg = block->addArgument(type, locFor(input.name()));
    if (func) {
      argIndex[input.name()] = arg.getArgNumber();
      SmallVector<Type> inputs(block->getArgumentTypes());
      func.setType(b.getFunctionType(inputs, {}));
      func.setArgAttr(arg.getArgNumber(), "onnx.name",
                      b.getStringAttr(input.name()));
      if (!dimParams.empty())
        func.setArgAttr(arg.getArgNumber(), "onnx.dim_params",
                        b.getStrArrayAttr(dimParams));
      if (optionalTensor) {
        func.setArgAttr(arg.getArgNumber(), "onnx.optional", b.getUnitAttr());
      } else if (!input.type().has_tensor_type()) {
        // Inputs that are not tensors: named for the error that lists them
        // unless --shape fixes them (shapeInputs), with the tensor type a
        // sequence or optional holds (`onnx.holds`).
        const ::onnx::TypeProto &outer = input.type();
        const ::onnx::TypeProto *inner = &outer;
        if (inner->has_optional_type())
          inner = &inner->optional_type().elem_type();
        bool sequence = inner->has_sequence_type();
        if (sequence)
          inner = &inner->sequence_type().elem_type();
        std::string kind =
            outer.has_optional_type()
                ? (sequence ? "an optional sequence" : "an optional")
            : sequence                       ? "a sequence"
            : outer.has_map_type()           ? "a map"
            : outer.has_sparse_tensor_type() ? "a sparse tensor"
                                             : "of a type that is not a tensor";
        func.setArgAttr(arg.getArgNumber(), "onnx.kind", b.getStringAttr(kind));
        if (inner->has_tensor_type() &&
            (sequence || outer.has_optional_type())) {
          ::onnx::ValueInfoProto held;
          held.set_name(input.name());
          *held.mutable_type() = *inner;
          func.setArgAttr(arg.getArgNumber(), "onnx.holds",
                          TypeAttr::get(valueInfoType(held)));
        }
      }
    }
    define(input.name(), arg, fmt::format("graph input '{}'", input.name()));
  }

  for (auto &init : *graph.mutable_initializer()) {
    std::string what = fmt::format("initializer '{}'", init.name());
    ElementsAttr value = importer::importTensor(tensors, init, what);
    if (auto it = argIndex.find(init.name()); it != argIndex.end()) {
      func.setArgAttr(it->second, "onnx.default", value);
      continue;
    }
    if (scopes.back().count(init.name()))
      continue; // a subgraph input with a default: the input wins
    define(
        init.name(),
        b.create<onnx::ConstantOp>(locFor(init.name()), value.getType(), value),
        what);
  }
  for (auto &init : *graph.mutable_sparse_initializer()) {
    std::string name = init.values().name();
    std::string what = fmt::format("sparse initializer '{}'", name);
    ElementsAttr value = importer::importSparseTensor(tensors, init, what);
    define(name,
           b.create<onnx::ConstantOp>(locFor(name), value.getType(), value),
           what);
  }

  for (::onnx::NodeProto *node : sortedNodes(graph))
    importNode(*node);

  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    Value v;
    for (auto scope = scopes.rbegin(); scope != scopes.rend() && !v; ++scope)
      if (auto it = scope->find(output.name()); it != scope->end())
        v = it->second;
    if (!v)
      fail(fmt::format("graph output '{}' is not produced by any node",
                       output.name()));
    results.push_back(v);
  }
  Location fileLoc = FileLineColLoc::get(&ctx, source, 0, 0);
  if (isMain) {
    b.create<func::ReturnOp>(fileLoc, results);
    func.setType(b.getFunctionType(block->getArgumentTypes(),
                                   ValueRange(results).getTypes()));
    for (auto [i, output] : llvm::enumerate(graph.output()))
      func.setResultAttr(i, "onnx.name", b.getStringAttr(output.name()));
  } else {
    b.create<onnx::YieldOp>(fileLoc, results);
  }
  scopes.pop_back();
  producers.pop_back();
}

OwningOpRef<ModuleOp> Importer::import(::onnx::ModelProto &model) {
  if (!model.has_graph())
    fail("not an ONNX model (no graph)");
  checkModel(model);

  Location fileLoc = FileLineColLoc::get(&ctx, source, 0, 0);
  auto module = ModuleOp::create(fileLoc);
  OwningOpRef<ModuleOp> owned(module);
  module->setAttr("onnx.ir_version", b.getI64IntegerAttr(irVersion));
  NamedAttrList opsetAttrs;
  for (const auto &[domain, version] : opsets)
    opsetAttrs.set(domain.empty() ? "ai.onnx" : domain,
                   b.getI64IntegerAttr(version));
  module->setAttr("onnx.opset_import", opsetAttrs.getDictionary(&ctx));
  if (defaultOpset)
    module->setAttr("onnx.opset", b.getI64IntegerAttr(defaultOpset));
  if (!model.producer_name().empty())
    module->setAttr("onnx.producer", b.getStringAttr(model.producer_name()));
  if (!model.doc_string().empty())
    module->setAttr("onnx.doc_string", b.getStringAttr(model.doc_string()));
  if (model.metadata_props_size()) {
    NamedAttrList props;
    for (const auto &p : model.metadata_props())
      props.set(p.key(), b.getStringAttr(p.value()));
    module->setAttr("onnx.metadata", props.getDictionary(&ctx));
  }

  b.setInsertionPointToEnd(module.getBody());
  auto func =
      b.create<func::FuncOp>(fileLoc, "main", b.getFunctionType({}, {}));
  importGraph(*model.mutable_graph(), func.addEntryBlock(), /*isMain=*/true);
  return owned;
}

/// Parses a binary model from a file without reading it into one buffer
/// first: peak memory stays near the size of the parsed message.
bool parseModelFile(const std::string &path, ::onnx::ModelProto &model,
                    std::string &error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  google::protobuf::io::FileInputStream stream(fd);
  stream.SetCloseOnDelete(true);
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  bool ok = model.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage();
  if (stream.GetErrno() != 0) {
    error = path + ": cannot read: " + std::strerror(stream.GetErrno());
    return false;
  }
  if (!ok) {
    error = path + ": not an ONNX model (the protobuf does not parse)";
    return false;
  }
  return true;
}

} // namespace

static OwningOpRef<ModuleOp> importParsed(::onnx::ModelProto &model,
                                          const std::string &source,
                                          std::optional<std::string> modelDir,
                                          MLIRContext &context,
                                          std::string &error) {
  context.loadDialect<onnx::OnnxDialect, func::FuncDialect>();
  // MLIR errors (verifier, attribute checks) as one line.
  FirstError errors(&context);
  OwningOpRef<ModuleOp> module;
  try {
    Importer importer(context, source, std::move(modelDir), errors);
    module = importer.import(model);
  } catch (const ImportError &e) {
    error = source + ": " + e.message;
    return nullptr;
  }
  errors.clear();
  if (failed(verify(*module))) {
    error = source + ": " + errors.line("invalid model");
    return nullptr;
  }
  return module;
}

/// Parses textual ONNX; the parser's multi-line message becomes one line.
static bool parseText(llvm::StringRef bytes, const std::string &source,
                      ::onnx::ModelProto &model, std::string &error) {
  std::string text = bytes.str();
  auto status = ::onnx::OnnxParser::Parse(model, text.c_str());
  if (status.IsOK())
    return true;
  std::string message = status.ErrorMessage();
  SmallVector<StringRef> lines;
  StringRef(message).split(lines, '\n', -1, /*KeepEmpty=*/false);
  error =
      source + ": cannot parse ONNX text: " +
      llvm::join(llvm::map_range(lines, [](StringRef l) { return l.trim(); }),
                 "; ");
  return false;
}

OwningOpRef<ModuleOp> importModelBytes(llvm::StringRef bytes, bool isText,
                                       const std::string &source,
                                       MLIRContext &context,
                                       std::string &error) {
  ::onnx::ModelProto model;
  if (bytes.empty()) {
    error = source + ": empty file, not an ONNX model";
    return nullptr;
  }
  if (isText) {
    if (!parseText(bytes, source, model, error))
      return nullptr;
  } else if (bytes.size() > INT_MAX ||
             !model.ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size()))) {
    error = source + ": not an ONNX model (the protobuf does not parse)";
    return nullptr;
  }
  return importParsed(model, source, std::nullopt, context, error);
}

OwningOpRef<ModuleOp> importModelFile(const std::string &path,
                                      MLIRContext &context,
                                      std::string &error) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    error = path + ": cannot read: " + std::strerror(errno);
    return nullptr;
  }
  if (!S_ISREG(st.st_mode)) {
    error = path + ": not a regular file";
    return nullptr;
  }
  if (st.st_size == 0) {
    error = path + ": empty file, not an ONNX model";
    return nullptr;
  }
  std::string dir = llvm::sys::path::parent_path(path).str();
  ::onnx::ModelProto model;
  if (llvm::StringRef(path).ends_with(".onnxtext")) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!buffer) {
      error = path + ": cannot read: " + buffer.getError().message();
      return nullptr;
    }
    if (!parseText((*buffer)->getBuffer(), path, model, error))
      return nullptr;
  } else if (!parseModelFile(path, model, error)) {
    return nullptr;
  }
  return importParsed(model, path, dir.empty() ? "." : dir, context, error);
}

} // namespace onnxc
