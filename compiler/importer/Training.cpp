// The ops of the ai.onnx.preview.training domain written as default-domain
// nodes, which the importer then imports in the node's place: the optimizer
// update rules (Adagrad, Adam, Momentum) and Gradient (reverse-mode
// differentiation of the nodes between xs and y).
#include "compiler/importer/Training.h"
#include "compiler/importer/ImportError.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>
#include <set>

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
  /// Sets the int attribute `name` of the last node written.
  void setInt(const char *name, int64_t value) {
    ::onnx::AttributeProto *a = nodes.back().add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(value);
  }
  /// A 1-D int64 constant.
  std::string int64s(std::initializer_list<int64_t> values) {
    std::string c = op("Constant", {});
    ::onnx::AttributeProto *a = nodes.back().add_attribute();
    a->set_name("value_ints");
    a->set_type(::onnx::AttributeProto::INTS);
    for (int64_t v : values)
      a->add_ints(v);
    return c;
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

/// Reverse-mode differentiation for Gradient: the nodes that compute the
/// gradients of the sum of y's elements with respect to each of xs.
class Differentiator {
public:
  Differentiator(NodeWriter &w, const ProducerLookup &producerOf)
      : w(w), producerOf(producerOf) {}

  void run() {
    const ::onnx::NodeProto &node = w.node;
    std::vector<std::string> xs, zs;
    std::string y;
    for (const auto &a : node.attribute()) {
      if (a.name() == "xs")
        xs.assign(a.strings().begin(), a.strings().end());
      else if (a.name() == "zs")
        zs.assign(a.strings().begin(), a.strings().end());
      else if (a.name() == "y")
        y = a.s();
    }
    if (xs.empty() || y.empty())
      fail(fmt::format("node '{}' (Gradient) needs the attributes xs and y",
                       node.name()));
    if (node.output_size() != int(xs.size()))
      fail(fmt::format("node '{}' (Gradient) has {} outputs for {} xs",
                       node.name(), node.output_size(), xs.size()));
    // The gradient is taken where the graph computes it: the node's inputs
    // must be xs and zs themselves.
    std::vector<std::string> fed = xs;
    fed.insert(fed.end(), zs.begin(), zs.end());
    bool same = node.input_size() == int(fed.size());
    for (int i = 0; same && i < node.input_size(); ++i)
      same = node.input(i) == fed[i];
    if (!same)
      fail(fmt::format("node '{}' (Gradient): its inputs must be the tensors "
                       "xs and zs name (differentiating at other values is "
                       "not supported yet)",
                       node.name()));
    targets.insert(xs.begin(), xs.end());

    // The nodes between xs and y, latest first (each after its users).
    std::vector<const ::onnx::NodeProto *> order;
    std::set<const ::onnx::NodeProto *> seen;
    std::function<void(const ::onnx::NodeProto *)> visit =
        [&](const ::onnx::NodeProto *n) {
          if (!seen.insert(n).second)
            return;
          for (const std::string &in : n->input())
            if (dependsOnX(in) && !targets.count(in))
              visit(producerOf(in));
          order.push_back(n);
        };
    if (dependsOnX(y) && !targets.count(y))
      visit(producerOf(y));

    // d(sum y)/dy is ones.
    grads[y] = w.op("Expand", {w.scalar(1, y), w.op("Shape", {y})});
    for (auto n = order.rbegin(); n != order.rend(); ++n)
      backward(**n);
    for (size_t i = 0; i < xs.size(); ++i) {
      auto it = grads.find(xs[i]);
      std::string g =
          it != grads.end()
              ? it->second
              : w.op("Expand", {w.scalar(0, xs[i]), w.op("Shape", {xs[i]})});
      w.op("Identity", {g}, node.output(i));
    }
  }

private:
  bool dependsOnX(const std::string &value) {
    if (value.empty())
      return false;
    if (targets.count(value))
      return true;
    if (auto it = depends.find(value); it != depends.end())
      return it->second;
    depends[value] = false; // a cycle is the importer's error
    const ::onnx::NodeProto *n = producerOf(value);
    bool result = false;
    if (n)
      for (const std::string &in : n->input())
        result = result || dependsOnX(in);
    return depends[value] = result;
  }

  /// Adds the gradient `make` writes to that of `value`; writes nothing
  /// when y does not depend on `value` through xs (a weight, a constant).
  template <typename Make>
  void accumulate(const std::string &value, Make make) {
    if (!dependsOnX(value))
      return;
    std::string g = make();
    auto [it, inserted] = grads.emplace(value, g);
    if (!inserted)
      it->second = w.add(it->second, g);
  }

  /// `g`, of a broadcast result's shape, summed to the shape of `x`: over
  /// the leading dims x lacks and the dims where x is 1 and g is not. The
  /// shape arithmetic folds to constants at compile time.
  std::string unbroadcast(const std::string &g, const std::string &x) {
    std::string gShape = w.op("Shape", {g}), xShape = w.op("Shape", {x});
    std::string one = w.int64s({1});
    std::string lead = w.sub(w.op("Size", {gShape}), w.op("Size", {xShape}));
    std::string ones = w.op("Expand", {one, w.op("Reshape", {lead, one})});
    std::string padded = w.op("Concat", {ones, xShape});
    w.setInt("axis", 0);
    std::string reduced =
        w.op("And", {w.op("Equal", {padded, one}),
                     w.op("Not", {w.op("Equal", {gShape, one})})});
    std::string axes =
        w.op("Reshape", {w.op("NonZero", {reduced}), w.int64s({-1})});
    std::string sum = w.op("ReduceSum", {g, axes});
    w.setInt("noop_with_empty_axes", 1);
    return w.op("Reshape", {sum, xShape});
  }

  void backward(const ::onnx::NodeProto &n) {
    if (n.output_size() != 1 ||
        !(n.domain().empty() || n.domain() == "ai.onnx"))
      unsupported(n);
    auto it = grads.find(n.output(0));
    if (it == grads.end())
      return; // y does not depend on this node's result
    const std::string g = it->second, &out = n.output(0);
    const std::string &op = n.op_type();
    // The operands each op differentiated below reads; any other op is
    // unsupported (the last branch).
    static const std::map<std::string, int> arity = {
        {"Add", 2}, {"Sub", 2},      {"Mul", 2},  {"Div", 2},     {"Pow", 2},
        {"Neg", 1}, {"Identity", 1}, {"Relu", 1}, {"Sigmoid", 1}, {"Tanh", 1},
        {"Exp", 1}, {"Log", 1},      {"Sqrt", 1}};
    if (auto a = arity.find(op);
        a != arity.end() && n.input_size() != a->second)
      fail(fmt::format("node '{}' (Gradient): node '{}' ({}) between xs and "
                       "y has {} inputs, {} expects {}",
                       w.node.name(), n.name().empty() ? out : n.name(), op,
                       n.input_size(), op, a->second));
    auto in = [&](int i) -> const std::string & { return n.input(i); };
    if (op == "Add" || op == "Sub") {
      accumulate(in(0), [&] { return unbroadcast(g, in(0)); });
      accumulate(in(1), [&] {
        return unbroadcast(op == "Add" ? g : w.op("Neg", {g}), in(1));
      });
    } else if (op == "Mul") {
      accumulate(in(0), [&] { return unbroadcast(w.mul(g, in(1)), in(0)); });
      accumulate(in(1), [&] { return unbroadcast(w.mul(g, in(0)), in(1)); });
    } else if (op == "Div") {
      // d(a/b)/db = -(a/b)/b
      accumulate(in(0), [&] { return unbroadcast(w.div(g, in(1)), in(0)); });
      accumulate(in(1), [&] {
        return unbroadcast(w.op("Neg", {w.div(w.mul(g, out), in(1))}), in(1));
      });
    } else if (op == "Pow") {
      // d(a^b)/da = b a^(b-1); d(a^b)/db = a^b log(a)
      const std::string &a = in(0), &e = in(1);
      accumulate(a, [&] {
        std::string ec = w.op("CastLike", {e, a});
        std::string da = w.mul(ec, w.op("Pow", {a, w.sub(ec, w.scalar(1, a))}));
        return unbroadcast(w.mul(g, da), a);
      });
      accumulate(e, [&] {
        return unbroadcast(w.mul(g, w.mul(out, w.op("Log", {a}))), e);
      });
    } else if (op == "Neg") {
      accumulate(in(0), [&] { return w.op("Neg", {g}); });
    } else if (op == "Identity") {
      accumulate(in(0), [&] { return g; });
    } else if (op == "Relu") {
      accumulate(in(0), [&] {
        std::string positive = w.op("Greater", {in(0), w.scalar(0, in(0))});
        return w.mul(g, w.op("CastLike", {positive, g}));
      });
    } else if (op == "Sigmoid") {
      accumulate(in(0), [&] {
        return w.mul(g, w.mul(out, w.sub(w.scalar(1, out), out)));
      });
    } else if (op == "Tanh") {
      accumulate(in(0), [&] {
        return w.mul(g, w.sub(w.scalar(1, out), w.mul(out, out)));
      });
    } else if (op == "Exp") {
      accumulate(in(0), [&] { return w.mul(g, out); });
    } else if (op == "Log") {
      accumulate(in(0), [&] { return w.div(g, in(0)); });
    } else if (op == "Sqrt") {
      accumulate(in(0), [&] { return w.div(g, w.mul(w.scalar(2, out), out)); });
    } else {
      unsupported(n);
    }
  }

  [[noreturn]] void unsupported(const ::onnx::NodeProto &n) {
    fail(fmt::format("node '{}' (Gradient): node '{}' ({}) lies between xs "
                     "and y, and onnxc does not differentiate it yet (Add, "
                     "Sub, Mul, Div, Pow, Neg, Identity, Relu, Sigmoid, Tanh, "
                     "Exp, Log and Sqrt)",
                     w.node.name(), n.name().empty() ? n.output(0) : n.name(),
                     n.op_type()));
  }

  NodeWriter &w;
  const ProducerLookup &producerOf;
  std::set<std::string> targets;
  std::map<std::string, bool> depends;
  std::map<std::string, std::string> grads;
};

} // namespace

std::vector<::onnx::NodeProto>
expandGradient(const ::onnx::NodeProto &node,
               const ProducerLookup &producerOf) {
  NodeWriter w(node);
  Differentiator(w, producerOf).run();
  return std::move(w.nodes);
}

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
