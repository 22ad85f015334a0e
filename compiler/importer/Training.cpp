// The optimizer update rules of the ai.onnx.preview.training domain
// (Adagrad, Adam, Momentum) written as default-domain nodes, which the
// importer then imports in the node's place.
#include "compiler/importer/Training.h"
#include "compiler/importer/ImportError.h"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace onnxc::importer {
namespace {

/// Writes nodes whose private values are named after the expanded node.
class NodeWriter {
public:
  explicit NodeWriter(const ::onnx::NodeProto &node)
      : node(node),
        prefix((node.name().empty() ? node.output(0) : node.name()) + "/" +
               node.op_type() + "/") {}

  /// A node of `type` on `inputs`; its output is `output`, or a private
  /// name when that is empty.
  std::string op(const char *type, std::initializer_list<std::string> inputs,
                 std::string output = "") {
    ::onnx::NodeProto &n = nodes.emplace_back();
    n.set_op_type(type);
    n.set_name(prefix + std::to_string(nodes.size()));
    for (const std::string &in : inputs)
      n.add_input(in);
    if (output.empty())
      output = prefix + "v" + std::to_string(nodes.size());
    n.add_output(output);
    return output;
  }
  /// The float scalar `value` in the type of `like`.
  std::string scalar(float value, const std::string &like) {
    std::string c = op("Constant", {});
    ::onnx::AttributeProto *a = nodes.back().add_attribute();
    a->set_name("value_float");
    a->set_type(::onnx::AttributeProto::FLOAT);
    a->set_f(value);
    return op("CastLike", {c, like});
  }
  std::string add(const std::string &a, const std::string &b) {
    return op("Add", {a, b});
  }
  std::string sub(const std::string &a, const std::string &b) {
    return op("Sub", {a, b});
  }
  std::string mul(const std::string &a, const std::string &b) {
    return op("Mul", {a, b});
  }
  std::string div(const std::string &a, const std::string &b) {
    return op("Div", {a, b});
  }
  /// `a` * x + b * y, with float coefficients.
  std::string axpby(float a, const std::string &x, float b,
                    const std::string &y) {
    return add(mul(scalar(a, x), x), mul(scalar(b, y), y));
  }

  /// The node's float attribute `name`, `fallback` when absent (or a
  /// failure when it is required).
  float attr(const char *name, std::optional<float> fallback) const {
    for (const auto &a : node.attribute())
      if (a.name() == name)
        return a.f();
    if (!fallback)
      fail(fmt::format("node '{}' ({}) needs the attribute '{}'", node.name(),
                       node.op_type(), name));
    return *fallback;
  }

  const ::onnx::NodeProto &node;
  std::string prefix;
  std::vector<::onnx::NodeProto> nodes;
};

/// The number of tensors updated when the node takes R, T and `groups`
/// lists of them (and gives `outputs` lists), or a failure.
int tensorCount(const ::onnx::NodeProto &node, int groups, int outputs) {
  int n = (node.input_size() - 2) / groups;
  if (n < 1 || node.input_size() != 2 + groups * n ||
      node.output_size() != outputs * n)
    fail(fmt::format("node '{}' ({}) takes R, T and {} lists of as many "
                     "tensors, and gives {} lists of them; it has {} inputs "
                     "and {} outputs",
                     node.name(), node.op_type(), groups, outputs,
                     node.input_size(), node.output_size()));
  for (const std::string &in : node.input())
    if (in.empty())
      fail(fmt::format("node '{}' ({}) has an absent input", node.name(),
                       node.op_type()));
  return n;
}

void adagrad(NodeWriter &w) {
  const ::onnx::NodeProto &node = w.node;
  int n = tensorCount(node, 3, 2);
  float decay = w.attr("decay_factor", 0.0f);
  float epsilon = w.attr("epsilon", 0.0f);
  float norm = w.attr("norm_coefficient", 0.0f);
  const std::string &r = node.input(0);
  // r / (1 + t * decay_factor)
  std::string t = w.op("CastLike", {node.input(1), r});
  std::string rate =
      w.div(r, w.add(w.scalar(1, r), w.mul(t, w.scalar(decay, r))));
  for (int i = 0; i < n; ++i) {
    const std::string &x = node.input(2 + i), &g = node.input(2 + n + i),
                      &h = node.input(2 + 2 * n + i);
    std::string gr = w.add(w.mul(w.scalar(norm, x), x), g);
    std::string hNew = w.op("Add", {h, w.mul(gr, gr)}, node.output(n + i));
    std::string scale = w.add(w.op("Sqrt", {hNew}), w.scalar(epsilon, hNew));
    std::string step = w.mul(w.op("CastLike", {rate, x}), w.div(gr, scale));
    w.op("Sub", {x, step}, node.output(i));
  }
}

void adam(NodeWriter &w) {
  const ::onnx::NodeProto &node = w.node;
  int n = tensorCount(node, 4, 3);
  float alpha = w.attr("alpha", 0.9f), beta = w.attr("beta", 0.999f);
  float epsilon = w.attr("epsilon", 1e-6f);
  float norm = w.attr("norm_coefficient", 0.0f);
  float post = w.attr("norm_coefficient_post", 0.0f);
  const std::string &r = node.input(0);
  // r * sqrt(1 - beta^t) / (1 - alpha^t) when t > 0, else r.
  std::string t = w.op("CastLike", {node.input(1), r});
  auto power = [&](float base) {
    return w.sub(w.scalar(1, r), w.op("Pow", {w.scalar(base, r), t}));
  };
  std::string corrected =
      w.div(w.mul(r, w.op("Sqrt", {power(beta)})), power(alpha));
  std::string started = w.op("Greater", {t, w.scalar(0, r)});
  std::string rate = w.op("Where", {started, corrected, r});
  for (int i = 0; i < n; ++i) {
    const std::string &x = node.input(2 + i), &g = node.input(2 + n + i),
                      &v = node.input(2 + 2 * n + i),
                      &h = node.input(2 + 3 * n + i);
    std::string gr = w.add(w.mul(w.scalar(norm, x), x), g);
    std::string vNew =
        w.op("Add",
             {w.mul(w.scalar(alpha, v), v), w.mul(w.scalar(1 - alpha, gr), gr)},
             node.output(n + i));
    std::string hNew = w.op("Add",
                            {w.mul(w.scalar(beta, h), h),
                             w.mul(w.scalar(1 - beta, gr), w.mul(gr, gr))},
                            node.output(2 * n + i));
    std::string scale = w.add(w.op("Sqrt", {hNew}), w.scalar(epsilon, hNew));
    std::string moved =
        w.sub(x, w.mul(w.op("CastLike", {rate, x}), w.div(vNew, scale)));
    w.op("Mul", {w.scalar(1 - post, moved), moved}, node.output(i));
  }
}

void momentum(NodeWriter &w) {
  const ::onnx::NodeProto &node = w.node;
  int n = tensorCount(node, 3, 2);
  float alpha = w.attr("alpha", std::nullopt);
  float beta = w.attr("beta", std::nullopt);
  float norm = w.attr("norm_coefficient", std::nullopt);
  std::string mode;
  for (const auto &a : node.attribute())
    if (a.name() == "mode")
      mode = a.s();
  if (mode != "standard" && mode != "nesterov")
    fail(fmt::format("node '{}' (Momentum) has mode '{}' (standard or "
                     "nesterov)",
                     node.name(), mode));
  const std::string &r = node.input(0);
  // The gradient's coefficient is 1 on the first step (t == 0).
  std::string t = w.op("CastLike", {node.input(1), r});
  std::string started = w.op("Greater", {t, w.scalar(0, r)});
  std::string coefficient =
      w.op("Where", {started, w.scalar(beta, r), w.scalar(1, r)});
  for (int i = 0; i < n; ++i) {
    const std::string &x = node.input(2 + i), &g = node.input(2 + n + i),
                      &v = node.input(2 + 2 * n + i);
    std::string gr = w.add(w.mul(w.scalar(norm, x), x), g);
    std::string vNew = w.op("Add",
                            {w.mul(w.scalar(alpha, v), v),
                             w.mul(w.op("CastLike", {coefficient, gr}), gr)},
                            node.output(n + i));
    std::string direction = mode == "standard"
                                ? vNew
                                : w.add(gr, w.mul(w.scalar(alpha, vNew), vNew));
    w.op("Sub", {x, w.mul(w.op("CastLike", {r, x}), direction)},
         node.output(i));
  }
}

} // namespace

std::vector<::onnx::NodeProto>
expandTrainingNode(const ::onnx::NodeProto &node) {
  static const std::map<std::string, void (*)(NodeWriter &)> rules = {
      {"Adagrad", adagrad}, {"Adam", adam}, {"Momentum", momentum}};
  auto it = rules.find(node.op_type());
  if (it == rules.end() || node.output_size() == 0)
    return {};
  NodeWriter w(node);
  it->second(w);
  return std::move(w.nodes);
}

} // namespace onnxc::importer
