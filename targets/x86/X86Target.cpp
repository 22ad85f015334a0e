// x86-64 variants: AVX2 (Haswell and later) and AVX-512 (Skylake-SP, Zen 4).
#include "targets/Target.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

namespace onnxc::x86 {

static TargetInfo avx2() {
  TargetInfo t;
  t.name = "x86-64-avx2";
  t.triple = "x86_64-unknown-linux-gnu";
  t.cpu = "haswell";
  t.features = "+sse4.1,+avx,+avx2,+fma,+f16c";
  t.halideTarget = "x86-64-linux-sse41-avx-f16c-fma-avx2";
  t.vectorBits = 256;
  return t;
}

static TargetInfo avx512() {
  TargetInfo t;
  t.name = "x86-64-avx512";
  t.triple = "x86_64-unknown-linux-gnu";
  t.cpu = "skylake-avx512";
  t.features = "+sse4.1,+avx,+avx2,+fma,+f16c,+avx512f,+avx512cd,+avx512bw,"
               "+avx512dq,+avx512vl";
  t.halideTarget = "x86-64-linux-sse41-avx-f16c-fma-avx2-avx512-avx512_skylake";
  t.vectorBits = 512;
  t.l2Bytes = 1024 * 1024;
  return t;
}

std::optional<TargetInfo> lookup(const std::string &name) {
  if (name == "x86-64-avx2")
    return avx2();
  if (name == "x86-64-avx512")
    return avx512();
  return std::nullopt;
}

TargetInfo hostVariant() {
  llvm::StringMap<bool> f = llvm::sys::getHostCPUFeatures();
  auto has = [&](const char *name) { return f.lookup(name); };
  if (has("avx512f") && has("avx512cd") && has("avx512bw") && has("avx512dq") &&
      has("avx512vl"))
    return avx512();
  if (has("avx2") && has("fma") && has("f16c"))
    return avx2();
  // A baseline x86-64 with SSE4.1 only: no wide vectors.
  TargetInfo t;
  t.name = "x86-64-sse41";
  t.triple = "x86_64-unknown-linux-gnu";
  t.cpu = "x86-64";
  t.features = "+sse4.1";
  t.halideTarget = "x86-64-linux-sse41";
  t.vectorBits = 128;
  return t;
}

} // namespace onnxc::x86
