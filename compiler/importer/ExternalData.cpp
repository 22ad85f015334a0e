// Secure loading of external tensor data (ONNX `data_location: EXTERNAL`).
//
// The attacks this refuses (CVE-2022-25882, CVE-2024-27318 and later
// symlink/hard-link variants) all make `location` name a file outside the
// model's folder. The check is done on the file actually opened: its
// resolved path (through /proc/self/fd) must lie inside the resolved model
// folder, it must be a regular file with a single link, and the requested
// range must lie inside it.
#include "compiler/importer/ExternalData.h"

#include "compiler/importer/ImportError.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace onnxc::importer {
namespace {

std::string realPath(const std::string &path) {
  char buffer[PATH_MAX];
  if (!::realpath(path.c_str(), buffer))
    return {};
  return buffer;
}

/// Closes a file descriptor on every path out.
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0)
      ::close(fd);
  }
};

uint64_t parseSize(const std::string &value, const std::string &key,
                   const std::string &what) {
  if (value.empty() ||
      value.find_first_not_of("0123456789") != std::string::npos)
    fail(fmt::format("{}: external data {} '{}' is not a non-negative number",
                     what, key, value));
  errno = 0;
  unsigned long long v = std::strtoull(value.c_str(), nullptr, 10);
  if (errno == ERANGE)
    fail(fmt::format("{}: external data {} '{}' is out of range", what, key,
                     value));
  return v;
}

} // namespace

mlir::AsmResourceBlob loadExternalData(const ::onnx::TensorProto &t,
                                       size_t bytes, size_t alignment,
                                       const std::string &modelDir,
                                       const std::string &what) {
  std::string location;
  std::optional<uint64_t> offset, length;
  for (const auto &entry : t.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = parseSize(entry.value(), "offset", what);
    else if (entry.key() == "length")
      length = parseSize(entry.value(), "length", what);
  }
  if (location.empty())
    fail(fmt::format("{}: external data has no location", what));

  // The location is a relative path below the model's folder.
  namespace path = llvm::sys::path;
  if (path::is_absolute(location) || location.find('\0') != std::string::npos)
    fail(fmt::format("{}: external data location '{}' is absolute; it must "
                     "be relative to the model's folder",
                     what, location));
  for (auto it = path::begin(location), e = path::end(location); it != e; ++it)
    if (*it == "..")
      fail(fmt::format("{}: external data location '{}' leaves the model's "
                       "folder",
                       what, location));

  std::string root = realPath(modelDir.empty() ? "." : modelDir);
  if (root.empty())
    fail(fmt::format("{}: cannot resolve the model's folder '{}'", what,
                     modelDir));
  llvm::SmallString<256> full(root);
  path::append(full, location);

  FileDescriptor file;
  file.fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (file.fd < 0)
    fail(fmt::format("{}: cannot open external data '{}': {}", what, location,
                     std::strerror(errno)));
  // Resolve what was opened, not the name: a symlink swapped in between a
  // check and the open cannot redirect the read.
  std::string opened = realPath(fmt::format("/proc/self/fd/{}", file.fd));
  if (opened.empty())
    opened = realPath(full.str().str());
  std::string prefix = root == "/" ? root : root + "/";
  if (opened.compare(0, prefix.size(), prefix) != 0)
    fail(fmt::format("{}: external data '{}' resolves to '{}', outside the "
                     "model's folder",
                     what, location, opened));
  struct stat st;
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode))
    fail(fmt::format("{}: external data '{}' is not a regular file", what,
                     location));
  if (st.st_nlink > 1)
    fail(fmt::format("{}: external data '{}' has {} hard links; a file linked "
                     "from elsewhere is refused",
                     what, location, static_cast<uint64_t>(st.st_nlink)));

  uint64_t start = offset.value_or(0);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  uint64_t count = length.value_or(size >= start ? size - start : 0);
  if (start > size || count > size - start)
    fail(fmt::format("{}: external data '{}' range [{}, {}) is beyond the "
                     "file's {} bytes",
                     what, location, start, start + count, size));
  if (count != bytes)
    fail(fmt::format("{}: external data '{}' holds {} bytes, the tensor needs "
                     "{}",
                     what, location, count, bytes));
  if (bytes == 0)
    return mlir::HeapAsmResourceBlob::allocate(0, alignment);

  // Map the range read-only: weights are not copied, and pages of a model
  // larger than memory are read on demand.
  long page = ::sysconf(_SC_PAGESIZE);
  uint64_t mapStart = start / page * page;
  size_t mapSize = static_cast<size_t>(start - mapStart + bytes);
  void *base = ::mmap(nullptr, mapSize, PROT_READ, MAP_PRIVATE, file.fd,
                      static_cast<off_t>(mapStart));
  if (base == MAP_FAILED)
    fail(fmt::format("{}: cannot map external data '{}': {}", what, location,
                     std::strerror(errno)));
  const char *data = static_cast<const char *>(base) + (start - mapStart);
  if (reinterpret_cast<uintptr_t>(data) % alignment != 0) {
    // A misaligned offset: copy into aligned memory.
    mlir::AsmResourceBlob copy =
        mlir::HeapAsmResourceBlob::allocateAndCopyWithAlign(
            llvm::ArrayRef<char>(data, bytes), alignment);
    ::munmap(base, mapSize);
    return copy;
  }
  return mlir::AsmResourceBlob(
      llvm::ArrayRef<char>(data, bytes), alignment,
      [base, mapSize](void *, size_t, size_t) { ::munmap(base, mapSize); },
      /*dataIsMutable=*/false);
}

} // namespace onnxc::importer
