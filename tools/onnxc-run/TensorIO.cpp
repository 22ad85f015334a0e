// Host tensor file I/O (.npy, ONNX TensorProto) and comparison for onnxc-run.
#include "TensorIO.h"

#include "onnxc/runtime.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "TensorIO copies little-endian file data directly into host memory"
#endif

namespace onnxc {
namespace {

std::string fileError(const std::string &path, const std::string &what) {
  return path + ": " + what;
}

// Reads by chunks rather than trusting a seek-reported size, which is
// meaningless for pipes and directories.
std::string readWholeFile(const std::string &path, std::string &bytes) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return fileError(path, std::string("cannot open: ") + std::strerror(errno));
  bytes.clear();
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    bytes.append(buf, n);
  bool failed = std::ferror(f) != 0;
  int savedErrno = errno;
  std::fclose(f);
  if (failed)
    return fileError(path,
                     std::string("read error: ") + std::strerror(savedErrno));
  return "";
}

// Product of the dims times the element size, rejecting negative dims and
// anything that does not fit in the address space.
bool checkedByteCount(const std::vector<int64_t> &shape, size_t elemSize,
                      uint64_t &numElements, uint64_t &numBytes) {
  const uint64_t limit = std::numeric_limits<size_t>::max() / 2;
  uint64_t count = 1;
  bool hasZero = false;
  for (int64_t d : shape) {
    if (d < 0)
      return false;
    if (d == 0)
      hasZero = true;
  }
  if (hasZero) {
    numElements = 0;
    numBytes = 0;
    return true;
  }
  for (int64_t d : shape) {
    uint64_t ud = static_cast<uint64_t>(d);
    if (count > limit / ud)
      return false;
    count *= ud;
  }
  if (elemSize != 0 && count > limit / elemSize)
    return false;
  numElements = count;
  numBytes = count * elemSize;
  return true;
}

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  if (s.size() < n)
    return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - n + i])) !=
        suffix[i])
      return false;
  return true;
}

// --- .npy -----------------------------------------------------------------

struct NpyType {
  const char *descr; // As written by numpy on a little-endian host.
  int32_t dtype;
};

const NpyType kNpyTypes[] = {
    {"<f4", ONNXC_FLOAT32}, {"<f8", ONNXC_FLOAT64}, {"<f2", ONNXC_FLOAT16},
    {"|i1", ONNXC_INT8},    {"|u1", ONNXC_UINT8},   {"<i2", ONNXC_INT16},
    {"<u2", ONNXC_UINT16},  {"<i4", ONNXC_INT32},   {"<u4", ONNXC_UINT32},
    {"<i8", ONNXC_INT64},   {"<u8", ONNXC_UINT64},  {"|b1", ONNXC_BOOL},
};

// Parses the Python dict literal of a .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 10), }
class NpyHeaderParser {
public:
  explicit NpyHeaderParser(const std::string &text) : text_(text) {}

  std::string parse(std::string &descr, bool &fortranOrder,
                    std::vector<int64_t> &shape) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return "header is not a dict";
    for (;;) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (!parseString(key))
        return "malformed header key";
      skipSpace();
      if (!consume(':'))
        return "malformed header: expected ':' after '" + key + "'";
      skipSpace();
      if (key == "descr") {
        if (peek() == '[')
          return "structured dtypes are not supported";
        if (!parseString(descr))
          return "malformed 'descr' value";
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (!parseBool(fortranOrder))
          return "malformed 'fortran_order' value";
        haveOrder = true;
      } else if (key == "shape") {
        std::string err = parseShape(shape);
        if (!err.empty())
          return err;
        haveShape = true;
      } else {
        return "unexpected header key '" + key + "'";
      }
      skipSpace();
      if (consume(','))
        continue;
      if (consume('}'))
        break;
      return "malformed header: expected ',' or '}'";
    }
    skipSpace();
    if (pos_ != text_.size())
      return "trailing characters after the header dict";
    if (!haveDescr || !haveOrder || !haveShape)
      return "header lacks 'descr', 'fortran_order' or 'shape'";
    return "";
  }

private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  bool consume(char c) {
    if (peek() != c)
      return false;
    ++pos_;
    return true;
  }

  bool consumeWord(const char *word) {
    size_t n = std::strlen(word);
    if (text_.compare(pos_, n, word) != 0)
      return false;
    pos_ += n;
    return true;
  }

  void skipSpace() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }

  bool parseString(std::string &out) {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return false;
    size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string::npos)
      return false;
    out = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return true;
  }

  bool parseBool(bool &out) {
    if (consumeWord("True")) {
      out = true;
      return true;
    }
    if (consumeWord("False")) {
      out = false;
      return true;
    }
    return false;
  }

  std::string parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return "malformed 'shape' value";
    for (;;) {
      skipSpace();
      if (consume(')'))
        return "";
      if (!std::isdigit(static_cast<unsigned char>(peek())))
        return "malformed 'shape' value";
      int64_t value = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        int digit = text_[pos_++] - '0';
        if (value > (std::numeric_limits<int64_t>::max() - digit) / 10)
          return "shape dimension out of range";
        value = value * 10 + digit;
      }
      consume('L'); // Python 2 long literal.
      shape.push_back(value);
      skipSpace();
      if (consume(','))
        continue;
      if (consume(')'))
        return "";
      return "malformed 'shape' value";
    }
  }

  const std::string &text_;
  size_t pos_ = 0;
};

std::string descrToDtype(const std::string &descr, int32_t &dtype) {
  std::string body = descr;
  char order = '|';
  if (!body.empty() && std::strchr("<>=|", body[0])) {
    order = body[0];
    body = body.substr(1);
  }
  if (body == "?")
    body = "b1";
  for (const NpyType &t : kNpyTypes) {
    if (body != t.descr + 1)
      continue;
    if (order == '>' && dtypeSize(t.dtype) > 1)
      return "big-endian dtype '" + descr +
             "' is not supported; convert with "
             "array.astype(array.dtype.newbyteorder('<'))";
    dtype = t.dtype;
    return "";
  }
  return "unsupported dtype '" + descr + "'";
}

const char *dtypeToDescr(int32_t dtype) {
  // numpy has no bfloat16, float8 or 4-bit types: the type holding their
  // bits (isBitsOf).
  for (const NpyType &t : kNpyTypes)
    if (t.dtype == dtype || isBitsOf(t.dtype, dtype))
      return t.descr;
  return nullptr;
}

uint32_t readLE(const std::string &bytes, size_t offset, size_t width) {
  uint32_t v = 0;
  for (size_t i = 0; i < width; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[offset + i]))
         << (8 * i);
  return v;
}

std::string readNpy(const std::string &path, HostTensor &out) {
  std::string bytes;
  std::string err = readWholeFile(path, bytes);
  if (!err.empty())
    return err;

  static const char kMagic[] = "\x93NUMPY";
  const size_t kMagicLen = 6;
  if (bytes.size() < kMagicLen + 2 || bytes.compare(0, kMagicLen, kMagic) != 0)
    return fileError(path, "not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  unsigned minor = static_cast<unsigned char>(bytes[7]);
  size_t lenWidth;
  if (major == 1)
    lenWidth = 2;
  else if (major == 2 || major == 3)
    lenWidth = 4;
  else
    return fileError(path, "unsupported .npy version " + std::to_string(major) +
                               "." + std::to_string(minor));
  size_t headerStart = 8 + lenWidth;
  if (bytes.size() < headerStart)
    return fileError(path, "truncated .npy header");
  uint64_t headerLen = readLE(bytes, 8, lenWidth);
  if (headerLen > bytes.size() - headerStart)
    return fileError(path, "truncated .npy header");
  size_t dataStart = headerStart + static_cast<size_t>(headerLen);

  std::string header = bytes.substr(headerStart, headerLen);
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  err = NpyHeaderParser(header).parse(descr, fortranOrder, shape);
  if (!err.empty())
    return fileError(path, err);
  int32_t dtype = 0;
  err = descrToDtype(descr, dtype);
  if (!err.empty())
    return fileError(path, err);

  uint64_t numElements = 0, numBytes = 0;
  if (!checkedByteCount(shape, dtypeSize(dtype), numElements, numBytes))
    return fileError(path, "shape " + shapeToString(shape) + " is too large");
  // Column-major data would silently be transposed; 0-d and 1-d arrays are
  // the same in either order, so those are accepted.
  if (fortranOrder) {
    size_t nonTrivial = 0;
    for (int64_t d : shape)
      nonTrivial += d != 1;
    if (nonTrivial > 1)
      return fileError(path, "fortran_order arrays are not supported; save "
                             "with numpy.ascontiguousarray()");
  }
  uint64_t available = bytes.size() - dataStart;
  if (available < numBytes)
    return fileError(path, "truncated data: shape " + shapeToString(shape) +
                               " of " + dtypeName(dtype) + " needs " +
                               std::to_string(numBytes) + " bytes, file has " +
                               std::to_string(available));
  if (available > numBytes)
    return fileError(path, std::to_string(available - numBytes) +
                               " unexpected bytes after the array data");

  out.name.clear();
  out.dtype = dtype;
  out.shape = std::move(shape);
  out.data.assign(bytes.begin() + dataStart, bytes.end());
  return "";
}

// --- ONNX TensorProto -----------------------------------------------------

template <typename Dst, typename Field>
void copyTyped(const Field &field, std::vector<uint8_t> &data) {
  data.resize(static_cast<size_t>(field.size()) * sizeof(Dst));
  for (int i = 0; i < field.size(); ++i) {
    Dst v = static_cast<Dst>(field.Get(i));
    std::memcpy(data.data() + static_cast<size_t>(i) * sizeof(Dst), &v,
                sizeof(Dst));
  }
}

std::string readTensorProto(const std::string &path, HostTensor &out) {
  std::string bytes;
  std::string err = readWholeFile(path, bytes);
  if (!err.empty())
    return err;
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return fileError(path, "too large for a protobuf message");
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fileError(path, "not a valid onnx TensorProto");

  if (proto.data_location() == onnx::TensorProto::EXTERNAL ||
      proto.external_data_size() > 0)
    return fileError(path, "tensors with external data are not supported");
  if (proto.has_segment())
    return fileError(path, "segmented tensors are not supported");
  int32_t dtype = proto.data_type();
  size_t elemSize = dtypeSize(dtype);
  if (elemSize == 0)
    return fileError(path, std::string("unsupported data type ") +
                               dtypeName(dtype) + " (" + std::to_string(dtype) +
                               ")");

  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  uint64_t numElements = 0, numBytes = 0;
  if (!checkedByteCount(shape, elemSize, numElements, numBytes))
    return fileError(path, "invalid shape " + shapeToString(shape));
  if (dtype == ONNXC_STRING) {
    if (static_cast<uint64_t>(proto.string_data_size()) != numElements)
      return fileError(path, "string_data has " +
                                 std::to_string(proto.string_data_size()) +
                                 " strings, shape " + shapeToString(shape) +
                                 " needs " + std::to_string(numElements));
    out.name = proto.name();
    out.dtype = dtype;
    out.shape = shape;
    out.strings.assign(proto.string_data().begin(), proto.string_data().end());
    pointStrings(out);
    return "";
  }

  std::vector<uint8_t> data;
  bool fourBit = dtype == ONNXC_INT4 || dtype == ONNXC_UINT4;
  if (fourBit) {
    // Two elements per byte, the first in the low nibble, in raw_data or
    // in int32_data (one byte per value); unpacked to a byte each.
    std::string packed;
    if (proto.has_raw_data())
      packed = proto.raw_data();
    else
      for (int32_t v : proto.int32_data())
        packed.push_back(static_cast<char>(v));
    if (packed.size() != (numElements + 1) / 2)
      return fileError(path, "4-bit data has " + std::to_string(packed.size()) +
                                 " bytes, shape " + shapeToString(shape) +
                                 " needs " +
                                 std::to_string((numElements + 1) / 2));
    data.resize(numElements);
    for (uint64_t i = 0; i < numElements; ++i) {
      unsigned nibble =
          (static_cast<unsigned char>(packed[i / 2]) >> (4 * (i % 2))) & 0xF;
      data[i] = dtype == ONNXC_INT4 && nibble >= 8 ? nibble - 16 : nibble;
    }
  } else if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != numBytes)
      return fileError(path, "raw_data has " + std::to_string(raw.size()) +
                                 " bytes, shape " + shapeToString(shape) +
                                 " of " + dtypeName(dtype) + " needs " +
                                 std::to_string(numBytes));
    data.assign(raw.begin(), raw.end());
  } else {
    // Which repeated field holds the values depends on the type, per the
    // comments on TensorProto in onnx.proto; narrow types keep their values
    // (or float16 bit patterns) in int32_data.
    int count = 0;
    const char *field = "";
    switch (dtype) {
    case ONNXC_FLOAT32:
      count = proto.float_data_size();
      field = "float_data";
      copyTyped<float>(proto.float_data(), data);
      break;
    case ONNXC_FLOAT64:
      count = proto.double_data_size();
      field = "double_data";
      copyTyped<double>(proto.double_data(), data);
      break;
    case ONNXC_INT64:
      count = proto.int64_data_size();
      field = "int64_data";
      copyTyped<int64_t>(proto.int64_data(), data);
      break;
    case ONNXC_UINT32:
      count = proto.uint64_data_size();
      field = "uint64_data";
      copyTyped<uint32_t>(proto.uint64_data(), data);
      break;
    case ONNXC_UINT64:
      count = proto.uint64_data_size();
      field = "uint64_data";
      copyTyped<uint64_t>(proto.uint64_data(), data);
      break;
    case ONNXC_INT32:
      count = proto.int32_data_size();
      field = "int32_data";
      copyTyped<int32_t>(proto.int32_data(), data);
      break;
    case ONNXC_INT16:
      count = proto.int32_data_size();
      field = "int32_data";
      copyTyped<int16_t>(proto.int32_data(), data);
      break;
    case ONNXC_INT8:
      count = proto.int32_data_size();
      field = "int32_data";
      copyTyped<int8_t>(proto.int32_data(), data);
      break;
    case ONNXC_UINT16:
    case ONNXC_FLOAT16:
    case ONNXC_BFLOAT16:
      count = proto.int32_data_size();
      field = "int32_data";
      copyTyped<uint16_t>(proto.int32_data(), data);
      break;
    case ONNXC_UINT8:
    case ONNXC_FLOAT8E4M3FN:
    case ONNXC_FLOAT8E4M3FNUZ:
    case ONNXC_FLOAT8E5M2:
    case ONNXC_FLOAT8E5M2FNUZ:
      count = proto.int32_data_size();
      field = "int32_data";
      copyTyped<uint8_t>(proto.int32_data(), data);
      break;
    case ONNXC_BOOL:
      count = proto.int32_data_size();
      field = "int32_data";
      data.resize(static_cast<size_t>(count));
      for (int i = 0; i < count; ++i)
        data[static_cast<size_t>(i)] = proto.int32_data(i) != 0;
      break;
    }
    if (static_cast<uint64_t>(count) != numElements)
      return fileError(path, std::string(field) + " has " +
                                 std::to_string(count) + " values, shape " +
                                 shapeToString(shape) + " needs " +
                                 std::to_string(numElements));
  }

  out.name = proto.name();
  out.dtype = dtype;
  out.shape = std::move(shape);
  out.data = std::move(data);
  return "";
}

// --- Comparison -----------------------------------------------------------

double halfToDouble(uint16_t h) {
  int exponent = (h >> 10) & 0x1f;
  int mantissa = h & 0x3ff;
  double v;
  if (exponent == 0)
    v = std::ldexp(mantissa, -24);
  else if (exponent == 31)
    v = mantissa ? std::numeric_limits<double>::quiet_NaN()
                 : std::numeric_limits<double>::infinity();
  else
    v = std::ldexp(mantissa + 1024, exponent - 25);
  return (h & 0x8000) ? -v : v;
}

std::string checkBuffer(const HostTensor &t, const char *role) {
  size_t elemSize = t.elementSize();
  if (elemSize == 0)
    return std::string(role) + " tensor has unsupported data type " +
           dtypeName(t.dtype);
  uint64_t numElements = 0, numBytes = 0;
  if (!checkedByteCount(t.shape, elemSize, numElements, numBytes))
    return std::string(role) + " tensor has invalid shape " +
           shapeToString(t.shape);
  if (t.data.size() != numBytes)
    return std::string(role) + " tensor holds " +
           std::to_string(t.data.size()) + " bytes, shape " +
           shapeToString(t.shape) + " needs " + std::to_string(numBytes);
  return "";
}

} // namespace

template <typename T> static T load(const uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// The value of float8 bits `b` with `mantissa` bits and exponent `bias`;
/// `uz` types have one NaN (0x80), `inf` ones infinities at 0x7C.
static double float8ToDouble(uint8_t b, int mantissa, int bias, bool uz,
                             bool inf) {
  unsigned mag = b & 0x7F, e = mag >> mantissa,
           m = mag & ((1u << mantissa) - 1);
  double nan = std::numeric_limits<double>::quiet_NaN();
  if (uz ? b == 0x80 : inf ? mag > 0x7C : mag == 0x7F)
    return nan;
  double v = inf && mag == 0x7C ? std::numeric_limits<double>::infinity()
             : e == 0
                 ? std::ldexp(m, 1 - bias - mantissa)
                 : std::ldexp(m + (1u << mantissa), int(e) - bias - mantissa);
  return b & 0x80 ? -v : v;
}

double elementAsDouble(int32_t dtype, const uint8_t *p) {
  switch (dtype) {
  case ONNXC_FLOAT8E4M3FN:
    return float8ToDouble(*p, 3, 7, false, false);
  case ONNXC_FLOAT8E4M3FNUZ:
    return float8ToDouble(*p, 3, 8, true, false);
  case ONNXC_FLOAT8E5M2:
    return float8ToDouble(*p, 2, 15, false, true);
  case ONNXC_FLOAT8E5M2FNUZ:
    return float8ToDouble(*p, 2, 16, true, false);
  case ONNXC_FLOAT32:
    return load<float>(p);
  case ONNXC_FLOAT64:
    return load<double>(p);
  case ONNXC_FLOAT16:
    return halfToDouble(load<uint16_t>(p));
  case ONNXC_BFLOAT16: {
    uint32_t bits = static_cast<uint32_t>(load<uint16_t>(p)) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  case ONNXC_INT4:
  case ONNXC_INT8:
    return load<int8_t>(p);
  case ONNXC_UINT4:
  case ONNXC_UINT8:
    return load<uint8_t>(p);
  case ONNXC_INT16:
    return load<int16_t>(p);
  case ONNXC_UINT16:
    return load<uint16_t>(p);
  case ONNXC_INT32:
    return load<int32_t>(p);
  case ONNXC_UINT32:
    return load<uint32_t>(p);
  case ONNXC_INT64:
    return static_cast<double>(load<int64_t>(p));
  case ONNXC_UINT64:
    return static_cast<double>(load<uint64_t>(p));
  case ONNXC_BOOL:
    return load<uint8_t>(p) != 0;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

int64_t HostTensor::numElements() const {
  uint64_t numElements = 0, numBytes = 0;
  if (!checkedByteCount(shape, 1, numElements, numBytes))
    return -1;
  return static_cast<int64_t>(numElements);
}

size_t HostTensor::elementSize() const { return dtypeSize(dtype); }

size_t dtypeSize(int32_t dtype) {
  switch (dtype) {
  case ONNXC_STRING:
    return sizeof(onnxc_string);
  case ONNXC_BOOL:
  case ONNXC_INT8:
  case ONNXC_UINT8:
  case ONNXC_FLOAT8E4M3FN:
  case ONNXC_FLOAT8E4M3FNUZ:
  case ONNXC_FLOAT8E5M2:
  case ONNXC_FLOAT8E5M2FNUZ:
  case ONNXC_INT4: // one byte per element in memory, packed in files
  case ONNXC_UINT4:
    return 1;
  case ONNXC_INT16:
  case ONNXC_UINT16:
  case ONNXC_FLOAT16:
  case ONNXC_BFLOAT16:
    return 2;
  case ONNXC_FLOAT32:
  case ONNXC_INT32:
  case ONNXC_UINT32:
    return 4;
  case ONNXC_FLOAT64:
  case ONNXC_INT64:
  case ONNXC_UINT64:
    return 8;
  }
  return 0;
}

bool isBitsOf(int32_t stored, int32_t dtype) {
  switch (dtype) {
  case ONNXC_BFLOAT16:
    return stored == ONNXC_UINT16;
  case ONNXC_FLOAT8E4M3FN:
  case ONNXC_FLOAT8E4M3FNUZ:
  case ONNXC_FLOAT8E5M2:
  case ONNXC_FLOAT8E5M2FNUZ:
  case ONNXC_UINT4:
    return stored == ONNXC_UINT8;
  case ONNXC_INT4:
    return stored == ONNXC_INT8;
  }
  return false;
}

const char *dtypeName(int32_t dtype) { return onnxc_dtype_name(dtype); }

std::string shapeToString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string readTensorFile(const std::string &path, HostTensor &out) {
  if (endsWith(path, ".npy"))
    return readNpy(path, out);
  if (endsWith(path, ".pb"))
    return readTensorProto(path, out);
  return fileError(path, "unknown tensor file type (expected .npy or .pb)");
}

void pointStrings(HostTensor &t) {
  t.data.assign(t.strings.size() * sizeof(onnxc_string), 0);
  for (size_t i = 0; i < t.strings.size(); ++i) {
    onnxc_string s{t.strings[i].data(),
                   static_cast<int64_t>(t.strings[i].size())};
    std::memcpy(t.data.data() + i * sizeof s, &s, sizeof s);
  }
}

std::vector<std::string> stringElements(const HostTensor &t) {
  std::vector<std::string> out;
  for (size_t at = 0; at + sizeof(onnxc_string) <= t.data.size();
       at += sizeof(onnxc_string)) {
    onnxc_string s;
    std::memcpy(&s, t.data.data() + at, sizeof s);
    out.emplace_back(s.size > 0 ? s.data : "", static_cast<size_t>(s.size));
  }
  return out;
}

/// UTF-8 as code points (numpy's '<U' arrays hold UTF-32); invalid bytes
/// become U+FFFD.
static std::vector<uint32_t> codePoints(const std::string &s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int extra = c < 0x80       ? 0
                : c >> 5 == 6  ? 1
                : c >> 4 == 14 ? 2
                : c >> 3 == 30 ? 3
                               : -1;
    uint32_t code = extra <= 0 ? c : c & (0x3f >> extra);
    bool valid = extra >= 0 && i + extra < s.size();
    for (int k = 1; valid && k <= extra; ++k) {
      valid = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
      code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    out.push_back(valid ? code : 0xfffd);
    i += valid ? extra + 1 : 1;
  }
  return out;
}

static std::string writeNpyAs(const std::string &path, const HostTensor &t,
                              const std::string &descr);

std::string writeNpy(const std::string &path, const HostTensor &t) {
  if (t.dtype == ONNXC_STRING) {
    // Fixed-width UTF-32 ('<U<width>'), as numpy stores str arrays.
    std::vector<std::vector<uint32_t>> elements;
    size_t width = 1;
    for (const std::string &s : stringElements(t)) {
      elements.push_back(codePoints(s));
      width = std::max(width, elements.back().size());
    }
    HostTensor wide;
    wide.shape = t.shape;
    wide.dtype = ONNXC_UINT32;
    wide.data.assign(elements.size() * width * 4, 0);
    for (size_t i = 0; i < elements.size(); ++i)
      for (size_t k = 0; k < elements[i].size(); ++k)
        for (int byte = 0; byte < 4; ++byte)
          wide.data[(i * width + k) * 4 + byte] =
              static_cast<uint8_t>(elements[i][k] >> (8 * byte));
    return writeNpyAs(path, wide, "<U" + std::to_string(width));
  }
  const char *descr = dtypeToDescr(t.dtype);
  if (!descr)
    return fileError(path, std::string("data type ") + dtypeName(t.dtype) +
                               " cannot be stored in .npy");
  std::string err = checkBuffer(t, "output");
  if (!err.empty())
    return fileError(path, err);
  return writeNpyAs(path, t, descr);
}

/// Writes the bytes of `t.data` under numpy type `descr`.
static std::string writeNpyAs(const std::string &path, const HostTensor &t,
                              const std::string &descr) {
  std::string dict = std::string("{'descr': '") + descr +
                     "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < t.shape.size(); ++i) {
    if (i)
      dict += ", ";
    dict += std::to_string(t.shape[i]);
  }
  if (t.shape.size() == 1)
    dict += ",";
  dict += "), }";
  // numpy pads the header so the data starts 64-byte aligned.
  const size_t kPrefix = 10; // magic, version, uint16 length
  size_t pad = (64 - (kPrefix + dict.size() + 1) % 64) % 64;
  std::string header = dict + std::string(pad, ' ') + "\n";
  if (header.size() > 0xffff)
    return fileError(path, "shape too long for a version 1.0 .npy header");

  std::string prefix("\x93NUMPY\x01\x00", 8);
  prefix += static_cast<char>(header.size() & 0xff);
  prefix += static_cast<char>((header.size() >> 8) & 0xff);

  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return fileError(path,
                     std::string("cannot create: ") + std::strerror(errno));
  bool ok = std::fwrite(prefix.data(), 1, prefix.size(), f) == prefix.size() &&
            std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
            (t.data.empty() ||
             std::fwrite(t.data.data(), 1, t.data.size(), f) == t.data.size());
  int savedErrno = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok) {
    std::remove(path.c_str());
    return fileError(path,
                     std::string("write error: ") + std::strerror(savedErrno));
  }
  return "";
}

CompareResult compareTensors(const HostTensor &actual,
                             const HostTensor &expected, double rtol,
                             double atol) {
  CompareResult r;
  if (actual.dtype != expected.dtype) {
    r.error = std::string("data type mismatch: got ") +
              dtypeName(actual.dtype) + ", expected " +
              dtypeName(expected.dtype);
    return r;
  }
  if (actual.shape != expected.shape) {
    r.error = "shape mismatch: got " + shapeToString(actual.shape) +
              ", expected " + shapeToString(expected.shape);
    return r;
  }
  r.error = checkBuffer(actual, "actual");
  if (r.error.empty())
    r.error = checkBuffer(expected, "expected");
  if (!r.error.empty())
    return r;
  if (actual.dtype == ONNXC_STRING) {
    std::vector<std::string> a = stringElements(actual),
                             e = stringElements(expected);
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != e[i] && r.mismatches++ == 0)
        r.firstMismatch = static_cast<int64_t>(i);
    return r;
  }

  const double inf = std::numeric_limits<double>::infinity();
  size_t elemSize = actual.elementSize();
  int64_t n = actual.numElements();
  for (int64_t i = 0; i < n; ++i) {
    size_t offset = static_cast<size_t>(i) * elemSize;
    double a = elementAsDouble(actual.dtype, actual.data.data() + offset);
    double e = elementAsDouble(expected.dtype, expected.data.data() + offset);
    double absErr, relErr;
    bool close;
    if (std::isnan(a) || std::isnan(e)) {
      close = std::isnan(a) && std::isnan(e);
      absErr = relErr = close ? 0 : inf;
    } else if (std::isinf(a) || std::isinf(e)) {
      close = a == e;
      absErr = relErr = close ? 0 : inf;
    } else {
      absErr = std::fabs(a - e);
      close = absErr <= atol + rtol * std::fabs(e);
      relErr = e != 0 ? absErr / std::fabs(e) : 0;
    }
    if (absErr > r.maxAbsError)
      r.maxAbsError = absErr;
    if (relErr > r.maxRelError)
      r.maxRelError = relErr;
    if (!close) {
      if (r.mismatches == 0)
        r.firstMismatch = i;
      ++r.mismatches;
    }
  }
  return r;
}

} // namespace onnxc
