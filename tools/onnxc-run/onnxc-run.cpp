// onnxc-run: compiles a model through the object-file path, loads it as a
// shared library, runs it on tensor files, compares and times it.
#include "TensorIO.h"
#include "compiler/pipeline/Pipeline.h"
#include "onnxc/runtime.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <dlfcn.h>

namespace cl = llvm::cl;
using namespace onnxc;

namespace {

using RunFn = int (*)(const void *const *, void *const *, void *);
using RunBatchFn = int (*)(int64_t, const void *const *, void *const *, void *);
using SizeFn = size_t (*)();
using ThreadsFn = void (*)(int);

int fail(const std::string &message) {
  llvm::errs() << "onnxc-run: error: " << message << "\n";
  return 1;
}

/// Links `object` into a shared library with the system C compiler.
/// -Bsymbolic keeps the model's Halide runtime bound to itself rather than
/// to any halide_* symbol already in this process.
bool linkSharedLibrary(const std::string &object, const std::string &library,
                       const std::vector<std::string> &libraries,
                       std::string &error) {
  const char *envCC = std::getenv("CC");
  auto cc = llvm::sys::findProgramByName(envCC && *envCC ? envCC : "cc");
  if (!cc) {
    error = "no C compiler ('cc') on PATH to link the model";
    return false;
  }
  // The runtime library (string kernels): ONNXC_RUNTIME_LIB, else
  // lib/libonnxc_runtime.a beside this tool's bin/.
  std::string runtime;
  if (const char *env = std::getenv("ONNXC_RUNTIME_LIB"); env && *env) {
    runtime = env;
  } else {
    llvm::SmallString<256> path(llvm::sys::fs::getMainExecutable(
        "onnxc-run", reinterpret_cast<void *>(&linkSharedLibrary)));
    llvm::sys::path::remove_filename(path); // bin
    llvm::sys::path::remove_filename(path);
    llvm::sys::path::append(path, "lib", "libonnxc_runtime.a");
    runtime = path.str().str();
  }
  if (!llvm::sys::fs::exists(runtime)) {
    error = "the onnxc runtime library is not at " + runtime +
            " (set ONNXC_RUNTIME_LIB)";
    return false;
  }
  // Other libraries the model needs (onnxc_image...): archives of this
  // build beside the runtime, or the system's.
  std::vector<std::string> extra;
  for (const std::string &name : libraries) {
    llvm::SmallString<256> archive(runtime);
    llvm::sys::path::remove_filename(archive);
    llvm::sys::path::append(archive, "lib" + name + ".a");
    extra.push_back(llvm::sys::fs::exists(archive) ? archive.str().str()
                                                   : "-l" + name);
  }
  std::vector<llvm::StringRef> args{*cc,  "-shared", "-Wl,-Bsymbolic",
                                    "-o", library,   object};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {runtime, "-lpthread", "-lm", "-ldl"});
  std::string message;
  int rc =
      llvm::sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    error = "linking " + library + " failed" +
            (message.empty() ? "" : ": " + message);
    return false;
  }
  return true;
}

/// `--inputs a b --compare c d` takes several files per flag; cl::opt wants
/// one value per flag, so spell it `--inputs=a --inputs=b ...`.
std::vector<std::string> expandMultiValueFlags(int argc, char **argv) {
  std::vector<std::string> out;
  std::string current;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--inputs" || arg == "-inputs" || arg == "--compare" ||
        arg == "-compare") {
      current = arg.substr(arg.find_first_not_of('-'));
      continue;
    }
    if (!current.empty() && !arg.empty() && arg[0] != '-') {
      out.push_back("--" + current + "=" + arg);
      continue;
    }
    current.clear();
    out.push_back(arg);
  }
  return out;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::vector<std::string> expanded = expandMultiValueFlags(argc, argv);
  std::vector<const char *> args;
  for (const std::string &a : expanded)
    args.push_back(a.c_str());
  // libLLVM registers global options (one is named "threads"); this tool's
  // flags are its own.
  cl::ResetCommandLineParser();
  cl::OptionCategory category("onnxc-run options");
  cl::opt<std::string> model(cl::Positional, cl::desc("<model.onnx>"),
                             cl::Required, cl::cat(category));
  cl::list<std::string> inputs("inputs",
                               cl::desc("Input tensors (.npy/.pb; 'absent' "
                                        "for an optional input left out)"),
                               cl::value_desc("file"), cl::ZeroOrMore,
                               cl::cat(category));
  cl::list<std::string> expected(
      "compare", cl::desc("Expected outputs (.npy/.pb), in output order"),
      cl::value_desc("file"), cl::ZeroOrMore, cl::cat(category));
  cl::opt<double> rtol("rtol", cl::desc("Relative tolerance"), cl::init(1e-3),
                       cl::cat(category));
  cl::opt<double> atol("atol", cl::desc("Absolute tolerance"), cl::init(1e-5),
                       cl::cat(category));
  cl::opt<std::string> saveDir(
      "save-outputs",
      cl::desc("Write outputs as output_<i>.npy, tensor k of a sequence "
               "output as output_<i>_<k>.npy (bfloat16 as uint16 bits)"),
      cl::value_desc("dir"), cl::cat(category));
  cl::opt<int> threads("threads", cl::desc("Kernel threads (0: one per core)"),
                       cl::init(0), cl::cat(category));
  cl::opt<int> bench("bench", cl::desc("Time N runs after a warm-up"),
                     cl::init(0), cl::cat(category));
  onnxc::SpecializationFlags specialize(category);
  cl::opt<std::string> target("target", cl::desc("Compilation target"),
                              cl::init("host"), cl::cat(category));
  cl::opt<std::string> keep(
      "keep", cl::desc("Keep model.o, model.h and model.so in this directory"),
      cl::value_desc("dir"), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                              "onnxc-run: compile and run\n");

  // Compile to an object in a scratch directory, then to a shared library.
  llvm::SmallString<128> dir;
  if (!keep.empty()) {
    dir = keep;
    llvm::sys::fs::create_directories(dir);
  } else if (llvm::sys::fs::createUniqueDirectory("onnxc-run", dir)) {
    return fail("cannot create a temporary directory");
  }
  auto inDir = [&](const char *file) {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, file);
    return p.str().str();
  };
  std::string object = inDir("model.o"), library = inDir("model.so");
  auto cleanup = [&]() {
    if (keep.empty()) {
      for (const char *f : {"model.o", "model.h", "model.so"})
        llvm::sys::fs::remove(inDir(f));
      llvm::sys::fs::remove(dir);
    }
  };

  CompileOptions options;
  options.inputPath = model;
  options.outputPath = object;
  options.name = "model";
  options.target = target;
  specialize.apply(options);
  ModelSignature sig;
  std::string error;
  auto start = std::chrono::steady_clock::now();
  bool ok = compileModel(options, error, &sig) &&
            linkSharedLibrary(object, library, sig.libraries, error);
  double compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!ok) {
    cleanup();
    return fail(error);
  }
  void *handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  cleanup(); // the mapping stays valid after the files are removed
  if (!handle)
    return fail(std::string("cannot load the compiled model: ") + dlerror());
  auto runOne = reinterpret_cast<RunFn>(dlsym(handle, "model_run"));
  auto runBatch =
      reinterpret_cast<RunBatchFn>(dlsym(handle, "model_run_batch"));
  auto wsSize = reinterpret_cast<SizeFn>(dlsym(handle, "model_workspace_size"));
  auto setThreads =
      reinterpret_cast<ThreadsFn>(dlsym(handle, "model_set_num_threads"));
  if (!runOne || !wsSize || !setThreads || (sig.hasBatch && !runBatch))
    return fail("the compiled model lacks its entry points");
  llvm::outs() << "compiled " << model << " in "
               << llvm::format("%.2f", compileSeconds) << " s\n";

  // Inputs must match the model's signature; trailing inputs with a
  // default (initializers listed as inputs) may be left out, and then take
  // the model's value.
  size_t required = sig.inputs.size();
  while (required > 0 && sig.inputs[required - 1].hasDefault)
    --required;
  if (inputs.size() > sig.inputs.size() || inputs.size() < required)
    return fail(
        "the model has " + std::to_string(sig.inputs.size()) + " inputs" +
        (required < sig.inputs.size()
             ? " (the last " + std::to_string(sig.inputs.size() - required) +
                   " with defaults)"
             : std::string()) +
        ", " + std::to_string(inputs.size()) + " given");
  std::vector<HostTensor> in(inputs.size());
  std::vector<const void *> inPtrs;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i] != "absent") {
      std::string err = readTensorFile(inputs[i], in[i]);
      if (!err.empty())
        return fail(err);
    }
  // A dynamic batch: as many items as the first batched input holds.
  int64_t batch = 1;
  for (size_t i = 0; i < inputs.size() && sig.hasBatch; ++i)
    if (sig.inputs[i].batched && inputs[i] != "absent") {
      if (in[i].shape.empty())
        return fail(inputs[i] + ": a scalar for the batched input '" +
                    sig.inputs[i].name + "'");
      batch = in[i].shape[0];
      break;
    }
  for (size_t i = 0; i < inputs.size(); ++i) {
    // An optional input left out: `--inputs absent`.
    if (inputs[i] == "absent") {
      if (!sig.inputs[i].isOptional)
        return fail("input '" + sig.inputs[i].name +
                    "' is not optional; it cannot be absent");
      inPtrs.push_back(nullptr);
      continue;
    }
    TensorSignature want = sig.inputs[i];
    if (want.batched)
      want.shape[0] = batch;
    // numpy has no bfloat16 or float8: .npy files hold their bits as
    // uint16 and uint8, and 4-bit integers as bytes (what --save writes).
    if (isBitsOf(in[i].dtype, want.dtype))
      in[i].dtype = want.dtype;
    if (in[i].dtype != want.dtype || in[i].shape != want.shape)
      return fail(inputs[i] + ": " + dtypeName(in[i].dtype) + " " +
                  shapeToString(in[i].shape) + " does not match input '" +
                  want.name + "' (" + dtypeName(want.dtype) + " " +
                  shapeToString(want.shape) + ")");
    inPtrs.push_back(in[i].data.data());
  }
  inPtrs.resize(sig.inputs.size(), nullptr); // the defaults
  std::vector<HostTensor> out(sig.outputs.size());
  std::vector<void *> outPtrs;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].name = sig.outputs[i].name;
    out[i].dtype = sig.outputs[i].dtype;
    out[i].shape = sig.outputs[i].shape;
    if (sig.outputs[i].batched)
      out[i].shape[0] = batch;
    out[i].data.assign(out[i].numElements() * out[i].elementSize(), 0);
    outPtrs.push_back(out[i].data.data());
  }
  // 64-byte aligned, as the header recommends.
  size_t wsBytes = wsSize();
  void *workspace = nullptr;
  if (wsBytes && posix_memalign(&workspace, 64, wsBytes) != 0)
    return fail("cannot allocate the " + std::to_string(wsBytes) +
                "-byte workspace");

  setThreads(threads);
  // Each run hands every string output's elements to the caller.
  auto freeStrings = [&]() {
    for (HostTensor &t : out)
      if (t.dtype == ONNXC_STRING)
        onnxc_free_strings(reinterpret_cast<onnxc_string *>(t.data.data()),
                           static_cast<size_t>(t.numElements()));
  };
  auto run = [&](const void *const *in, void *const *out, void *ws) {
    return sig.hasBatch ? runBatch(batch, in, out, ws) : runOne(in, out, ws);
  };
  int rc = run(inPtrs.data(), outPtrs.data(), workspace);
  if (rc != ONNXC_OK)
    return fail(std::string("the model failed: ") + onnxc_status_message(rc));

  int status = 0;
  if (!expected.empty() && expected.size() != out.size())
    return fail("the model has " + std::to_string(out.size()) + " outputs, " +
                std::to_string(expected.size()) + " expected files given");
  for (size_t i = 0; i < out.size(); ++i) {
    llvm::outs() << "output " << i << " '" << out[i].name << "' "
                 << shapeToString(out[i].shape);
    if (expected.empty() && out[i].dtype == ONNXC_STRING) {
      llvm::outs() << ":";
      std::vector<std::string> strings = stringElements(out[i]);
      for (size_t j = 0; j < std::min<size_t>(strings.size(), 8); ++j)
        llvm::outs() << " \"" << llvm::StringRef(strings[j]) << "\"";
      llvm::outs() << (strings.size() > 8 ? " ...\n" : "\n");
      continue;
    }
    if (expected.empty()) {
      llvm::outs() << ":";
      for (int64_t j = 0; j < std::min<int64_t>(out[i].numElements(), 8); ++j)
        llvm::outs() << " "
                     << llvm::format("%.6g", elementAsDouble(
                                                 out[i].dtype,
                                                 out[i].data.data() +
                                                     j * out[i].elementSize()));
      llvm::outs() << (out[i].numElements() > 8 ? " ...\n" : "\n");
      continue;
    }
    HostTensor want;
    std::string err = readTensorFile(expected[i], want);
    if (!err.empty())
      return fail(err);
    CompareResult cmp = compareTensors(out[i], want, rtol, atol);
    if (!cmp.error.empty()) {
      llvm::outs() << " MISMATCH: " << cmp.error << "\n";
      status = 1;
      continue;
    }
    llvm::outs() << llvm::format(" max_abs_err=%.3g max_rel_err=%.3g ",
                                 cmp.maxAbsError, cmp.maxRelError)
                 << (cmp.mismatches ? "MISMATCH" : "OK");
    if (cmp.mismatches) {
      llvm::outs() << " (" << cmp.mismatches
                   << " elements outside rtol=" << rtol << " atol=" << atol
                   << ", first at flat index " << cmp.firstMismatch << ")";
      status = 1;
    }
    llvm::outs() << "\n";
  }

  if (!saveDir.empty()) {
    llvm::sys::fs::create_directories(saveDir);
    for (size_t i = 0; i < out.size(); ++i) {
      llvm::SmallString<128> p(saveDir);
      // Graph output g is output_<g>.npy, or output_<g>_<k>.npy for
      // tensor k of a sequence.
      std::string file = "output_" + std::to_string(sig.outputs[i].graphOutput);
      if (!sig.outputs[i].sequence.empty())
        file += "_" + std::to_string(sig.outputs[i].element);
      llvm::sys::path::append(p, file + ".npy");
      std::string err = writeNpy(p.str().str(), out[i]);
      if (!err.empty())
        return fail(err);
    }
  }

  freeStrings();
  if (bench > 0) {
    for (int i = 0; i < 3; ++i) {
      run(inPtrs.data(), outPtrs.data(), workspace);
      freeStrings();
    }
    std::vector<double> ms;
    for (int i = 0; i < bench; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      run(inPtrs.data(), outPtrs.data(), workspace);
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
      freeStrings();
    }
    std::sort(ms.begin(), ms.end());
    double median = ms.size() % 2
                        ? ms[ms.size() / 2]
                        : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
    llvm::outs() << llvm::format("latency_ms median=%.3f min=%.3f\n", median,
                                 ms.front());
  }
  free(workspace);
  return status;
}
