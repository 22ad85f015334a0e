// Specializing an imported model for what the caller knows of its inputs:
// their values (--bind) or their shapes, a sequence's length and the
// shapes of its tensors among them (--shape).
#include "compiler/importer/ImportError.h"
#include "compiler/importer/Importer.h"
#include "compiler/importer/Tensors.h"
#include "dialects/onnx/IR/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <cctype>
#include <string>

using namespace mlir;

namespace onnxc {
namespace {

using importer::fail;
using importer::ImportError;

/// The graph function, or a failure naming `flag`.
func::FuncOp graphFunction(ModuleOp module, const char *flag) {
  auto funcs = module.getOps<func::FuncOp>();
  if (funcs.empty())
    fail(fmt::format("{}: the module has no graph function", flag));
  return *funcs.begin();
}

/// "name=rest" split at the first '=', or a failure naming `flag` and the
/// form it takes.
std::pair<std::string, std::string>
splitSpec(const std::string &spec, const char *flag, const char *form) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    fail(fmt::format("{} '{}' is not of the form {}", flag, spec, form));
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

/// The position of the graph input called `name`.
unsigned inputIndex(func::FuncOp func, const std::string &name,
                    const char *flag) {
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto n = func.getArgAttrOfType<StringAttr>(i, "onnx.name");
        n && n.getValue() == name)
      return i;
  fail(fmt::format("{}: the model has no input '{}'", flag, name));
}

std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

/// What --shape says of one input: a tensor's shape, a sequence's tensor
/// shapes, or an absent optional.
struct ShapeSpec {
  enum Kind { Tensor, Sequence, None } kind = Tensor;
  SmallVector<SmallVector<int64_t>> shapes; // one for a Tensor
};

/// Parses "[2,3]" (a tensor; "[]" a scalar), "{[2],[3]}" (a sequence of
/// tensors; "{}" an empty one) or "none" (an optional left out). White
/// space is ignored.
class SpecParser {
public:
  SpecParser(const std::string &original, const std::string &what)
      : original(original), what(what) {
    for (char c : original)
      if (!std::isspace(static_cast<unsigned char>(c)))
        text += c;
  }

  ShapeSpec parse() {
    ShapeSpec spec;
    if (text == "none") {
      spec.kind = ShapeSpec::None;
      return spec;
    }
    if (peek() == '{') {
      spec.kind = ShapeSpec::Sequence;
      ++pos;
      if (peek() != '}') {
        spec.shapes.push_back(shape());
        while (peek() == ',') {
          ++pos;
          spec.shapes.push_back(shape());
        }
      }
      expect('}');
    } else {
      spec.shapes.push_back(shape());
    }
    if (pos != text.size())
      bad();
    return spec;
  }

private:
  char peek() const { return pos < text.size() ? text[pos] : '\0'; }
  void expect(char c) {
    if (peek() != c)
      bad();
    ++pos;
  }
  [[noreturn]] void bad() {
    fail(fmt::format("{}: '{}' is not a shape: write [d0,d1,...] for a "
                     "tensor, {{[...],[...]}} for a sequence of tensors or "
                     "'none' for an optional left out",
                     what, original));
  }
  SmallVector<int64_t> shape() {
    SmallVector<int64_t> dims;
    expect('[');
    while (peek() != ']') {
      if (!dims.empty())
        expect(',');
      size_t start = pos;
      while (std::isdigit(static_cast<unsigned char>(peek())) &&
             pos - start < 12)
        ++pos;
      if (pos == start || std::isdigit(static_cast<unsigned char>(peek())))
        bad();
      dims.push_back(std::stoll(text.substr(start, pos - start)));
    }
    ++pos;
    return dims;
  }

  const std::string &original;
  std::string text; // `original` without white space
  const std::string &what;
  size_t pos = 0;
};

/// The tensor type of `shape` when it fits `declared` (a ranked tensor's
/// static dims must agree), or a failure.
RankedTensorType fitShape(ArrayRef<int64_t> shape, Type declared,
                          const std::string &what) {
  auto tensor = llvm::dyn_cast<TensorType>(declared);
  if (!tensor || llvm::isa<onnx::UnknownType>(tensor.getElementType()))
    fail(fmt::format("{}: the model declares no element type for it", what));
  auto type = RankedTensorType::get(shape, tensor.getElementType());
  if (failed(verifyCompatibleShape(type, tensor)))
    fail(fmt::format("{}: {} does not fit its declared type {}", what,
                     typeString(type), typeString(declared)));
  return type;
}

void shapeInput(func::FuncOp func, const std::string &spec) {
  auto [name, text] = splitSpec(spec, "--shape", "name=shape");
  unsigned index = inputIndex(func, name, "--shape");
  std::string what = fmt::format("--shape {}", spec);
  ShapeSpec shape = SpecParser(text, what).parse();
  auto kind = func.getArgAttrOfType<StringAttr>(index, "onnx.kind");
  auto holds = func.getArgAttrOfType<TypeAttr>(index, "onnx.holds");
  bool optional = func.getArgAttr(index, "onnx.optional") ||
                  (kind && kind.getValue().starts_with("an optional"));
  bool sequence = kind && kind.getValue().ends_with("sequence");
  BlockArgument arg = func.getArgument(index);
  Block &body = func.getBody().front();
  OpBuilder b(&body, body.begin());

  switch (shape.kind) {
  case ShapeSpec::None: {
    if (!optional)
      fail(fmt::format("{}: input '{}' is not an optional", what, name));
    auto none = b.create<onnx::NoValueOp>(arg.getLoc(), b.getNoneType());
    arg.replaceAllUsesWith(none.getResult());
    func.eraseArgument(index);
    return;
  }
  case ShapeSpec::Sequence: {
    if (!sequence || !holds)
      fail(fmt::format("{}: input '{}' is not a sequence of tensors", what,
                       name));
    // One input per tensor, named "name[i]", in the sequence's place.
    SmallVector<Value> elements;
    for (auto [i, dims] : llvm::enumerate(shape.shapes)) {
      std::string element = fmt::format("{}[{}]", name, i);
      RankedTensorType type =
          fitShape(dims, holds.getValue(),
                   fmt::format("{}: tensor {} of the sequence", what, i));
      NamedAttrList attrs;
      attrs.set("onnx.name", b.getStringAttr(element));
      attrs.set("onnx.sequence", b.getStringAttr(name));
      attrs.set("onnx.element", b.getI64IntegerAttr(i));
      func.insertArgument(index + i, type, attrs.getDictionary(b.getContext()),
                          arg.getLoc());
      elements.push_back(func.getArgument(index + i));
    }
    auto list = b.create<onnx::SequenceConstructOp>(arg.getLoc(), arg.getType(),
                                                    elements);
    arg.replaceAllUsesWith(list.getResult());
    func.eraseArgument(arg.getArgNumber());
    return;
  }
  case ShapeSpec::Tensor: {
    if (sequence)
      fail(fmt::format("{}: input '{}' is a sequence; write its tensors' "
                       "shapes as {{[...],[...]}}",
                       what, name));
    Type declared = holds ? holds.getValue() : arg.getType();
    RankedTensorType type = fitShape(shape.shapes[0], declared, what);
    arg.setType(type);
    SmallVector<Type> inputs(body.getArgumentTypes());
    func.setType(FunctionType::get(func.getContext(), inputs,
                                   func.getFunctionType().getResults()));
    func.removeArgAttr(index, "onnx.dim_params");
    func.removeArgAttr(index, "onnx.kind");
    func.removeArgAttr(index, "onnx.holds");
    if (optional) // the caller leaves it out with NULL
      func.setArgAttr(index, "onnx.optional", b.getUnitAttr());
    return;
  }
  }
}

} // namespace

bool bindInputs(ModuleOp module, const std::vector<std::string> &bindings,
                std::string &error) {
  if (bindings.empty())
    return true;
  importer::TensorContext tensors{module.getContext(), std::nullopt};
  try {
    func::FuncOp func = graphFunction(module, "--bind");
    for (const std::string &binding : bindings) {
      auto [name, path] = splitSpec(binding, "--bind", "name=file.pb");
      unsigned index = inputIndex(func, name, "--bind");
      auto buffer = llvm::MemoryBuffer::getFile(path);
      ::onnx::TensorProto proto;
      if (!buffer)
        fail(fmt::format("{}: cannot read: {}", path,
                         buffer.getError().message()));
      if (!proto.ParseFromArray((*buffer)->getBufferStart(),
                                (*buffer)->getBufferSize()))
        fail(fmt::format("{}: not a serialized TensorProto", path));
      ElementsAttr value = importer::importTensor(
          tensors, proto, fmt::format("bound input '{}'", name));
      BlockArgument arg = func.getArgument(index);
      auto want = llvm::dyn_cast<RankedTensorType>(arg.getType());
      auto got = llvm::cast<RankedTensorType>(value.getType());
      bool fits = !want || (want.getElementType() == got.getElementType() &&
                            succeeded(verifyCompatibleShape(want, got)));
      if (!fits)
        fail(fmt::format("{}: a tensor of type {} cannot stand for input "
                         "'{}' of type {}",
                         path, typeString(got), name,
                         typeString(arg.getType())));
      OpBuilder b(&func.getBody().front(), func.getBody().front().begin());
      auto constant =
          b.create<onnx::ConstantOp>(arg.getLoc(), value.getType(), value);
      arg.replaceAllUsesWith(constant.getResult());
      func.eraseArgument(index);
    }
  } catch (const ImportError &e) {
    error = e.message;
    return false;
  }
  return true;
}

bool shapeInputs(ModuleOp module, const std::vector<std::string> &shapes,
                 std::string &error) {
  if (shapes.empty())
    return true;
  try {
    func::FuncOp func = graphFunction(module, "--shape");
    for (const std::string &spec : shapes)
      shapeInput(func, spec);
  } catch (const ImportError &e) {
    error = e.message;
    return false;
  }
  return true;
}

} // namespace onnxc
