/* onnxc runtime: random draws for RandomUniform, RandomNormal and the ops
 * written with them (Bernoulli, Dropout in training mode).
 *
 * The generator is MT19937, seeded and read as numpy's legacy RandomState
 * is (init_genrand, 53-bit doubles, the polar Gaussian method keeping the
 * second value), so a seeded op draws what ONNX's reference implementation
 * draws. Declarations: onnxc/kernels.h. */
#define _POSIX_C_SOURCE 200809L
#include "onnxc/kernels.h"

#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { kStateWords = 624, kShift = 397 };

typedef struct {
  uint32_t key[kStateWords];
  int pos;
  int has_gauss;
  double gauss;
} mt_state;

static void mt_seed(mt_state *s, uint32_t seed) {
  for (int i = 0; i < kStateWords; ++i) {
    s->key[i] = seed;
    seed = 1812433253u * (seed ^ (seed >> 30)) + (uint32_t)i + 1u;
  }
  s->pos = kStateWords;
  s->has_gauss = 0;
  s->gauss = 0.0;
}

static uint32_t mix(uint32_t upper, uint32_t lower) {
  return (upper & 0x80000000u) | (lower & 0x7fffffffu);
}

static uint32_t twist(uint32_t y) {
  return (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
}

static void mt_refill(mt_state *s) {
  uint32_t *k = s->key;
  int i = 0;
  for (; i < kStateWords - kShift; ++i)
    k[i] = k[i + kShift] ^ twist(mix(k[i], k[i + 1]));
  for (; i < kStateWords - 1; ++i)
    k[i] = k[i + kShift - kStateWords] ^ twist(mix(k[i], k[i + 1]));
  k[kStateWords - 1] = k[kShift - 1] ^ twist(mix(k[kStateWords - 1], k[0]));
  s->pos = 0;
}

static uint32_t mt_next32(mt_state *s) {
  if (s->pos == kStateWords)
    mt_refill(s);
  uint32_t y = s->key[s->pos++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

/* A double in [0, 1) from 53 random bits. */
static double mt_double(mt_state *s) {
  uint32_t a = mt_next32(s) >> 5, b = mt_next32(s) >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

static double mt_gauss(mt_state *s) {
  if (s->has_gauss) {
    s->has_gauss = 0;
    return s->gauss;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * mt_double(s) - 1.0;
    x2 = 2.0 * mt_double(s) - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = sqrt(-2.0 * log(r2) / r2);
  s->gauss = f * x1;
  s->has_gauss = 1;
  return f * x2;
}

/* A seed that differs on every call: the wall clock in nanoseconds, the
 * process id, a call counter and the state's address, mixed by
 * splitmix64. */
static uint32_t fresh_seed(const void *salt) {
  static uint64_t calls;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t z = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
  z ^= (uint64_t)getpid() << 40;
  z += __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED) * 0x9e3779b97f4a7c15u;
  z ^= (uint64_t)(uintptr_t)salt;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return (uint32_t)(z ^ (z >> 31));
}

/* float to IEEE half and to bfloat16, rounding to nearest even. */
static uint16_t to_half(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u, mag = x & 0x7fffffffu;
  if (mag >= 0x7f800000u) /* inf or nan */
    return (uint16_t)(sign | 0x7c00u | (mag > 0x7f800000u ? 0x200u : 0u));
  if (mag >= 0x477ff000u) /* rounds to >= 65520: inf */
    return (uint16_t)(sign | 0x7c00u);
  if (mag < 0x38800000u) { /* below 2^-14: a subnormal half (or zero) */
    float a;
    memcpy(&a, &mag, 4);
    /* Adding 0.5 leaves the half's subnormal bits, rounded to nearest
     * even by the float addition, in the low bits. */
    float shifted = a + 0.5f;
    uint32_t bits;
    memcpy(&bits, &shifted, 4);
    return (uint16_t)(sign | (bits - 0x3f000000u));
  }
  uint32_t odd = (mag >> 13) & 1u;
  mag += 0xc8000fffu + odd; /* rebias the exponent, round */
  return (uint16_t)(sign | (mag >> 13));
}

static uint16_t to_bfloat16(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u)
    return (uint16_t)((x >> 16) | 0x40u);
  x += 0x7fffu + ((x >> 16) & 1u);
  return (uint16_t)(x >> 16);
}

int onnxc_rt_random(int32_t distribution, int32_t seeded, double seed, double a,
                    double b, int32_t dtype, int64_t count, void *out) {
  mt_state state;
  /* numpy takes the seed as an integer; ONNX's float seed is truncated. */
  mt_seed(&state, seeded ? (uint32_t)(int64_t)seed : fresh_seed(&state));
  for (int64_t i = 0; i < count; ++i) {
    double v = distribution == 0 ? a + (b - a) * mt_double(&state)
                                 : a + b * mt_gauss(&state);
    switch (dtype) {
    case ONNXC_FLOAT64:
      ((double *)out)[i] = v;
      break;
    case ONNXC_FLOAT32:
      ((float *)out)[i] = (float)v;
      break;
    case ONNXC_FLOAT16:
      ((uint16_t *)out)[i] = to_half((float)v);
      break;
    case ONNXC_BFLOAT16:
      ((uint16_t *)out)[i] = to_bfloat16((float)v);
      break;
    default:
      return ONNXC_ERR_KERNEL;
    }
  }
  return ONNXC_OK;
}
