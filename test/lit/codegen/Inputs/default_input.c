/* Runs model `m` (y = x + b, b defaulting to 10) with b given and with b
 * left NULL, printing y[5] each time. */
#include "m.h"

#include <stdio.h>

int main(void) {
  float x[6] = {0, 1, 2, 3, 4, 5}, b[6] = {1, 1, 1, 1, 1, 1}, y[6];
  const void *given[] = {x, b}, *omitted[] = {x, NULL};
  void *outputs[] = {y};
  int rc = m_run(given, outputs, NULL);
  printf("given rc=%d y5=%g\n", rc, y[5]);
  rc = m_run(omitted, outputs, NULL);
  printf("omitted rc=%d y5=%g\n", rc, y[5]);
  const void *missing[] = {NULL, b};
  printf("missing x rc=%d\n", m_run(missing, outputs, NULL));
  return 0;
}
