/* Runs the string model of strings.py through its generated C API: string
 * inputs are borrowed, string outputs become the caller's (freed with
 * onnxc_free_strings), and after a failed run they are empty. */
#include <stdio.h>
#include <string.h>

#include "m.h"
#include "onnxc/runtime.h"

static onnxc_string str(const char *s) {
  onnxc_string out = {s, (int64_t)strlen(s)};
  return out;
}

static void print(const char *label, const onnxc_string *s, int n) {
  int i;
  printf("%s", label);
  for (i = 0; i < n; ++i)
    printf(" [%.*s]", (int)s[i].size, s[i].data ? s[i].data : "");
  printf("\n");
}

int main(void) {
  onnxc_string words[4], suffix[1], text[2], joined[3], parts[6], num_text[3],
      small_text[3], echo[4];
  float nums[3] = {0.1f, -2.5f, 1e-5f}, back[3];
  unsigned char same[3], match[2];
  int64_t counts[2];
  const void *inputs[M_NUM_INPUTS] = {words, suffix, text, nums};
  void *outputs[M_NUM_OUTPUTS] = {joined,   same, parts,      counts, match,
                                  num_text, back, small_text, echo};
  char scratch[8];
  int run, rc;

  for (run = 0; run < 2; ++run) {
    strcpy(scratch, "mouse");
    words[0] = str("cat");
    words[1] = str("The");
    words[2] = str(scratch);
    words[3] = str("dog");
    suffix[0] = str("!");
    text[0] = str("a,b,c");
    text[1] = str("de,f9");
    rc = m_run(inputs, outputs, NULL);
    /* The outputs are copies: changing an input afterwards changes none. */
    scratch[0] = 'h';
    printf("run %d rc=%d\n", run, rc);
    print("joined", joined, 3);
    print("parts", parts, 6);
    print("num_text", num_text, 3);
    print("small_text", small_text, 3);
    print("echo", echo, 4);
    printf("same %d %d %d counts %lld %lld\n", same[0], same[1], same[2],
           (long long)counts[0], (long long)counts[1]);
    onnxc_free_strings(joined, 3);
    onnxc_free_strings(parts, 6);
    onnxc_free_strings(num_text, 3);
    onnxc_free_strings(small_text, 3);
    onnxc_free_strings(echo, 4);
  }

  /* Four parts where three are declared: the run fails and its string
   * outputs are left empty, so freeing them is harmless. */
  text[0] = str("a,b,c,d");
  rc = m_run(inputs, outputs, NULL);
  printf("wide rc=%d joined[0].data=%s size=%lld\n", rc,
         joined[0].data ? "set" : "NULL", (long long)joined[0].size);
  onnxc_free_strings(joined, 3);
  return 0;
}
