// What code generation needs to know about a target: the LLVM triple, CPU
// and features, the matching Halide target, and the sizes that drive the
// schedules.
#ifndef ONNXC_TARGETS_TARGET_H
#define ONNXC_TARGETS_TARGET_H

#include <optional>
#include <string>

namespace onnxc {

struct TargetInfo {
  std::string name;         // the --target spelling, e.g. "x86-64-avx512"
  std::string triple;       // LLVM target triple
  std::string cpu;          // LLVM CPU name for the host code
  std::string features;     // LLVM feature string for the host code
  std::string halideTarget; // Halide::Target string for the kernels
  int vectorBits = 128;     // widest native vector register
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 512 * 1024;

  /// float32 lanes in one native vector.
  int floatLanes() const { return vectorBits / 32; }
};

/// Resolves a --target name: "host" picks the best variant the running CPU
/// supports. Returns std::nullopt and sets `error` for an unknown name.
std::optional<TargetInfo> lookupTarget(const std::string &name,
                                       std::string &error);

/// The names lookupTarget accepts, for help text and errors.
const char *knownTargetNames();

namespace x86 {
std::optional<TargetInfo> lookup(const std::string &name);
/// The best x86-64 variant for the CPU this process runs on.
TargetInfo hostVariant();
} // namespace x86

} // namespace onnxc

#endif
