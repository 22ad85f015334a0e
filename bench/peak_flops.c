/* Measured FP32 peak of one core: independent fused multiply-adds on full
 * vector registers (AVX2: 8 lanes; AVX-512 when built with -mavx512f: 16),
 * enough chains to hide the FMA latency. Prints "peak_gflops <value>". */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#endif

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  /* Ten chains in registers (more than FMA latency x units). */
  vec c0 = SET1(0.0f), c1 = SET1(0.1f), c2 = SET1(0.2f), c3 = SET1(0.3f),
      c4 = SET1(0.4f), c5 = SET1(0.5f), c6 = SET1(0.6f), c7 = SET1(0.7f),
      c8 = SET1(0.8f), c9 = SET1(0.9f);
  const vec a = SET1(0.999999f), b = SET1(1e-7f);
  const long iterations = 50000000L;
  double best = 0;
  for (int repeat = 0; repeat < 5; ++repeat) {
    double t0 = now();
    for (long it = 0; it < iterations; ++it) {
      c0 = FMA(c0, a, b);
      c1 = FMA(c1, a, b);
      c2 = FMA(c2, a, b);
      c3 = FMA(c3, a, b);
      c4 = FMA(c4, a, b);
      c5 = FMA(c5, a, b);
      c6 = FMA(c6, a, b);
      c7 = FMA(c7, a, b);
      c8 = FMA(c8, a, b);
      c9 = FMA(c9, a, b);
      /* Keeps the chains in registers and the loop in place. */
      __asm__ volatile(""
                       : "+x"(c0), "+x"(c1), "+x"(c2), "+x"(c3), "+x"(c4),
                         "+x"(c5), "+x"(c6), "+x"(c7), "+x"(c8), "+x"(c9));
    }
    double seconds = now() - t0;
    double gflops = (double)iterations * 10 * LANES * 2 / seconds / 1e9;
    if (gflops > best)
      best = gflops;
  }
  vec sum = ADD(ADD(ADD(c0, c1), ADD(c2, c3)),
                ADD(ADD(ADD(c4, c5), ADD(c6, c7)), ADD(c8, c9)));
  float out[LANES];
  STORE(out, sum);
  printf("peak_gflops %.1f lanes %d checksum %g\n", best, LANES, out[0]);
  return 0;
}
