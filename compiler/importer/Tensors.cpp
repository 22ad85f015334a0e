// TensorProto -> ElementsAttr. Data is assembled little-endian (the ONNX
// wire order) and swapped once at the end on big-endian hosts; on
// little-endian hosts raw_data moves into the attribute without a copy.
#include "compiler/importer/Tensors.h"

#include "compiler/importer/ExternalData.h"
#include "compiler/importer/ImportError.h"
#include "dialects/onnx/IR/OnnxDialect.h"
#include "onnxc/runtime.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/Endian.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

using namespace mlir;

namespace onnxc::importer {
namespace {

constexpr bool kHostIsLittleEndian =
    llvm::endianness::native == llvm::endianness::little;

/// Bytes per element in memory (int4 is unpacked to a byte), and the width
/// of one component for byte swapping (complex numbers have two).
struct Layout {
  size_t elementBytes;
  size_t componentBytes;
};

Layout layoutOf(int32_t dtype) {
  switch (dtype) {
  case ONNXC_BOOL:
  case ONNXC_INT8:
  case ONNXC_UINT8:
  case ONNXC_INT4:
  case ONNXC_UINT4:
  case ONNXC_FLOAT8E4M3FN:
  case ONNXC_FLOAT8E4M3FNUZ:
  case ONNXC_FLOAT8E5M2:
  case ONNXC_FLOAT8E5M2FNUZ:
    return {1, 1};
  case ONNXC_INT16:
  case ONNXC_UINT16:
  case ONNXC_FLOAT16:
  case ONNXC_BFLOAT16:
    return {2, 2};
  case ONNXC_FLOAT32:
  case ONNXC_INT32:
  case ONNXC_UINT32:
    return {4, 4};
  case ONNXC_FLOAT64:
  case ONNXC_INT64:
  case ONNXC_UINT64:
    return {8, 8};
  case ONNXC_COMPLEX64:
    return {8, 4};
  case ONNXC_COMPLEX128:
    return {16, 8};
  default:
    return {0, 0};
  }
}

void swapComponents(char *data, size_t bytes, size_t width) {
  if (width <= 1)
    return;
  for (size_t i = 0; i + width <= bytes; i += width)
    std::reverse(data + i, data + i + width);
}

/// Writes `value`'s low `width` bytes little-endian.
void putLittle(char *dst, uint64_t value, size_t width) {
  for (size_t k = 0; k < width; ++k)
    dst[k] = static_cast<char>(value >> (8 * k));
}

template <typename T> uint64_t bitsOf(T v) {
  static_assert(sizeof(T) <= 8);
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T)); // little-endian hosts only read this
  if constexpr (!kHostIsLittleEndian)
    bits >>= 8 * (8 - sizeof(T));
  return bits;
}

/// Collects the typed-field values of `t` as little-endian bytes.
std::vector<char> typedFieldBytes(const ::onnx::TensorProto &t, int32_t dtype,
                                  int64_t count, const std::string &what) {
  Layout layout = layoutOf(dtype);
  std::vector<char> out(count * layout.elementBytes);
  auto expect = [&](int64_t have, int64_t want, const char *field) {
    if (have != want)
      fail(fmt::format("{} has {} values in {} for {} elements", what, have,
                       field, count));
  };
  // Copies a field holding `perElement` values of `width` bytes each.
  auto copy = [&](const auto &field, const char *name, int64_t perElement,
                  size_t width, auto bits) {
    int64_t n = count * perElement;
    expect(field.size(), n, name);
    for (int64_t i = 0; i < n; ++i)
      putLittle(&out[width * i], bits(field.Get(i)), width);
  };
  auto floatBits = [](auto v) { return bitsOf(v); };
  auto intBits = [](auto v) { return static_cast<uint64_t>(v); };
  switch (dtype) {
  case ONNXC_FLOAT32:
  case ONNXC_COMPLEX64:
    copy(t.float_data(), "float_data", dtype == ONNXC_COMPLEX64 ? 2 : 1, 4,
         floatBits);
    break;
  case ONNXC_FLOAT64:
  case ONNXC_COMPLEX128:
    copy(t.double_data(), "double_data", dtype == ONNXC_COMPLEX128 ? 2 : 1, 8,
         floatBits);
    break;
  case ONNXC_INT64:
    copy(t.int64_data(), "int64_data", 1, 8, intBits);
    break;
  case ONNXC_UINT32:
  case ONNXC_UINT64:
    copy(t.uint64_data(), "uint64_data", 1, layout.elementBytes, intBits);
    break;
  case ONNXC_INT4:
  case ONNXC_UINT4: {
    // Two values per int32_data entry (low nibble first), or one each.
    int64_t packed = (count + 1) / 2;
    bool isPacked = t.int32_data_size() == packed && count != packed;
    if (!isPacked)
      expect(t.int32_data_size(), count, "int32_data");
    for (int64_t i = 0; i < count; ++i) {
      uint32_t v =
          isPacked
              ? (static_cast<uint32_t>(t.int32_data(i / 2)) >> (4 * (i % 2))) &
                    0xF
              : static_cast<uint32_t>(t.int32_data(i)) & 0xF;
      if (dtype == ONNXC_INT4 && (v & 0x8))
        v |= 0xF0; // sign-extend to the byte
      out[i] = static_cast<char>(v);
    }
    break;
  }
  default:
    // int8/16, uint8/16, int32, bool, float16, bfloat16 and the float8
    // types: one int32_data entry per element holding its bits.
    copy(t.int32_data(), "int32_data", 1, layout.elementBytes,
         [](int32_t v) { return uint64_t(static_cast<uint32_t>(v)); });
    break;
  }
  return out;
}

/// Unpacks int4/uint4 raw data (two per byte, low nibble first).
std::vector<char> unpackInt4(llvm::StringRef raw, int64_t count,
                             bool isSigned) {
  std::vector<char> out(count);
  for (int64_t i = 0; i < count; ++i) {
    uint8_t v = (static_cast<uint8_t>(raw[i / 2]) >> (4 * (i % 2))) & 0xF;
    if (isSigned && (v & 0x8))
      v |= 0xF0;
    out[i] = static_cast<char>(v);
  }
  return out;
}

ElementsAttr makeAttr(RankedTensorType type, std::vector<char> data,
                      const std::string &blobName) {
  int64_t count = type.getNumElements();
  Type elt = type.getElementType();
  if (elt.isInteger(1)) {
    SmallVector<bool> bits;
    for (char c : data)
      bits.push_back(c != 0);
    return DenseElementsAttr::get(type, ArrayRef<bool>(bits));
  }
  // Small tensors stay readable in the IR; weights go to resource blobs so
  // the data is not uniqued and hashed in the context.
  if (count <= 16) {
    bool splat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, data, splat))
      fail(fmt::format("'{}': invalid constant data", blobName));
    return DenseElementsAttr::getFromRawBuffer(type, data);
  }
  size_t size = data.size();
  auto *owned = new std::vector<char>(std::move(data));
  AsmResourceBlob blob(
      ArrayRef<char>(owned->data(), size), alignof(std::max_align_t),
      [owned](void *, size_t, size_t) { delete owned; },
      /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, blobName, std::move(blob));
}

std::string blobNameOf(const std::string &name) {
  std::string out;
  for (char c : name.empty() ? std::string("tensor") : name)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

RankedTensorType
tensorType(MLIRContext *ctx, int32_t dtype,
           const google::protobuf::RepeatedField<int64_t> &dims,
           const std::string &what, int64_t &count) {
  Type elt = elementType(ctx, dtype, what);
  SmallVector<int64_t> shape;
  count = 1;
  for (int64_t d : dims) {
    if (d < 0)
      fail(fmt::format("{} has a negative dim {}", what, d));
    if (d > 0 && count > (int64_t(1) << 40) / d)
      fail(fmt::format("{} has more than 2^40 elements", what));
    shape.push_back(d);
    count *= d;
  }
  return RankedTensorType::get(shape, elt);
}

} // namespace

Type elementType(MLIRContext *ctx, int32_t dtype, const std::string &what) {
  Type t = onnx::elementTypeOf(ctx, dtype);
  if (!t)
    fail(fmt::format("{} has the unknown element type {}", what, dtype));
  return t;
}

ElementsAttr importTensor(const TensorContext &tc, ::onnx::TensorProto &t,
                          const std::string &what) {
  if (t.has_segment())
    fail(fmt::format("{} is segmented, which is not supported", what));
  int64_t count = 0;
  RankedTensorType type =
      tensorType(tc.ctx, t.data_type(), t.dims(), what, count);

  if (t.data_type() == ONNXC_STRING) {
    if (t.string_data_size() != count)
      fail(fmt::format("{} has {} strings for {} elements", what,
                       t.string_data_size(), count));
    SmallVector<StringRef> strings(t.string_data().begin(),
                                   t.string_data().end());
    return DenseStringElementsAttr::get(type, strings);
  }

  Layout layout = layoutOf(t.data_type());
  size_t bytes = count * layout.elementBytes;
  bool int4 = t.data_type() == ONNXC_INT4 || t.data_type() == ONNXC_UINT4;
  size_t wireBytes = int4 ? (count + 1) / 2 : bytes;
  std::string name = blobNameOf(t.name());

  if (t.data_location() == ::onnx::TensorProto::EXTERNAL) {
    if (!tc.modelDir)
      fail(fmt::format("{} keeps its data in an external file, but the model "
                       "was not read from a file",
                       what));
    if (int4 || !kHostIsLittleEndian) {
      // Needs conversion: load, then go through the byte path below.
      AsmResourceBlob blob =
          loadExternalData(t, wireBytes, 1, *tc.modelDir, what);
      t.set_raw_data(blob.getData().data(), blob.getData().size());
    } else {
      AsmResourceBlob blob =
          loadExternalData(t, bytes, std::max<size_t>(layout.componentBytes, 1),
                           *tc.modelDir, what);
      if (count > 16 && !type.getElementType().isInteger(1))
        return DenseResourceElementsAttr::get(type, name, std::move(blob));
      ArrayRef<char> d = blob.getData();
      return makeAttr(type, std::vector<char>(d.begin(), d.end()), name);
    }
  }

  std::vector<char> data;
  if (t.has_raw_data()) {
    if (t.raw_data().size() != wireBytes)
      fail(fmt::format("{} has {} bytes of raw_data, expected {}", what,
                       t.raw_data().size(), wireBytes));
    if (int4) {
      data = unpackInt4(t.raw_data(), count, t.data_type() == ONNXC_INT4);
    } else if (kHostIsLittleEndian && count > 16 &&
               !type.getElementType().isInteger(1)) {
      // The common case for weights: the parsed bytes become the blob.
      std::string *raw = t.release_raw_data();
      if (reinterpret_cast<uintptr_t>(raw->data()) % layout.componentBytes ==
          0) {
        size_t size = raw->size();
        AsmResourceBlob blob(
            ArrayRef<char>(raw->data(), size), layout.componentBytes,
            [raw](void *, size_t, size_t) { delete raw; },
            /*dataIsMutable=*/false);
        return DenseResourceElementsAttr::get(type, name, std::move(blob));
      }
      data.assign(raw->begin(), raw->end());
      delete raw;
    } else {
      data.assign(t.raw_data().begin(), t.raw_data().end());
    }
  } else {
    data = typedFieldBytes(t, t.data_type(), count, what);
  }
  if constexpr (!kHostIsLittleEndian)
    swapComponents(data.data(), data.size(), layout.componentBytes);
  return makeAttr(type, std::move(data), name);
}

ElementsAttr importSparseTensor(const TensorContext &tc,
                                ::onnx::SparseTensorProto &t,
                                const std::string &what) {
  ::onnx::TensorProto &values = *t.mutable_values();
  int64_t count = 0;
  RankedTensorType type =
      tensorType(tc.ctx, values.data_type(), t.dims(), what, count);
  ElementsAttr valueAttr = importTensor(tc, values, what + " values");
  auto valueType = llvm::cast<ShapedType>(valueAttr.getType());
  if (valueType.getRank() != 1 || values.data_type() == ONNXC_STRING)
    fail(fmt::format("{}: sparse values must be a 1-D numeric tensor", what));
  int64_t nnz = valueType.getNumElements();

  ElementsAttr indexAttr =
      importTensor(tc, *t.mutable_indices(), what + " indices");
  auto indexType = llvm::cast<ShapedType>(indexAttr.getType());
  if (!indexType.getElementType().isInteger(64))
    fail(fmt::format("{}: sparse indices must be int64", what));
  bool linear = indexType.getRank() == 1;
  int64_t rank = type.getRank();
  if (!(linear && indexType.getDimSize(0) == nnz) &&
      !(indexType.getRank() == 2 && indexType.getDimSize(0) == nnz &&
        indexType.getDimSize(1) == rank))
    fail(fmt::format("{}: sparse indices must be [{}] or [{}, {}]", what, nnz,
                     nnz, rank));

  bool splat = false;
  ArrayRef<char> valueBytes = onnx::getConstantBytes(valueAttr, splat);
  ArrayRef<char> indexBytes = onnx::getConstantBytes(indexAttr, splat);
  size_t eltBytes = layoutOf(values.data_type()).elementBytes;
  std::vector<char> dense(count * eltBytes, 0);
  for (int64_t i = 0; i < nnz; ++i) {
    int64_t flat = 0;
    for (int64_t d = 0; d < (linear ? 1 : rank); ++d) {
      int64_t index;
      std::memcpy(&index, indexBytes.data() + 8 * (i * (linear ? 1 : rank) + d),
                  8);
      int64_t extent = linear ? count : type.getDimSize(d);
      if (index < 0 || index >= extent)
        fail(fmt::format("{}: sparse index {} is out of range", what, index));
      flat = linear ? index : flat * extent + index;
    }
    std::memcpy(&dense[flat * eltBytes],
                valueBytes.data() + (splat ? 0 : i * eltBytes), eltBytes);
  }
  return makeAttr(type, std::move(dense), blobNameOf(values.name()));
}

} // namespace onnxc::importer
