/* onnxc runtime: the kernels that generated code calls.
 *
 * Not part of the model API: `<name>_run` calls these for the ops the
 * runtime computes rather than Halide kernels: the ONNX string ops
 * (StringConcat, StringSplit, StringNormalizer, RegexFullMatch, Equal and
 * Cast on strings), LabelEncoder, TreeEnsemble, the random generators and
 * ImageDecoder (in its own library, onnxc_image, with the image codecs).
 * Strings made during a run live in the run's arena, a pointer the run
 * starts as NULL and releases at its end; string outputs are copied out of
 * it by onnxc_rt_strings_export.
 *
 * Every function returns ONNXC_OK, ONNXC_ERR_OUT_OF_MEMORY or
 * ONNXC_ERR_KERNEL (after writing a message naming `node` to stderr).
 * Broadcasting functions take the result's rank (at most 8) and shape and
 * each operand's element strides, 0 along broadcast dims. */
#ifndef ONNXC_KERNELS_H
#define ONNXC_KERNELS_H

#include "onnxc/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

void onnxc_rt_arena_release(void **arena);

/* Replaces each element's data by a malloc'ed copy the caller owns. */
int onnxc_rt_strings_export(onnxc_string *strings, int64_t count);

int onnxc_rt_string_concat(void **arena, int32_t rank, const int64_t *shape,
                           const onnxc_string *a, const int64_t *a_strides,
                           const onnxc_string *b, const int64_t *b_strides,
                           onnxc_string *out);

int onnxc_rt_string_equal(int32_t rank, const int64_t *shape,
                          const onnxc_string *a, const int64_t *a_strides,
                          const onnxc_string *b, const int64_t *b_strides,
                          uint8_t *out);

/* dtype: ONNXC_FLOAT32, ONNXC_FLOAT64, ONNXC_INT64 or ONNXC_UINT64. */
int onnxc_rt_string_to_number(const char *node, const onnxc_string *in,
                              int64_t count, int32_t dtype, void *out);

/* dtype: ONNXC_FLOAT32, ONNXC_FLOAT64, ONNXC_INT64, ONNXC_UINT64 or
 * ONNXC_BOOL; formatted as numpy's astype(str) does. */
int onnxc_rt_number_to_string(void **arena, const void *in, int32_t dtype,
                              int64_t count, onnxc_string *out);

/* case_action: 0 none, 1 lower, 2 upper. Fails unless exactly `out_count`
 * strings remain (or none remain and out_count is 1: ONNX's [""]). */
int onnxc_rt_string_normalize(void **arena, const char *node,
                              const onnxc_string *in, int64_t count,
                              int32_t case_action, int32_t case_sensitive,
                              const onnxc_string *stopwords,
                              int64_t num_stopwords, onnxc_string *out,
                              int64_t out_count);

/* out is [count, width]; fails unless the most substrings of one element is
 * exactly `width`. maxsplit < 0: no limit. Substrings point into `in`.
 * Either result may be NULL (not computed; without `out`, nothing is
 * checked). */
int onnxc_rt_string_split(const char *node, const onnxc_string *in,
                          int64_t count, const char *delimiter,
                          int64_t delimiter_size, int64_t maxsplit,
                          onnxc_string *out, int64_t width, int64_t *lengths);

/* LabelEncoder: each of the `count` keys in `in` (onnxc_string elements
 * when key_is_string, else key_size bytes compared bit for bit) looked up
 * in `keys`; the value of the first equal key, else `dflt`, copied
 * (value_size bytes) to `out`. */
int onnxc_rt_label_encode(const void *in, int64_t count, int32_t key_is_string,
                          int64_t key_size, const void *keys, int64_t num_keys,
                          int64_t value_size, const void *values,
                          const void *dflt, void *out);

/* TreeEnsemble (ai.onnx.ml 5) on x [rows, cols] of `dtype` (ONNXC_FLOAT32
 * or ONNXC_FLOAT64), computed in double. `ints` holds nodes, trees, leaves,
 * targets, aggregate_function, post_transform, then per node: feature,
 * true id, false id, true-is-leaf, false-is-leaf, missing-tracks-true,
 * member start, member count, mode; then the tree roots and each leaf's
 * target. `reals` holds the node splits, the leaf weights and the member
 * values. The tables are checked by the compiler. */
int onnxc_rt_tree_ensemble(const int64_t *ints, const double *reals,
                           const void *x, int32_t dtype, int64_t rows,
                           int64_t cols, void *out);

/* Random draws (random.c): `count` values of `dtype` (ONNXC_FLOAT16,
 * ONNXC_BFLOAT16, ONNXC_FLOAT32 or ONNXC_FLOAT64), computed in double from
 * MT19937. distribution 0: uniform in [a, b); 1: normal with mean a and
 * standard deviation b. When `seeded`, the generator starts from
 * (uint32_t)seed as numpy's RandomState(seed) does, so the draws are
 * numpy's `uniform(a, b)` and `normal(a, b)`; otherwise from a seed that
 * differs on every call. */
int onnxc_rt_random(int32_t distribution, int32_t seeded, double seed, double a,
                    double b, int32_t dtype, int64_t count, void *out);

/* pattern: POSIX extended syntax, anchored at both ends by the compiler. */
int onnxc_rt_regex_full_match(const char *node, const char *pattern,
                              const onnxc_string *in, int64_t count,
                              uint8_t *out);

/* ImageDecoder (image.c, library onnxc_image): decodes the `size` bytes of
 * a BMP, JPEG, JPEG 2000, PNG, PNM, TIFF or WebP image to `out`, height x width
 * pixels of 3 bytes (RGB, BGR) or 1 (grayscale, BT.601 luma); an image of
 * another size is an error. */
enum { ONNXC_IMAGE_RGB = 0, ONNXC_IMAGE_BGR = 1, ONNXC_IMAGE_GRAYSCALE = 2 };
int onnxc_rt_image_decode(const char *node, const uint8_t *data, int64_t size,
                          int32_t format, int64_t height, int64_t width,
                          uint8_t *out);

/* The thread pool of the kernels' parallel loops (threads.c).
 * onnxc_rt_threads_prepare makes it Halide's halide_do_par_for handler
 * (once; a handler the program installed before keeps the loops).
 * onnxc_rt_set_num_threads sizes it (the caller's thread included; 0: one
 * per core), ending extra workers. Kernels that a thread calls between
 * onnxc_rt_lane_serial(1) and (0) run their parallel loops serially on
 * that thread. */
void onnxc_rt_threads_prepare(void);
void onnxc_rt_set_num_threads(int32_t n);
int32_t onnxc_rt_num_threads(void);
void onnxc_rt_lane_serial(int32_t on);

/* A batch's items over the pool (batch.c). A model's `_run_batch` fills
 * closure slots {batch, -, inputs, outputs, workspace, -} and calls
 * onnxc_rt_run_batch, which sets slot 1 to the lanes and slot 5 to whether
 * there is a lane per thread, then runs `lane` once per lane: in parallel
 * lanes (one item per thread at a time), or in one lane whose kernels use
 * every thread (one item at a time), as the model's plan says. A plan in
 * ONNXC_BATCH_AUTO times both ways on its first calls and keeps the faster;
 * onnxc_rt_batch_set_mode fixes the way (or returns to AUTO, probing
 * again); onnxc_rt_batch_way says the way taken, AUTO while probing. A
 * plan starts zeroed. */
enum {
  ONNXC_BATCH_AUTO = 0,
  ONNXC_BATCH_LANES = 1,
  ONNXC_BATCH_ITEMS = 2,
  ONNXC_RT_BATCH_SLOTS = 8
};
typedef struct onnxc_rt_batch {
  int64_t slots[ONNXC_RT_BATCH_SLOTS];
} onnxc_rt_batch;
typedef int (*onnxc_rt_lane_fn)(void *user_context, int lane, uint8_t *closure);
int32_t onnxc_rt_run_batch(onnxc_rt_batch *plan, onnxc_rt_lane_fn lane,
                           int64_t *closure);
void onnxc_rt_batch_set_mode(onnxc_rt_batch *plan, int32_t mode);
int32_t onnxc_rt_batch_way(onnxc_rt_batch *plan);

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_KERNELS_H */
