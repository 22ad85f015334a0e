// Unit tests for onnxc-run's tensor file I/O and comparison (TensorIO).
#include "TensorIO.h"
#include "onnxc/runtime.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace onnxc {
namespace {

namespace fs = std::filesystem;

template <typename T> std::vector<uint8_t> bytesOf(const std::vector<T> &v) {
  std::vector<uint8_t> out(v.size() * sizeof(T));
  if (!v.empty())
    std::memcpy(out.data(), v.data(), out.size());
  return out;
}

template <typename T> std::vector<T> valuesOf(const HostTensor &t) {
  std::vector<T> out(t.data.size() / sizeof(T));
  if (!out.empty())
    std::memcpy(out.data(), t.data.data(), out.size() * sizeof(T));
  return out;
}

HostTensor makeFloat(std::vector<int64_t> shape, std::vector<float> values) {
  HostTensor t;
  t.dtype = onnx::TensorProto::FLOAT;
  t.shape = std::move(shape);
  t.data = bytesOf(values);
  return t;
}

class TensorIOTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::random_device rd;
    dir_ =
        fs::temp_directory_path() /
        ("onnxc_tensorio_" +
         std::string(
             ::testing::UnitTest::GetInstance()->current_test_info()->name()) +
         "_" + std::to_string(rd()));
    fs::create_directories(dir_);
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string path(const std::string &name) const {
    return (dir_ / name).string();
  }

  void writeBytes(const std::string &file, const std::string &bytes) const {
    std::ofstream os(file, std::ios::binary);
    os.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(os.good());
  }

  std::string readBytes(const std::string &file) const {
    std::ifstream is(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(is), {});
  }

  // A version 1.0 .npy file with the given header dict and payload.
  std::string npyV1(const std::string &dict, const std::string &payload) {
    std::string header = dict;
    while ((10 + header.size() + 1) % 64 != 0)
      header += ' ';
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    return out + header + payload;
  }

  void writeProto(const std::string &file, const onnx::TensorProto &proto) {
    std::string bytes;
    ASSERT_TRUE(proto.SerializeToString(&bytes));
    writeBytes(file, bytes);
  }

  fs::path dir_;
};

TEST(DTypeTest, SizesAndNames) {
  EXPECT_EQ(dtypeSize(onnx::TensorProto::FLOAT), 4u);
  EXPECT_EQ(dtypeSize(onnx::TensorProto::DOUBLE), 8u);
  EXPECT_EQ(dtypeSize(onnx::TensorProto::FLOAT16), 2u);
  EXPECT_EQ(dtypeSize(onnx::TensorProto::BOOL), 1u);
  EXPECT_EQ(dtypeSize(onnx::TensorProto::INT64), 8u);
  EXPECT_EQ(dtypeSize(onnx::TensorProto::STRING), sizeof(onnxc_string));
  EXPECT_EQ(dtypeSize(onnx::TensorProto::COMPLEX64), 0u);
  EXPECT_EQ(dtypeSize(0), 0u);
  EXPECT_STREQ(dtypeName(onnx::TensorProto::FLOAT), "float32");
  EXPECT_STREQ(dtypeName(onnx::TensorProto::DOUBLE), "float64");
  EXPECT_STREQ(dtypeName(onnx::TensorProto::UINT16), "uint16");
  EXPECT_STREQ(dtypeName(999), "unknown");
}

TEST(HostTensorTest, NumElements) {
  HostTensor t;
  EXPECT_EQ(t.numElements(), 1); // Scalar.
  t.shape = {2, 3, 4};
  EXPECT_EQ(t.numElements(), 24);
  t.shape = {2, 0, 4};
  EXPECT_EQ(t.numElements(), 0);
  t.shape = {-1, 3};
  EXPECT_EQ(t.numElements(), -1);
  EXPECT_EQ(t.elementSize(), 4u);
}

TEST_F(TensorIOTest, NpyRoundTripFloat) {
  HostTensor t = makeFloat({2, 3}, {1.5f, -2.25f, 0.f, 3e-8f, 1e30f, -0.f});
  ASSERT_EQ(writeNpy(path("a.npy"), t), "");

  std::string bytes = readBytes(path("a.npy"));
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ((bytes.size() - t.data.size()) % 64, 0u); // Aligned data.
  EXPECT_NE(bytes.find("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (2, 3), }"),
            std::string::npos);

  HostTensor back;
  ASSERT_EQ(readTensorFile(path("a.npy"), back), "");
  EXPECT_EQ(back.dtype, onnx::TensorProto::FLOAT);
  EXPECT_EQ(back.shape, t.shape);
  EXPECT_EQ(back.data, t.data);
}

TEST_F(TensorIOTest, NpyRoundTripOtherTypes) {
  struct Case {
    int32_t dtype;
    std::vector<int64_t> shape;
    std::vector<uint8_t> data;
    const char *descr;
  };
  const Case cases[] = {
      {onnx::TensorProto::INT64,
       {3},
       bytesOf<int64_t>({-1, 0, 1LL << 40}),
       "'<i8'"},
      {onnx::TensorProto::UINT8, {2, 2}, {0, 1, 254, 255}, "'|u1'"},
      {onnx::TensorProto::INT8, {2}, bytesOf<int8_t>({-128, 127}), "'|i1'"},
      {onnx::TensorProto::BOOL, {3}, {1, 0, 1}, "'|b1'"},
      {onnx::TensorProto::FLOAT16,
       {2},
       bytesOf<uint16_t>({0x3c00, 0xc000}),
       "'<f2'"},
      {onnx::TensorProto::DOUBLE, {}, bytesOf<double>({3.25}), "'<f8'"},
      {onnx::TensorProto::UINT64, {1}, bytesOf<uint64_t>({~0ULL}), "'<u8'"},
      {onnx::TensorProto::INT32, {0, 4}, {}, "'<i4'"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(dtypeName(c.dtype));
    HostTensor t;
    t.dtype = c.dtype;
    t.shape = c.shape;
    t.data = c.data;
    ASSERT_EQ(writeNpy(path("t.npy"), t), "");
    EXPECT_NE(readBytes(path("t.npy")).find(c.descr), std::string::npos);
    HostTensor back;
    ASSERT_EQ(readTensorFile(path("t.npy"), back), "");
    EXPECT_EQ(back.dtype, c.dtype);
    EXPECT_EQ(back.shape, c.shape);
    EXPECT_EQ(back.data, c.data);
  }
}

TEST_F(TensorIOTest, NpyOneDimensionalAndScalarHeaders) {
  HostTensor vec = makeFloat({4}, {1, 2, 3, 4});
  ASSERT_EQ(writeNpy(path("v.npy"), vec), "");
  EXPECT_NE(readBytes(path("v.npy")).find("'shape': (4,)"), std::string::npos);
  HostTensor scalar = makeFloat({}, {7});
  ASSERT_EQ(writeNpy(path("s.npy"), scalar), "");
  EXPECT_NE(readBytes(path("s.npy")).find("'shape': ()"), std::string::npos);
}

TEST_F(TensorIOTest, ReadsNumpyWrittenHeaders) {
  std::string payload = std::string("\x01\x00\x00\x00\xfe\xff\xff\xff", 8);
  // As numpy >= 1.x writes them, with and without spacing variations.
  writeBytes(path("a.npy"),
             npyV1("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                   payload));
  HostTensor t;
  ASSERT_EQ(readTensorFile(path("a.npy"), t), "");
  EXPECT_EQ(t.dtype, onnx::TensorProto::INT32);
  EXPECT_EQ(t.shape, std::vector<int64_t>({2}));
  EXPECT_EQ(valuesOf<int32_t>(t), std::vector<int32_t>({1, -2}));

  writeBytes(
      path("b.NPY"),
      npyV1("{\"shape\":(1,2),\"descr\":\"=i4\",\"fortran_order\":False}",
            payload));
  ASSERT_EQ(readTensorFile(path("b.NPY"), t), "");
  EXPECT_EQ(t.shape, std::vector<int64_t>({1, 2}));

  // Version 2.0 uses a four-byte header length.
  std::string dict =
      "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }\n";
  std::string v2("\x93NUMPY\x02\x00", 8);
  for (int i = 0; i < 4; ++i)
    v2 += static_cast<char>((dict.size() >> (8 * i)) & 0xff);
  writeBytes(path("c.npy"), v2 + dict + std::string("\x01\x00\x01", 3));
  ASSERT_EQ(readTensorFile(path("c.npy"), t), "");
  EXPECT_EQ(t.dtype, onnx::TensorProto::BOOL);
  EXPECT_EQ(t.data, std::vector<uint8_t>({1, 0, 1}));
}

TEST_F(TensorIOTest, TruncatedNpyIsAnError) {
  HostTensor t = makeFloat({2, 3}, {1, 2, 3, 4, 5, 6});
  ASSERT_EQ(writeNpy(path("a.npy"), t), "");
  std::string bytes = readBytes(path("a.npy"));

  writeBytes(path("short.npy"), bytes.substr(0, bytes.size() - 1));
  HostTensor back;
  std::string err = readTensorFile(path("short.npy"), back);
  EXPECT_NE(err.find("short.npy"), std::string::npos) << err;
  EXPECT_NE(err.find("truncated"), std::string::npos) << err;

  for (size_t len : {0, 5, 9, 20}) {
    SCOPED_TRACE(len);
    writeBytes(path("hdr.npy"), bytes.substr(0, len));
    EXPECT_NE(readTensorFile(path("hdr.npy"), back), "");
  }

  writeBytes(path("long.npy"), bytes + "x");
  EXPECT_NE(readTensorFile(path("long.npy"), back), "");
}

TEST_F(TensorIOTest, AbsurdNpyShapesAreErrors) {
  HostTensor t;
  const char *dicts[] = {
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, "
      "4294967296, 4294967296), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': "
      "(99999999999999999999999,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }",
  };
  for (const char *dict : dicts) {
    SCOPED_TRACE(dict);
    writeBytes(path("a.npy"), npyV1(dict, std::string(16, '\0')));
    EXPECT_NE(readTensorFile(path("a.npy"), t), "");
  }
}

TEST_F(TensorIOTest, UnsupportedNpyLayoutsAreClearErrors) {
  HostTensor t;
  writeBytes(path("be.npy"),
             npyV1("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                   std::string(4, '\0')));
  std::string err = readTensorFile(path("be.npy"), t);
  EXPECT_NE(err.find("big-endian"), std::string::npos) << err;

  writeBytes(path("f.npy"),
             npyV1("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                   std::string(16, '\0')));
  err = readTensorFile(path("f.npy"), t);
  EXPECT_NE(err.find("fortran_order"), std::string::npos) << err;

  writeBytes(path("c.npy"),
             npyV1("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                   std::string(8, '\0')));
  err = readTensorFile(path("c.npy"), t);
  EXPECT_NE(err.find("unsupported dtype"), std::string::npos) << err;

  writeBytes(path("s.npy"), npyV1("{'descr': [('a', '<f4')], 'fortran_order': "
                                  "False, 'shape': (1,), }",
                                  std::string(4, '\0')));
  EXPECT_NE(readTensorFile(path("s.npy"), t), "");

  err = readTensorFile(path("missing.npy"), t);
  EXPECT_NE(err.find("missing.npy"), std::string::npos) << err;

  writeBytes(path("x.bin"), "data");
  EXPECT_NE(readTensorFile(path("x.bin"), t), "");
}

TEST_F(TensorIOTest, ReadsTensorProtoRawData) {
  std::vector<float> values = {0.5f, -1.f, 2.f, 4.f, 8.f, 16.f};
  onnx::TensorProto proto;
  proto.set_name("probabilities");
  proto.set_data_type(onnx::TensorProto::FLOAT);
  proto.add_dims(2);
  proto.add_dims(3);
  std::vector<uint8_t> raw = bytesOf(values);
  proto.set_raw_data(std::string(raw.begin(), raw.end()));
  writeProto(path("output_0.pb"), proto);

  HostTensor t;
  ASSERT_EQ(readTensorFile(path("output_0.pb"), t), "");
  EXPECT_EQ(t.name, "probabilities");
  EXPECT_EQ(t.dtype, onnx::TensorProto::FLOAT);
  EXPECT_EQ(t.shape, std::vector<int64_t>({2, 3}));
  EXPECT_EQ(valuesOf<float>(t), values);

  proto.add_dims(2); // raw_data no longer matches the shape.
  writeProto(path("bad.pb"), proto);
  std::string err = readTensorFile(path("bad.pb"), t);
  EXPECT_NE(err.find("bad.pb"), std::string::npos) << err;
  EXPECT_NE(err.find("raw_data"), std::string::npos) << err;
}

TEST_F(TensorIOTest, ReadsPackedFourBitAndFloat8) {
  // int4 (22): two elements per byte, the first in the low nibble; an odd
  // count leaves the last high nibble unused. Unpacked, sign-extended.
  onnx::TensorProto proto;
  proto.set_data_type(22);
  proto.add_dims(3);
  proto.set_raw_data(std::string("\x8f\x07", 2)); // -1, -8, 7
  writeProto(path("i4.pb"), proto);
  HostTensor t;
  ASSERT_EQ(readTensorFile(path("i4.pb"), t), "");
  EXPECT_EQ(valuesOf<int8_t>(t), std::vector<int8_t>({-1, -8, 7}));
  EXPECT_EQ(elementAsDouble(22, t.data.data()), -1.0);

  proto.set_raw_data(std::string("\x8f\x07\x00", 3)); // one byte too many
  writeProto(path("i4-bad.pb"), proto);
  EXPECT_NE(readTensorFile(path("i4-bad.pb"), t).find("4-bit data"),
            std::string::npos);

  // float8e4m3fn (17): one byte per element, decoded for comparisons.
  proto.Clear();
  proto.set_data_type(17);
  proto.add_dims(4);
  proto.set_raw_data(std::string("\x38\xfe\x7f\x01", 4));
  writeProto(path("f8.pb"), proto);
  ASSERT_EQ(readTensorFile(path("f8.pb"), t), "");
  ASSERT_EQ(t.data.size(), 4u);
  EXPECT_EQ(elementAsDouble(17, &t.data[0]), 1.0);
  EXPECT_EQ(elementAsDouble(17, &t.data[1]), -448.0);
  EXPECT_TRUE(std::isnan(elementAsDouble(17, &t.data[2])));
  EXPECT_EQ(elementAsDouble(17, &t.data[3]), std::ldexp(1.0, -9));
  uint8_t e5m2Inf = 0x7c, e5m2fnuzNaN = 0x80;
  EXPECT_TRUE(std::isinf(elementAsDouble(19, &e5m2Inf)));
  EXPECT_TRUE(std::isnan(elementAsDouble(20, &e5m2fnuzNaN)));
  EXPECT_TRUE(isBitsOf(onnx::TensorProto::UINT8, 17));
  EXPECT_TRUE(isBitsOf(onnx::TensorProto::INT8, 22));
  EXPECT_FALSE(isBitsOf(onnx::TensorProto::INT8, 17));
}

TEST_F(TensorIOTest, ReadsTensorProtoTypedFields) {
  onnx::TensorProto proto;
  proto.set_name("x");
  proto.set_data_type(onnx::TensorProto::FLOAT);
  proto.add_dims(3);
  for (float v : {1.f, 2.5f, -3.f})
    proto.add_float_data(v);
  writeProto(path("f.pb"), proto);
  HostTensor t;
  ASSERT_EQ(readTensorFile(path("f.pb"), t), "");
  EXPECT_EQ(t.shape, std::vector<int64_t>({3}));
  EXPECT_EQ(valuesOf<float>(t), std::vector<float>({1.f, 2.5f, -3.f}));

  proto.add_float_data(4.f); // One value too many for the shape.
  writeProto(path("f4.pb"), proto);
  std::string err = readTensorFile(path("f4.pb"), t);
  EXPECT_NE(err.find("float_data"), std::string::npos) << err;

  onnx::TensorProto i64;
  i64.set_data_type(onnx::TensorProto::INT64);
  i64.add_dims(2);
  i64.add_int64_data(-5);
  i64.add_int64_data(1LL << 50);
  writeProto(path("i64.pb"), i64);
  ASSERT_EQ(readTensorFile(path("i64.pb"), t), "");
  EXPECT_EQ(valuesOf<int64_t>(t), std::vector<int64_t>({-5, 1LL << 50}));

  onnx::TensorProto i8;
  i8.set_data_type(onnx::TensorProto::INT8);
  i8.add_dims(2);
  i8.add_int32_data(-7);
  i8.add_int32_data(100);
  writeProto(path("i8.pb"), i8);
  ASSERT_EQ(readTensorFile(path("i8.pb"), t), "");
  EXPECT_EQ(valuesOf<int8_t>(t), std::vector<int8_t>({-7, 100}));

  onnx::TensorProto half; // float16 bit patterns live in int32_data.
  half.set_data_type(onnx::TensorProto::FLOAT16);
  half.add_int32_data(0x3c00);
  writeProto(path("h.pb"), half);
  ASSERT_EQ(readTensorFile(path("h.pb"), t), "");
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(valuesOf<uint16_t>(t), std::vector<uint16_t>({0x3c00}));

  onnx::TensorProto d;
  d.set_data_type(onnx::TensorProto::DOUBLE);
  d.add_dims(1);
  d.add_double_data(0.125);
  writeProto(path("d.pb"), d);
  ASSERT_EQ(readTensorFile(path("d.pb"), t), "");
  EXPECT_EQ(valuesOf<double>(t), std::vector<double>({0.125}));

  // Strings: onnxc_string elements pointing at the tensor's own copies.
  onnx::TensorProto s;
  s.set_data_type(onnx::TensorProto::STRING);
  s.add_dims(2);
  s.add_string_data("hi");
  s.add_string_data(std::string("a\0b", 3));
  writeProto(path("s.pb"), s);
  ASSERT_EQ(readTensorFile(path("s.pb"), t), "");
  EXPECT_EQ(t.data.size(), 2 * sizeof(onnxc_string));
  EXPECT_EQ(stringElements(t),
            std::vector<std::string>({"hi", std::string("a\0b", 3)}));
  s.add_dims(2); // [2, 2] needs four strings
  writeProto(path("s.pb"), s);
  err = readTensorFile(path("s.pb"), t);
  EXPECT_NE(err.find("string_data has 2 strings"), std::string::npos) << err;

  onnx::TensorProto c;
  c.set_data_type(onnx::TensorProto::COMPLEX64);
  c.add_dims(1);
  c.add_float_data(1);
  c.add_float_data(2);
  writeProto(path("c.pb"), c);
  err = readTensorFile(path("c.pb"), t);
  EXPECT_NE(err.find("unsupported data type"), std::string::npos) << err;
}

TEST_F(TensorIOTest, WriteNpyStoresStringsAsUtf32) {
  HostTensor t;
  t.dtype = onnx::TensorProto::STRING;
  t.shape = {2};
  t.strings = {"ab", "\xc3\xa9"}; // "é": one code point
  pointStrings(t);
  ASSERT_EQ(writeNpy(path("s.npy"), t), "");
  std::string bytes = readBytes(path("s.npy"));
  EXPECT_NE(bytes.find("'descr': '<U2'"), std::string::npos);
  // The data: 'a' 'b' then U+00E9 and a zero pad, 4 bytes each.
  std::string data = bytes.substr(bytes.size() - 16);
  EXPECT_EQ(data, std::string("a\0\0\0b\0\0\0\xe9\0\0\0\0\0\0\0", 16));
}

TEST(CompareTest, ToleranceFollowsAllclose) {
  HostTensor expected = makeFloat({4}, {1.f, 100.f, 0.f, -2.f});
  HostTensor actual = makeFloat({4}, {1.0005f, 100.09f, 5e-6f, -2.f});
  CompareResult r = compareTensors(actual, expected, 1e-3, 1e-5);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.mismatches, 0);
  EXPECT_EQ(r.firstMismatch, -1);
  EXPECT_NEAR(r.maxAbsError, 0.09, 1e-5);
  EXPECT_NEAR(r.maxRelError, 9e-4, 1e-6);

  // 100.2 is outside atol + rtol * 100 = 0.10001; 2e-5 is outside atol.
  actual = makeFloat({4}, {1.f, 100.2f, 2e-5f, -2.f});
  r = compareTensors(actual, expected, 1e-3, 1e-5);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.mismatches, 2);
  EXPECT_EQ(r.firstMismatch, 1);
  EXPECT_NEAR(r.maxAbsError, 0.2, 1e-4);

  // The rule is asymmetric, like numpy: only |expected| scales rtol.
  HostTensor a = makeFloat({1}, {2.f});
  HostTensor e = makeFloat({1}, {1.f});
  EXPECT_EQ(compareTensors(a, e, 0.6, 0).mismatches, 1);
  EXPECT_EQ(compareTensors(e, a, 0.6, 0).mismatches, 0);
}

TEST(CompareTest, StringsMustBeEqual) {
  HostTensor a, e;
  for (HostTensor *t : {&a, &e}) {
    t->dtype = onnx::TensorProto::STRING;
    t->shape = {3};
  }
  a.strings = {"x", "y", "z"};
  e.strings = {"x", "Y", "z"};
  pointStrings(a);
  pointStrings(e);
  CompareResult r = compareTensors(a, e, 1, 1);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.mismatches, 1);
  EXPECT_EQ(r.firstMismatch, 1);
  e.strings[1] = "y";
  pointStrings(e);
  EXPECT_EQ(compareTensors(a, e, 0, 0).mismatches, 0);
}

TEST(CompareTest, NanAndInfinity) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  HostTensor expected = makeFloat({3}, {nan, inf, -inf});
  CompareResult r = compareTensors(expected, expected, 0, 0);
  EXPECT_EQ(r.mismatches, 0);
  EXPECT_EQ(r.maxAbsError, 0);

  HostTensor actual = makeFloat({3}, {1.f, inf, inf});
  r = compareTensors(actual, expected, 1e-3, 1e-5);
  EXPECT_EQ(r.mismatches, 2);
  EXPECT_EQ(r.firstMismatch, 0);
  EXPECT_TRUE(std::isinf(r.maxAbsError));
}

TEST(CompareTest, ConvertsEachType) {
  HostTensor e;
  e.dtype = onnx::TensorProto::FLOAT16;
  e.shape = {3};
  e.data = bytesOf<uint16_t>({0x3c00, 0xc000, 0x0001}); // 1, -2, 2^-24.
  HostTensor a = e;
  a.data = bytesOf<uint16_t>({0x3c01, 0xc000, 0x0000});
  CompareResult r = compareTensors(a, e, 0, 1e-3);
  EXPECT_EQ(r.mismatches, 0);
  EXPECT_NEAR(r.maxAbsError, std::ldexp(1.0, -10), 1e-12);

  HostTensor i64;
  i64.dtype = onnx::TensorProto::INT64;
  i64.shape = {2};
  i64.data = bytesOf<int64_t>({-3, 7});
  HostTensor j64 = i64;
  j64.data = bytesOf<int64_t>({-3, 8});
  r = compareTensors(j64, i64, 0, 0);
  EXPECT_EQ(r.mismatches, 1);
  EXPECT_EQ(r.firstMismatch, 1);
  EXPECT_EQ(r.maxAbsError, 1);

  HostTensor b;
  b.dtype = onnx::TensorProto::BOOL;
  b.shape = {2};
  b.data = {1, 0};
  EXPECT_EQ(compareTensors(b, b, 0, 0).mismatches, 0);
}

TEST(CompareTest, ShapeDtypeAndSizeMismatchesAreErrors) {
  HostTensor a = makeFloat({1, 10}, std::vector<float>(10, 0.f));
  HostTensor b = makeFloat({10}, std::vector<float>(10, 0.f));
  EXPECT_NE(compareTensors(a, b, 1e-3, 1e-5).error, "");

  HostTensor c = a;
  c.dtype = onnx::TensorProto::INT32;
  EXPECT_NE(compareTensors(a, c, 1e-3, 1e-5).error, "");

  HostTensor d = a;
  d.data.pop_back();
  EXPECT_NE(compareTensors(a, d, 1e-3, 1e-5).error, "");
  EXPECT_NE(compareTensors(d, a, 1e-3, 1e-5).error, "");
}

// numpy has no bfloat16: the bit patterns are written as uint16.
TEST_F(TensorIOTest, WriteNpyStoresBfloat16AsBits) {
  HostTensor bf16;
  bf16.dtype = onnx::TensorProto::BFLOAT16;
  bf16.shape = {2};
  bf16.data = {0x80, 0x3f, 0x00, 0xc0}; // 1.0, -2.0
  ASSERT_EQ(writeNpy(path("bf16.npy"), bf16), "");
  HostTensor back;
  ASSERT_EQ(readTensorFile(path("bf16.npy"), back), "");
  EXPECT_EQ(back.dtype, onnx::TensorProto::UINT16);
  EXPECT_EQ(back.shape, std::vector<int64_t>{2});
  EXPECT_EQ(back.data, bf16.data);
}

TEST_F(TensorIOTest, WriteNpyRejectsInconsistentTensors) {
  HostTensor t = makeFloat({2, 2}, {1, 2, 3});
  std::string err = writeNpy(path("bad.npy"), t);
  EXPECT_NE(err.find("bad.npy"), std::string::npos) << err;

  HostTensor complex;
  complex.dtype = onnx::TensorProto::COMPLEX64;
  complex.shape = {1};
  complex.data.assign(8, 0);
  EXPECT_NE(writeNpy(path("c64.npy"), complex), "");

  EXPECT_NE(writeNpy(path("no_such_dir/x.npy"), makeFloat({1}, {1})), "");
}

} // namespace
} // namespace onnxc
