// Target lookup: named variants, the host, and unknown names.
#include "targets/Target.h"

#include <gtest/gtest.h>

using namespace onnxc;

TEST(Target, NamedVariants) {
  std::string error;
  auto avx2 = lookupTarget("x86-64-avx2", error);
  ASSERT_TRUE(avx2.has_value());
  EXPECT_EQ(avx2->vectorBits, 256);
  EXPECT_NE(avx2->halideTarget.find("avx2"), std::string::npos);
  auto avx512 = lookupTarget("x86-64-avx512", error);
  ASSERT_TRUE(avx512.has_value());
  EXPECT_EQ(avx512->floatLanes(), 16);
}

TEST(Target, HostResolvesToAVariant) {
  std::string error;
  auto host = lookupTarget("host", error);
  ASSERT_TRUE(host.has_value()) << error;
  EXPECT_NE(host->name, "host");
  EXPECT_GE(host->vectorBits, 128);
}

TEST(Target, UnknownNameIsAnError) {
  std::string error;
  EXPECT_FALSE(lookupTarget("riscv-v", error).has_value());
  EXPECT_NE(error.find("riscv-v"), std::string::npos);
  EXPECT_NE(error.find("x86-64-avx2"), std::string::npos);
}
