/* run_batch on 3 items gives, item for item, what run gives on each,
 * whether the items run in turn or in parallel lanes; a negative batch is
 * refused and a batch of 0 does nothing. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  enum { kItems = 3 };
  static float x[kItems * MODEL_INPUT0_SIZE], y[kItems * MODEL_OUTPUT0_SIZE],
      one[MODEL_OUTPUT0_SIZE];
  for (int i = 0; i < kItems * MODEL_INPUT0_SIZE; ++i)
    x[i] = (float)((i * 7919) % 1000) / 1000.0f;
  void *ws = malloc(model_workspace_size());
  const void *in[1] = {x};
  void *out[1] = {y};
  /* One lane (items in turn), two lanes (items 0 and 2 on one, item 1 on
   * the other), three (one item each). */
  int threads[] = {1, 2, 3};
  for (int t = 0; t < 3; ++t) {
    model_set_num_threads(threads[t]);
    memset(y, 0, sizeof y);
    if (model_run_batch(kItems, in, out, ws) != ONNXC_OK)
      return 1;
    for (int item = 0; item < kItems; ++item) {
      const void *item_in[1] = {x + item * MODEL_INPUT0_SIZE};
      void *item_out[1] = {one};
      if (model_run(item_in, item_out, ws) != ONNXC_OK)
        return 2;
      if (memcmp(one, y + item * MODEL_OUTPUT0_SIZE, sizeof one) != 0) {
        printf("%d threads: item %d differs\n", threads[t], item);
        return 3;
      }
    }
  }
  printf("negative batch: %s\n",
         onnxc_status_message(model_run_batch(-1, in, out, ws)));
  memset(y, 0, sizeof y);
  printf("batch 0: %s, outputs untouched: %d\n",
         onnxc_status_message(model_run_batch(0, in, out, ws)), y[0] == 0.0f);
  printf("items agree: %d, with 1, 2 and 3 threads\n", kItems);
  free(ws);
  return 0;
}
