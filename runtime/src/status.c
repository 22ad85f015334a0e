/* Messages for the status codes and element types of onnxc/runtime.h. */
#include "onnxc/runtime.h"

const char *onnxc_status_message(int status) {
  switch (status) {
  case ONNXC_OK:
    return "success";
  case ONNXC_ERR_INVALID_ARGUMENT:
    return "invalid argument: an input or output pointer is NULL, or a "
           "negative batch";
  case ONNXC_ERR_OUT_OF_MEMORY:
    return "out of memory: the workspace could not be allocated";
  case ONNXC_ERR_KERNEL:
    return "a kernel failed (its message went to the Halide error handler)";
  default:
    return "unknown onnxc status code";
  }
}

const char *onnxc_dtype_name(int dtype) {
  switch (dtype) {
  case ONNXC_FLOAT32:
    return "float32";
  case ONNXC_UINT8:
    return "uint8";
  case ONNXC_INT8:
    return "int8";
  case ONNXC_UINT16:
    return "uint16";
  case ONNXC_INT16:
    return "int16";
  case ONNXC_INT32:
    return "int32";
  case ONNXC_INT64:
    return "int64";
  case ONNXC_STRING:
    return "string";
  case ONNXC_BOOL:
    return "bool";
  case ONNXC_FLOAT16:
    return "float16";
  case ONNXC_FLOAT64:
    return "float64";
  case ONNXC_UINT32:
    return "uint32";
  case ONNXC_UINT64:
    return "uint64";
  case ONNXC_COMPLEX64:
    return "complex64";
  case ONNXC_COMPLEX128:
    return "complex128";
  case ONNXC_BFLOAT16:
    return "bfloat16";
  case ONNXC_FLOAT8E4M3FN:
    return "float8e4m3fn";
  case ONNXC_FLOAT8E4M3FNUZ:
    return "float8e4m3fnuz";
  case ONNXC_FLOAT8E5M2:
    return "float8e5m2";
  case ONNXC_FLOAT8E5M2FNUZ:
    return "float8e5m2fnuz";
  case ONNXC_UINT4:
    return "uint4";
  case ONNXC_INT4:
    return "int4";
  default:
    return "unknown";
  }
}
