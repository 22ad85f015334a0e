// Host tensors for onnxc-run: .npy / ONNX TensorProto file I/O and comparison.
#ifndef ONNXC_TOOLS_ONNXC_RUN_TENSORIO_H
#define ONNXC_TOOLS_ONNXC_RUN_TENSORIO_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace onnxc {

struct HostTensor {
  std::string name;
  int32_t dtype = 1; // ONNX TensorProto::DataType code.
  std::vector<int64_t> shape;
  std::vector<uint8_t> data; // Dense row-major, little endian.
  // String tensors: data holds onnxc_string elements; those read from a
  // file point into `strings` (see pointStrings).
  std::vector<std::string> strings;

  // 1 for a scalar (empty shape).
  int64_t numElements() const;
  size_t elementSize() const;
};

// Size in bytes of one element of an ONNX TensorProto::DataType in memory
// (an onnxc_string for strings), or 0 if the type is not supported here
// (complex). Float8 types
// are their bit patterns, 4-bit integers one byte each (packed two to a
// byte only in .pb files).
size_t dtypeSize(int32_t dtype);

// True when a .npy array of `stored` holds tensors of `dtype` as numpy
// writes them: bfloat16 as uint16 bits, float8 as uint8 bits, int4/uint4
// as int8/uint8.
bool isBitsOf(int32_t stored, int32_t dtype);

// "float32", "int64", ...: the spelling of onnxc_dtype_name() in the runtime,
// so tools and generated code name types alike. "unknown" for other codes.
const char *dtypeName(int32_t dtype);

// The element at `p` of a tensor of type `dtype` as a double (NaN for
// types dtypeSize() does not know).
double elementAsDouble(int32_t dtype, const uint8_t *p);

// "[1,3,224,224]"; "[]" for a scalar.
std::string shapeToString(const std::vector<int64_t> &shape);

// Reads a .npy file or a serialized onnx TensorProto (.pb), chosen by the
// extension. Returns "" on success, otherwise a one-line message naming the
// file; `out` is unspecified on failure. The tensor name is the TensorProto
// name for .pb files and empty for .npy files.
std::string readTensorFile(const std::string &path, HostTensor &out);

// Makes the onnxc_string elements in `t.data` point at `t.strings`; call
// again after the tensor is copied.
void pointStrings(HostTensor &t);

// The elements of a string tensor, read through its onnxc_string elements.
std::vector<std::string> stringElements(const HostTensor &t);

// Writes `t` as a version 1.0 .npy file (strings as numpy's '<U' type). Returns
// "" or a one-line error.
std::string writeNpy(const std::string &path, const HostTensor &t);

struct CompareResult {
  double maxAbsError = 0;
  // Relative errors are taken only where the expected value is non-zero, so
  // exact zeros (ReLU, softmax underflow) do not turn the maximum infinite.
  double maxRelError = 0;
  int64_t mismatches = 0;
  int64_t firstMismatch = -1; // Flat row-major index.
  std::string error;          // Shape, dtype or buffer-size mismatch.
};

// Element-wise numpy.allclose rule (strings must be equal) |a - e| <= atol +
// rtol * |e|, evaluated in double. NaN matches NaN and an infinity matches the
// same infinity.
CompareResult compareTensors(const HostTensor &actual,
                             const HostTensor &expected, double rtol,
                             double atol);

} // namespace onnxc

#endif // ONNXC_TOOLS_ONNXC_RUN_TENSORIO_H
