/* onnxc runtime: the types and status codes shared by every compiled model.
 *
 * A model compiled by onnxc exports `<name>_run`, `<name>_workspace_size` and
 * `<name>_set_num_threads` (see the generated `<name>.h`); this header holds
 * what is common to all models so that several can live in one program. */
#ifndef ONNXC_RUNTIME_H
#define ONNXC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by `<name>_run`. */
typedef enum onnxc_status {
  ONNXC_OK = 0,
  ONNXC_ERR_INVALID_ARGUMENT = 1, /* a NULL input/output pointer, a negative
                                     batch */
  ONNXC_ERR_OUT_OF_MEMORY = 2,    /* the run could not allocate a workspace */
  ONNXC_ERR_KERNEL = 3            /* a kernel reported an error */
} onnxc_status;

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum onnxc_dtype {
  ONNXC_FLOAT32 = 1,
  ONNXC_UINT8 = 2,
  ONNXC_INT8 = 3,
  ONNXC_UINT16 = 4,
  ONNXC_INT16 = 5,
  ONNXC_INT32 = 6,
  ONNXC_INT64 = 7,
  ONNXC_STRING = 8,
  ONNXC_BOOL = 9,
  ONNXC_FLOAT16 = 10,
  ONNXC_FLOAT64 = 11,
  ONNXC_UINT32 = 12,
  ONNXC_UINT64 = 13,
  ONNXC_COMPLEX64 = 14,
  ONNXC_COMPLEX128 = 15,
  ONNXC_BFLOAT16 = 16,
  ONNXC_FLOAT8E4M3FN = 17,
  ONNXC_FLOAT8E4M3FNUZ = 18,
  ONNXC_FLOAT8E5M2 = 19,
  ONNXC_FLOAT8E5M2FNUZ = 20,
  ONNXC_UINT4 = 21,
  ONNXC_INT4 = 22
} onnxc_dtype;

/* Describes one model input or output. */
typedef struct onnxc_tensor_info {
  const char *name;
  onnxc_dtype dtype;
  int rank;
  const int64_t *shape;
} onnxc_tensor_info;

/* One element of a string tensor: `size` bytes of UTF-8 at `data`, not
 * NUL-terminated. String inputs are read, never kept; every element of a
 * string output is written as a new allocation the caller owns and frees
 * with onnxc_free_strings. */
typedef struct onnxc_string {
  const char *data;
  int64_t size;
} onnxc_string;

/* Frees the data of `count` elements of a string output and empties them. */
void onnxc_free_strings(onnxc_string *strings, size_t count);

/* A static, human-readable message for a status code; never NULL. */
const char *onnxc_status_message(int status);

/* The name of an element type ("float32", ...); never NULL. */
const char *onnxc_dtype_name(int dtype);

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_RUNTIME_H */
