/* Example driver: runs the compiled MNIST model on a fixed input pattern. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "mnist.h"
#include "onnxc/runtime.h"

/* Must match make_input() in make_model.py bit for bit: computed in double and
   rounded once, so the reference output applies to this input. */
static void fill_input(float *x, long n) {
  long i;
  for (i = 0; i < n; ++i)
    x[i] = (float)((double)((i * 37) % 101) / 101.0 - 0.5);
}

static int parse_threads(const char *text, int *threads) {
  char *end = NULL;
  long value = strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < 1 || value > INT_MAX)
    return 0;
  *threads = (int)value;
  return 1;
}

int main(int argc, char **argv) {
  static float input[MNIST_INPUT0_SIZE];
  static float output[MNIST_OUTPUT0_SIZE];
  const void *inputs[MNIST_NUM_INPUTS];
  void *outputs[MNIST_NUM_OUTPUTS];
  size_t workspace_size;
  void *workspace = NULL;
  int rc;
  long i;
  long best = 0;

  if (argc > 2) {
    fprintf(stderr, "usage: %s [num_threads]\n", argv[0]);
    return 1;
  }
  if (argc == 2) {
    int threads;
    if (!parse_threads(argv[1], &threads)) {
      fprintf(stderr, "error: invalid thread count '%s'\n", argv[1]);
      return 1;
    }
    mnist_set_num_threads(threads);
  }

  fill_input(input, MNIST_INPUT0_SIZE);
  inputs[0] = input;
  outputs[0] = output;

  workspace_size = mnist_workspace_size();
  if (workspace_size > 0) {
    workspace = malloc(workspace_size);
    if (workspace == NULL) {
      fprintf(stderr, "error: cannot allocate %lu workspace bytes\n",
              (unsigned long)workspace_size);
      return 1;
    }
  }

  rc = mnist_run(inputs, outputs, workspace);
  free(workspace);
  if (rc != ONNXC_OK) {
    fprintf(stderr, "error: mnist_run failed (%d): %s\n", rc,
            onnxc_status_message(rc));
    return 1;
  }

  for (i = 0; i < MNIST_OUTPUT0_SIZE; ++i) {
    printf("%s[%ld] = %.9g\n", MNIST_OUTPUT0_NAME, i, (double)output[i]);
    if (output[i] > output[best])
      best = i;
  }
  printf("argmax = %ld\n", best);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "error: writing results failed\n");
    return 1;
  }
  return 0;
}
