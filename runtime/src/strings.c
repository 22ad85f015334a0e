/* String tensors: the kernels generated code calls for the ONNX string ops,
 * the per-run arena their results live in, and the copy that hands string
 * outputs to the caller. Declarations: onnxc/kernels.h. */
#define _GNU_SOURCE /* newlocale, towupper_l; REG_STARTEND */
#include "onnxc/kernels.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* ---- arena ------------------------------------------------------------ */

typedef struct arena_block {
  struct arena_block *next;
  size_t used, capacity;
  /* the bytes follow */
} arena_block;

enum { kMinBlock = 64 * 1024 };

static char *arena_alloc(void **arena, size_t n) {
  arena_block *top = (arena_block *)*arena;
  if (n == 0)
    n = 1;
  if (!top || top->capacity - top->used < n) {
    size_t capacity = n > kMinBlock ? n : kMinBlock;
    arena_block *block = (arena_block *)malloc(sizeof(arena_block) + capacity);
    if (!block)
      return NULL;
    block->next = top;
    block->used = 0;
    block->capacity = capacity;
    *arena = top = block;
  }
  char *p = (char *)(top + 1) + top->used;
  top->used += n;
  return p;
}

void onnxc_rt_arena_release(void **arena) {
  arena_block *block = (arena_block *)*arena;
  while (block) {
    arena_block *next = block->next;
    free(block);
    block = next;
  }
  *arena = NULL;
}

static void report(const char *node, const char *op, const char *what) {
  fprintf(stderr, "node '%s' (%s): %s\n", node, op, what);
}

/* ---- outputs ---------------------------------------------------------- */

int onnxc_rt_strings_export(onnxc_string *s, int64_t n) {
  int64_t i;
  for (i = 0; i < n; ++i) {
    char *copy = (char *)malloc(s[i].size > 0 ? (size_t)s[i].size : 1);
    if (!copy) {
      /* Undo: elements before i are ours, the rest are left as they were. */
      onnxc_free_strings(s, (size_t)i);
      return ONNXC_ERR_OUT_OF_MEMORY;
    }
    if (s[i].size > 0)
      memcpy(copy, s[i].data, (size_t)s[i].size);
    s[i].data = copy;
  }
  return ONNXC_OK;
}

void onnxc_free_strings(onnxc_string *strings, size_t count) {
  size_t i;
  if (!strings)
    return;
  for (i = 0; i < count; ++i) {
    free((void *)strings[i].data);
    strings[i].data = NULL;
    strings[i].size = 0;
  }
}

/* ---- broadcasting binary ops ------------------------------------------ */

/* A walk over the result of a broadcasting op in row-major order: `a` and
 * `b` are the element offsets of the two operands (strides of 0 broadcast). */
typedef struct broadcast_walk {
  int32_t rank;
  const int64_t *shape, *a_strides, *b_strides;
  int64_t index[8], a, b;
} broadcast_walk;

static int64_t walk_start(broadcast_walk *w, int32_t rank, const int64_t *shape,
                          const int64_t *a_strides, const int64_t *b_strides) {
  int64_t total = 1;
  int32_t d;
  w->rank = rank;
  w->shape = shape;
  w->a_strides = a_strides;
  w->b_strides = b_strides;
  w->a = w->b = 0;
  for (d = 0; d < rank; ++d) {
    w->index[d] = 0;
    total *= shape[d];
  }
  return total;
}

static void walk_next(broadcast_walk *w) {
  int32_t d;
  for (d = w->rank - 1; d >= 0; --d) {
    w->a += w->a_strides[d];
    w->b += w->b_strides[d];
    if (++w->index[d] < w->shape[d])
      return;
    w->a -= w->a_strides[d] * w->shape[d];
    w->b -= w->b_strides[d] * w->shape[d];
    w->index[d] = 0;
  }
}

int onnxc_rt_string_concat(void **arena, int32_t rank, const int64_t *shape,
                           const onnxc_string *a, const int64_t *a_strides,
                           const onnxc_string *b, const int64_t *b_strides,
                           onnxc_string *out) {
  broadcast_walk w;
  int64_t k, total = walk_start(&w, rank, shape, a_strides, b_strides);
  for (k = 0; k < total; ++k, walk_next(&w)) {
    const onnxc_string x = a[w.a], y = b[w.b];
    char *p = arena_alloc(arena, (size_t)(x.size + y.size));
    if (!p)
      return ONNXC_ERR_OUT_OF_MEMORY;
    if (x.size)
      memcpy(p, x.data, (size_t)x.size);
    if (y.size)
      memcpy(p + x.size, y.data, (size_t)y.size);
    out[k].data = p;
    out[k].size = x.size + y.size;
  }
  return ONNXC_OK;
}

static int same_string(onnxc_string a, onnxc_string b) {
  return a.size == b.size &&
         (a.size == 0 || memcmp(a.data, b.data, (size_t)a.size) == 0);
}

int onnxc_rt_string_equal(int32_t rank, const int64_t *shape,
                          const onnxc_string *a, const int64_t *a_strides,
                          const onnxc_string *b, const int64_t *b_strides,
                          uint8_t *out) {
  broadcast_walk w;
  int64_t k, total = walk_start(&w, rank, shape, a_strides, b_strides);
  for (k = 0; k < total; ++k, walk_next(&w))
    out[k] = (uint8_t)same_string(a[w.a], b[w.b]);
  return ONNXC_OK;
}

/* ---- Cast ------------------------------------------------------------- */

/* A NUL-terminated copy of `s` in `buffer`; NULL when it does not fit (no
 * number is that long). */
static const char *terminated(onnxc_string s, char *buffer, size_t size) {
  if ((size_t)s.size >= size)
    return NULL;
  if (s.size)
    memcpy(buffer, s.data, (size_t)s.size);
  buffer[s.size] = '\0';
  return buffer;
}

int onnxc_rt_string_to_number(const char *node, const onnxc_string *in,
                              int64_t n, int32_t dtype, void *out) {
  char buffer[128], message[200];
  int64_t i;
  for (i = 0; i < n; ++i) {
    const char *text = terminated(in[i], buffer, sizeof buffer);
    char *end = NULL;
    errno = 0;
    if (text) {
      switch (dtype) {
      case ONNXC_FLOAT32:
        ((float *)out)[i] = strtof(text, &end);
        break;
      case ONNXC_FLOAT64:
        ((double *)out)[i] = strtod(text, &end);
        break;
      case ONNXC_INT64:
        ((int64_t *)out)[i] = strtoll(text, &end, 10);
        break;
      case ONNXC_UINT64:
        ((uint64_t *)out)[i] =
            text[0] == '-' ? (end = (char *)text, 0) : strtoull(text, &end, 10);
        break;
      default:
        report(node, "Cast", "unsupported target type");
        return ONNXC_ERR_KERNEL;
      }
    }
    /* Float overflow is infinity, as numpy gives; integers must fit. */
    if (!text || end == text || end != text + in[i].size ||
        (errno == ERANGE && (dtype == ONNXC_INT64 || dtype == ONNXC_UINT64))) {
      snprintf(message, sizeof message,
               "element %" PRId64 " (\"%.*s\") cannot be read as %s", i,
               (int)(in[i].size > 40 ? 40 : in[i].size),
               in[i].size > 0 ? in[i].data : "", onnxc_dtype_name(dtype));
      report(node, "Cast", message);
      return ONNXC_ERR_KERNEL;
    }
  }
  return ONNXC_OK;
}

/* `value` as numpy prints it: the shortest digits that read back as the same
 * float (or double), positional for 1e-4 <= |value| < 1e16, else
 * scientific with a two-digit exponent at least. */
static int format_float(double value, int is_float, char *out, size_t size) {
  char digits[40];
  int precision, exponent, count = 0;
  size_t at = 0;
  char *p;
  if (isnan(value))
    return snprintf(out, size, "nan");
  if (isinf(value))
    return snprintf(out, size, value < 0 ? "-inf" : "inf");
  for (precision = 1; precision <= 17; ++precision) {
    snprintf(digits, sizeof digits, "%.*e", precision - 1, value);
    if (is_float ? strtof(digits, NULL) == (float)value
                 : strtod(digits, NULL) == value)
      break;
  }
  /* digits = [-]d[.ddd]e[+-]xx */
  p = strchr(digits, 'e');
  exponent = atoi(p + 1);
  *p = '\0';
  {
    /* The significant digits without the point, trailing zeros dropped. */
    char sig[40];
    const char *q = digits;
    int negative = *q == '-';
    if (negative)
      ++q;
    for (; *q; ++q)
      if (*q != '.')
        sig[count++] = *q;
    while (count > 1 && sig[count - 1] == '0')
      --count;
    sig[count] = '\0';
    if (negative)
      out[at++] = '-';
    double magnitude = fabs(value);
    if (magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
      int i;
      if (exponent < 0) {
        at += snprintf(out + at, size - at, "0.");
        for (i = 0; i < -exponent - 1; ++i)
          out[at++] = '0';
        at += snprintf(out + at, size - at, "%s", sig);
      } else {
        for (i = 0; i <= exponent; ++i)
          out[at++] = i < count ? sig[i] : '0';
        out[at++] = '.';
        if (exponent + 1 < count)
          at += snprintf(out + at, size - at, "%s", sig + exponent + 1);
        else
          out[at++] = '0';
      }
      out[at] = '\0';
    } else {
      out[at++] = sig[0];
      if (count > 1)
        at += snprintf(out + at, size - at, ".%s", sig + 1);
      at += snprintf(out + at, size - at, "e%c%02d", exponent < 0 ? '-' : '+',
                     abs(exponent));
    }
  }
  return (int)at;
}

int onnxc_rt_number_to_string(void **arena, const void *in, int32_t dtype,
                              int64_t n, onnxc_string *out) {
  char buffer[64];
  int64_t i;
  for (i = 0; i < n; ++i) {
    int length;
    switch (dtype) {
    case ONNXC_FLOAT32:
      length = format_float(((const float *)in)[i], 1, buffer, sizeof buffer);
      break;
    case ONNXC_FLOAT64:
      length = format_float(((const double *)in)[i], 0, buffer, sizeof buffer);
      break;
    case ONNXC_INT64:
      length =
          snprintf(buffer, sizeof buffer, "%" PRId64, ((const int64_t *)in)[i]);
      break;
    case ONNXC_UINT64:
      length = snprintf(buffer, sizeof buffer, "%" PRIu64,
                        ((const uint64_t *)in)[i]);
      break;
    case ONNXC_BOOL:
      length = snprintf(buffer, sizeof buffer, "%s",
                        ((const uint8_t *)in)[i] ? "True" : "False");
      break;
    default:
      return ONNXC_ERR_KERNEL;
    }
    char *p = arena_alloc(arena, (size_t)length);
    if (!p)
      return ONNXC_ERR_OUT_OF_MEMORY;
    memcpy(p, buffer, (size_t)length);
    out[i].data = p;
    out[i].size = length;
  }
  return ONNXC_OK;
}

/* ---- StringNormalizer ------------------------------------------------- */

/* Decodes one UTF-8 code point at s[*at], advancing *at; invalid bytes
 * decode as themselves (one byte each) so they pass through unchanged. */
static uint32_t utf8_next(const unsigned char *s, int64_t size, int64_t *at,
                          int *valid) {
  unsigned char c = s[*at];
  int extra = c < 0x80       ? 0
              : c >> 5 == 6  ? 1
              : c >> 4 == 14 ? 2
              : c >> 3 == 30 ? 3
                             : -1;
  uint32_t code = extra == 0   ? c
                  : extra == 1 ? c & 0x1f
                  : extra == 2 ? c & 0x0f
                               : c & 0x07;
  int i;
  *valid = extra >= 0 && *at + extra < size;
  for (i = 1; *valid && i <= extra; ++i) {
    if ((s[*at + i] & 0xc0) != 0x80)
      *valid = 0;
    code = (code << 6) | (s[*at + i] & 0x3f);
  }
  if (!*valid) {
    *at += 1;
    return c;
  }
  *at += extra + 1;
  return code;
}

static int utf8_put(uint32_t code, char *out) {
  if (code < 0x80) {
    out[0] = (char)code;
    return 1;
  }
  if (code < 0x800) {
    out[0] = (char)(0xc0 | (code >> 6));
    out[1] = (char)(0x80 | (code & 0x3f));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = (char)(0xe0 | (code >> 12));
    out[1] = (char)(0x80 | ((code >> 6) & 0x3f));
    out[2] = (char)(0x80 | (code & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | (code >> 18));
  out[1] = (char)(0x80 | ((code >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((code >> 6) & 0x3f));
  out[3] = (char)(0x80 | (code & 0x3f));
  return 4;
}

static locale_t utf8_locale(void) {
  static locale_t locale = (locale_t)0;
  static int tried = 0;
  if (!tried) {
    tried = 1;
    locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  }
  return locale;
}

/* `s` with every code point mapped by Unicode's simple case mapping
 * (`upper` or lower); ASCII only where the C.UTF-8 locale is missing. */
static onnxc_string change_case(void **arena, onnxc_string s, int upper) {
  onnxc_string result = {NULL, 0};
  locale_t locale = utf8_locale();
  /* A simple case mapping changes a code point's UTF-8 length by at most
   * one byte per code point. */
  char *p = arena_alloc(arena, (size_t)s.size * 2 + 1);
  int64_t at = 0, length = 0;
  if (!p)
    return result;
  while (at < s.size) {
    int valid;
    int64_t start = at;
    uint32_t code =
        utf8_next((const unsigned char *)s.data, s.size, &at, &valid);
    if (!valid) {
      p[length++] = s.data[start];
      continue;
    }
    if (locale)
      code = upper ? (uint32_t)towupper_l((wint_t)code, locale)
                   : (uint32_t)towlower_l((wint_t)code, locale);
    else if (code < 0x80)
      code = upper ? (uint32_t)(code >= 'a' && code <= 'z' ? code - 32 : code)
                   : (uint32_t)(code >= 'A' && code <= 'Z' ? code + 32 : code);
    length += utf8_put(code, p + length);
  }
  result.data = p;
  result.size = length;
  return result;
}

int onnxc_rt_string_normalize(void **arena, const char *node,
                              const onnxc_string *in, int64_t n,
                              int32_t case_action, int32_t case_sensitive,
                              const onnxc_string *stopwords,
                              int64_t num_stopwords, onnxc_string *out,
                              int64_t out_n) {
  int64_t i, j, kept = 0;
  onnxc_string *lowered_stopwords = NULL;
  char message[200];
  if (!case_sensitive && num_stopwords > 0) {
    lowered_stopwords = (onnxc_string *)arena_alloc(
        arena, sizeof(onnxc_string) * (size_t)num_stopwords);
    if (!lowered_stopwords)
      return ONNXC_ERR_OUT_OF_MEMORY;
    for (j = 0; j < num_stopwords; ++j) {
      lowered_stopwords[j] = change_case(arena, stopwords[j], 0);
      if (!lowered_stopwords[j].data)
        return ONNXC_ERR_OUT_OF_MEMORY;
    }
  }
  for (i = 0; i < n; ++i) {
    int stop = 0;
    if (num_stopwords > 0) {
      onnxc_string key = in[i];
      if (!case_sensitive) {
        key = change_case(arena, in[i], 0);
        if (!key.data)
          return ONNXC_ERR_OUT_OF_MEMORY;
      }
      for (j = 0; j < num_stopwords && !stop; ++j)
        stop = same_string(key, case_sensitive ? stopwords[j]
                                               : lowered_stopwords[j]);
    }
    if (stop)
      continue;
    if (kept < out_n) {
      onnxc_string s = in[i];
      if (case_action != 0) {
        s = change_case(arena, in[i], case_action == 2);
        if (!s.data)
          return ONNXC_ERR_OUT_OF_MEMORY;
      }
      out[kept] = s;
    }
    ++kept;
  }
  /* Everything removed: ONNX's result is one empty string. */
  if (kept == 0 && out_n == 1) {
    out[0].data = "";
    out[0].size = 0;
    return ONNXC_OK;
  }
  if (kept != out_n) {
    snprintf(message, sizeof message,
             "%" PRId64 " strings remain, but the model declares %" PRId64,
             kept, out_n);
    report(node, "StringNormalizer", message);
    return ONNXC_ERR_KERNEL;
  }
  return ONNXC_OK;
}

/* ---- StringSplit ------------------------------------------------------ */

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

/* Python's str.split: on `delimiter`, or on runs of whitespace (ignoring
 * it at both ends, but for a remainder left by maxsplit) when the
 * delimiter is empty; at most `maxsplit` splits
 * when it is not negative. The first `width` substrings go to `parts`;
 * returns how many there are. */
static int64_t split_one(onnxc_string s, const char *delimiter,
                         int64_t delimiter_size, int64_t maxsplit,
                         onnxc_string *parts, int64_t width) {
  int64_t count = 0, at = 0, splits = 0;
#define EMIT(begin, length)                                                    \
  do {                                                                         \
    if (parts && count < width) {                                              \
      parts[count].data = s.data + (begin);                                    \
      parts[count].size = (length);                                            \
    }                                                                          \
    ++count;                                                                   \
  } while (0)
  if (delimiter_size == 0) {
    while (at < s.size) {
      int64_t begin;
      while (at < s.size && is_space(s.data[at]))
        ++at;
      if (at == s.size)
        break;
      if (maxsplit >= 0 && splits == maxsplit) {
        EMIT(at, s.size - at); /* the rest, trailing whitespace kept */
        break;
      }
      begin = at;
      while (at < s.size && !is_space(s.data[at]))
        ++at;
      EMIT(begin, at - begin);
      ++splits;
    }
    return count;
  }
  for (;;) {
    int64_t found = -1, k;
    if (maxsplit < 0 || splits < maxsplit)
      for (k = at; k + delimiter_size <= s.size; ++k)
        if (memcmp(s.data + k, delimiter, (size_t)delimiter_size) == 0) {
          found = k;
          break;
        }
    if (found < 0) {
      EMIT(at, s.size - at);
      return count;
    }
    EMIT(at, found - at);
    at = found + delimiter_size;
    ++splits;
  }
#undef EMIT
}

int onnxc_rt_string_split(const char *node, const onnxc_string *in, int64_t n,
                          const char *delimiter, int64_t delimiter_size,
                          int64_t maxsplit, onnxc_string *out, int64_t width,
                          int64_t *lengths) {
  int64_t i, j, widest = 0;
  char message[200];
  for (i = 0; i < n; ++i) {
    onnxc_string *row = out ? out + i * width : NULL;
    int64_t count =
        split_one(in[i], delimiter, delimiter_size, maxsplit, row, width);
    for (j = count; row && j < width; ++j) {
      row[j].data = "";
      row[j].size = 0;
    }
    if (lengths)
      lengths[i] = count;
    if (count > widest)
      widest = count;
  }
  if (out && n > 0 && widest != width) {
    snprintf(message, sizeof message,
             "the most substrings of one element is %" PRId64
             ", but the model declares %" PRId64,
             widest, width);
    report(node, "StringSplit", message);
    return ONNXC_ERR_KERNEL;
  }
  return ONNXC_OK;
}

/* ---- LabelEncoder ---------------------------------------------------- */

int onnxc_rt_label_encode(const void *in, int64_t count, int32_t key_is_string,
                          int64_t key_size, const void *keys, int64_t num_keys,
                          int64_t value_size, const void *values,
                          const void *dflt, void *out) {
  const char *k = (const char *)keys, *x = (const char *)in;
  int64_t i, j;
  for (i = 0; i < count; ++i) {
    const char *found = (const char *)dflt;
    for (j = 0; j < num_keys; ++j) {
      const char *key = k + j * key_size, *element = x + i * key_size;
      int equal = key_is_string ? same_string(*(const onnxc_string *)key,
                                              *(const onnxc_string *)element)
                                : memcmp(key, element, (size_t)key_size) == 0;
      if (equal) {
        found = (const char *)values + j * value_size;
        break;
      }
    }
    memcpy((char *)out + i * value_size, found, (size_t)value_size);
  }
  return ONNXC_OK;
}

/* ---- TreeEnsemble ---------------------------------------------------- */

static int tree_branch_true(int64_t mode, double v, double split,
                            const double *members, int64_t count) {
  int64_t k;
  switch (mode) {
  case 0:
    return v <= split;
  case 1:
    return v < split;
  case 2:
    return v >= split;
  case 3:
    return v > split;
  case 4:
    return v == split;
  case 5:
    return v != split;
  default:
    for (k = 0; k < count; ++k)
      if (members[k] == v)
        return 1;
    return 0;
  }
}

int onnxc_rt_tree_ensemble(const int64_t *ints, const double *reals,
                           const void *x, int32_t dtype, int64_t rows,
                           int64_t cols, void *out) {
  const int64_t nodes = ints[0], trees = ints[1], leaves = ints[2],
                targets = ints[3], aggregate = ints[4], post = ints[5];
  const int64_t *feature = ints + 6, *true_id = feature + nodes,
                *false_id = true_id + nodes, *true_leaf = false_id + nodes,
                *false_leaf = true_leaf + nodes, *missing = false_leaf + nodes,
                *member_start = missing + nodes,
                *member_count = member_start + nodes,
                *mode = member_count + nodes, *roots = mode + nodes,
                *leaf_target = roots + trees;
  const double *split = reals, *weight = reals + nodes,
               *members = weight + leaves;
  double *row = (double *)malloc(sizeof(double) * (size_t)(targets + cols));
  int64_t r, t, k;
  if (!row)
    return ONNXC_ERR_OUT_OF_MEMORY;
  for (r = 0; r < rows; ++r) {
    double *acc = row, *in = row + targets;
    for (k = 0; k < cols; ++k)
      in[k] = dtype == ONNXC_FLOAT32 ? ((const float *)x)[r * cols + k]
                                     : ((const double *)x)[r * cols + k];
    /* MIN and MAX start at the largest and lowest value of the result's
     * type, as ONNX's reference does (targets no leaf reaches keep it). */
    const double top = dtype == ONNXC_FLOAT32 ? FLT_MAX : DBL_MAX;
    for (k = 0; k < targets; ++k)
      acc[k] = aggregate == 2 ? top : aggregate == 3 ? -top : 0.0;
    for (t = 0; t < trees; ++t) {
      /* The compiler checked that every tree is acyclic. */
      int64_t n = roots[t], leaf;
      for (;;) {
        double v = in[feature[n]];
        int go_true =
            (missing[n] && isnan(v)) ||
            tree_branch_true(mode[n], v, split[n], members + member_start[n],
                             member_count[n]);
        int64_t next = go_true ? true_id[n] : false_id[n];
        if (go_true ? true_leaf[n] : false_leaf[n]) {
          leaf = next;
          break;
        }
        n = next;
      }
      double w = weight[leaf];
      double *a = acc + leaf_target[leaf];
      switch (aggregate) {
      case 0:
        *a += w / (double)trees;
        break;
      case 1:
        *a += w;
        break;
      case 2:
        *a = w < *a ? w : *a;
        break;
      default:
        *a = w > *a ? w : *a;
        break;
      }
    }
    if (post == 2) { /* LOGISTIC */
      for (k = 0; k < targets; ++k)
        acc[k] = 1.0 / (1.0 + exp(-acc[k]));
    } else if (post == 1 || post == 3) { /* SOFTMAX, SOFTMAX_ZERO */
      double high = -DBL_MAX, sum = 0;
      for (k = 0; k < targets; ++k)
        if ((post == 1 || acc[k] != 0) && acc[k] > high)
          high = acc[k];
      for (k = 0; k < targets; ++k) {
        if (post == 3 && acc[k] == 0)
          continue;
        acc[k] = exp(acc[k] - high);
        sum += acc[k];
      }
      for (k = 0; k < targets; ++k)
        if (post == 1 || acc[k] != 0)
          acc[k] /= sum;
    }
    for (k = 0; k < targets; ++k) {
      if (dtype == ONNXC_FLOAT32)
        ((float *)out)[r * targets + k] = (float)acc[k];
      else
        ((double *)out)[r * targets + k] = acc[k];
    }
  }
  free(row);
  return ONNXC_OK;
}

/* ---- RegexFullMatch --------------------------------------------------- */

int onnxc_rt_regex_full_match(const char *node, const char *pattern,
                              const onnxc_string *in, int64_t n, uint8_t *out) {
  regex_t regex;
  int64_t i;
  int rc = regcomp(&regex, pattern, REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    char message[256];
    regerror(rc, &regex, message, sizeof message);
    report(node, "RegexFullMatch", message);
    return ONNXC_ERR_KERNEL;
  }
  for (i = 0; i < n; ++i) {
    regmatch_t range[1];
    range[0].rm_so = 0;
    range[0].rm_eo = (regoff_t)in[i].size;
    /* REG_STARTEND: the element's bytes, without a NUL terminator. */
    out[i] = regexec(&regex, in[i].size ? in[i].data : "", 1, range,
                     REG_STARTEND) == 0;
  }
  regfree(&regex);
  return ONNXC_OK;
}
