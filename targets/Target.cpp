// The target registry: maps --target names to TargetInfo.
#include "targets/Target.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

namespace onnxc {

const char *knownTargetNames() { return "host, x86-64-avx2, x86-64-avx512"; }

std::optional<TargetInfo> lookupTarget(const std::string &name,
                                       std::string &error) {
  if (name == "host" || name.empty()) {
    llvm::Triple host(llvm::sys::getProcessTriple());
    if (host.getArch() == llvm::Triple::x86_64)
      return x86::hostVariant();
    error = "no code generator for the host architecture " + host.str();
    return std::nullopt;
  }
  if (auto info = x86::lookup(name))
    return info;
  error = "unknown target '" + name + "' (known: " + knownTargetNames() + ")";
  return std::nullopt;
}

} // namespace onnxc
