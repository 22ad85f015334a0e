/* <name>_set_num_threads sizes the kernels' thread pool both ways: the
 * process's thread count follows it (a smaller size ends the extra
 * workers), and every size computes the same outputs. */
#include "model.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int threads(void) {
  DIR *dir = opendir("/proc/self/task");
  int n = 0;
  for (struct dirent *e; dir && (e = readdir(dir));)
    n += e->d_name[0] != '.';
  if (dir)
    closedir(dir);
  return n;
}

int main(void) {
  static float x[MODEL_INPUT0_SIZE], first[MODEL_OUTPUT0_SIZE],
      y[MODEL_OUTPUT0_SIZE];
  for (int i = 0; i < MODEL_INPUT0_SIZE; ++i)
    x[i] = (float)((i * 7919) % 1000) / 1000.0f;
  void *ws = malloc(model_workspace_size());
  const void *in[1] = {x};
  void *out[1] = {first};
  int sizes[] = {3, 1, 2, 1};
  for (int i = 0; i < 4; ++i) {
    model_set_num_threads(sizes[i]);
    if (model_run(in, out, ws) != ONNXC_OK)
      return 1;
    printf("pool of %d: %d threads, same outputs: %d\n", sizes[i], threads(),
           i == 0 || memcmp(first, y, sizeof y) == 0);
    out[0] = y;
  }
  free(ws);
  return 0;
}
