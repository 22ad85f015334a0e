// The runtime's ImageDecoder kernel (runtime/src/image.c): streams written
// here, byte by byte for BMP and PNM and with the codecs' own encoders for
// PNG, WebP and JPEG, decoded and compared; malformed and truncated
// streams are errors, never crashes.
#include "onnxc/kernels.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <jpeglib.h>
#include <png.h>
#include <vector>
#include <webp/encode.h>

namespace {

using Bytes = std::vector<uint8_t>;

int decode(const Bytes &data, int32_t format, int64_t h, int64_t w,
           Bytes &out) {
  out.assign(h * w * (format == ONNXC_IMAGE_GRAYSCALE ? 1 : 3), 0);
  return onnxc_rt_image_decode("n", data.data(), int64_t(data.size()), format,
                               h, w, out.data());
}

void put16(Bytes &b, uint32_t v) {
  b.push_back(v & 0xff);
  b.push_back(v >> 8 & 0xff);
}
void put32(Bytes &b, uint32_t v) {
  put16(b, v & 0xffff);
  put16(b, v >> 16);
}

/// A BMP with a 40-byte info header: `height` < 0 is top-down.
Bytes bmp(int32_t width, int32_t height, uint16_t bits, uint32_t compression,
          const Bytes &extra, const Bytes &pixels) {
  Bytes b{'B', 'M'};
  uint32_t offset = 14 + 40 + uint32_t(extra.size());
  put32(b, offset + uint32_t(pixels.size()));
  put32(b, 0);
  put32(b, offset);
  put32(b, 40);
  put32(b, uint32_t(width));
  put32(b, uint32_t(height));
  put16(b, 1);
  put16(b, bits);
  put32(b, compression);
  put32(b, uint32_t(pixels.size()));
  put32(b, 2835);
  put32(b, 2835);
  put32(b, bits <= 8 ? uint32_t(extra.size() / 4) : 0); // palette size
  put32(b, 0);
  b.insert(b.end(), extra.begin(), extra.end());
  b.insert(b.end(), pixels.begin(), pixels.end());
  return b;
}

Bytes text(const char *s) { return Bytes(s, s + std::strlen(s)); }

const Bytes kRgb = {255, 0,  0,  0,  255, 0,  0,  0,  255, // row 0
                    10,  20, 30, 40, 50,  60, 70, 80, 90};

TEST(ImageDecode, Bmp24BottomUpWithRowPadding) {
  // 3 pixels of 3 bytes: rows padded to 12 bytes, stored bottom row first,
  // each pixel as B, G, R.
  Bytes pixels;
  for (int row : {1, 0}) {
    for (int x = 0; x < 3; ++x)
      for (int c : {2, 1, 0})
        pixels.push_back(kRgb[(row * 3 + x) * 3 + c]);
    pixels.insert(pixels.end(), {0, 0, 0});
  }
  Bytes data = bmp(3, 2, 24, 0, {}, pixels), out;
  ASSERT_EQ(decode(data, ONNXC_IMAGE_RGB, 2, 3, out), ONNXC_OK);
  EXPECT_EQ(out, kRgb);
  ASSERT_EQ(decode(data, ONNXC_IMAGE_BGR, 2, 3, out), ONNXC_OK);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[2], 255);
  EXPECT_EQ(out[9], 30);
  ASSERT_EQ(decode(data, ONNXC_IMAGE_GRAYSCALE, 2, 3, out), ONNXC_OK);
  // (19595 R + 38470 G + 7471 B + 2^15) >> 16, as Pillow converts to L.
  EXPECT_EQ(out, (Bytes{76, 150, 29, 18, 48, 78}));
}

TEST(ImageDecode, BmpPalettedTopDownAndBitfields) {
  // 4 bits per pixel, two palette entries (B, G, R, 0), top-down.
  Bytes palette = {0, 0, 0, 0, 30, 20, 10, 0};
  Bytes pixels = {0x10, 0, 0, 0, 0x01, 0, 0, 0};
  Bytes out;
  ASSERT_EQ(
      decode(bmp(2, -2, 4, 0, palette, pixels), ONNXC_IMAGE_RGB, 2, 2, out),
      ONNXC_OK);
  EXPECT_EQ(out, (Bytes{10, 20, 30, 0, 0, 0, 0, 0, 0, 10, 20, 30}));
  // 16 bits, BI_BITFIELDS 5-6-5: pure green and full white.
  Bytes masks;
  put32(masks, 0xf800);
  put32(masks, 0x07e0);
  put32(masks, 0x001f);
  Bytes pixels16;
  put16(pixels16, 0x07e0);
  put16(pixels16, 0xffff);
  ASSERT_EQ(
      decode(bmp(2, 1, 16, 3, masks, pixels16), ONNXC_IMAGE_RGB, 1, 2, out),
      ONNXC_OK);
  EXPECT_EQ(out, (Bytes{0, 255, 0, 255, 255, 255}));
  // Run-length compression is refused.
  EXPECT_EQ(decode(bmp(2, 1, 8, 1, palette, {0, 0, 0, 0}), ONNXC_IMAGE_RGB, 1,
                   2, out),
            ONNXC_ERR_KERNEL);
}

TEST(ImageDecode, PnmPlainRawAndBitmaps) {
  Bytes out;
  Bytes p6 = text("P6\n# comment\n3 2\n255\n");
  p6.insert(p6.end(), kRgb.begin(), kRgb.end());
  ASSERT_EQ(decode(p6, ONNXC_IMAGE_RGB, 2, 3, out), ONNXC_OK);
  EXPECT_EQ(out, kRgb);
  // maxval 15 scales to 255; a gray image has equal channels.
  ASSERT_EQ(decode(text("P2 2 1 15 15 5"), ONNXC_IMAGE_RGB, 1, 2, out),
            ONNXC_OK);
  EXPECT_EQ(out, (Bytes{255, 255, 255, 85, 85, 85}));
  // In bitmaps 1 is black; plain digits need no separators.
  ASSERT_EQ(decode(text("P1 3 1 101"), ONNXC_IMAGE_GRAYSCALE, 1, 3, out),
            ONNXC_OK);
  EXPECT_EQ(out, (Bytes{0, 255, 0}));
  Bytes p4 = text("P4 10 1\n");
  p4.insert(p4.end(), {0x80, 0x40});
  ASSERT_EQ(decode(p4, ONNXC_IMAGE_GRAYSCALE, 1, 10, out), ONNXC_OK);
  EXPECT_EQ(out, (Bytes{0, 255, 255, 255, 255, 255, 255, 255, 255, 0}));
  // Too few samples, a sample above maxval.
  EXPECT_EQ(decode(text("P3 1 1 255 1 2"), ONNXC_IMAGE_RGB, 1, 1, out),
            ONNXC_ERR_KERNEL);
  EXPECT_EQ(decode(text("P2 1 1 9 10"), ONNXC_IMAGE_RGB, 1, 1, out),
            ONNXC_ERR_KERNEL);
}

Bytes encodePng(const Bytes &rgba, int width, int height) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&image, nullptr, &size, 0, rgba.data(),
                                        0, nullptr));
  Bytes out(size);
  EXPECT_TRUE(png_image_write_to_memory(&image, out.data(), &size, 0,
                                        rgba.data(), 0, nullptr));
  out.resize(size);
  return out;
}

TEST(ImageDecode, PngDropsAlpha) {
  Bytes rgba;
  for (size_t i = 0; i < kRgb.size(); i += 3)
    rgba.insert(rgba.end(), {kRgb[i], kRgb[i + 1], kRgb[i + 2], uint8_t(i)});
  Bytes data = encodePng(rgba, 3, 2), out;
  ASSERT_EQ(decode(data, ONNXC_IMAGE_RGB, 2, 3, out), ONNXC_OK);
  EXPECT_EQ(out, kRgb);
}

TEST(ImageDecode, LosslessWebP) {
  uint8_t *encoded = nullptr;
  size_t size = WebPEncodeLosslessRGB(kRgb.data(), 3, 2, 9, &encoded);
  ASSERT_GT(size, 0u);
  Bytes data(encoded, encoded + size), out;
  WebPFree(encoded);
  ASSERT_EQ(decode(data, ONNXC_IMAGE_RGB, 2, 3, out), ONNXC_OK);
  EXPECT_EQ(out, kRgb);
}

Bytes encodeJpeg(const Bytes &rgb, int width, int height) {
  jpeg_compress_struct codec;
  jpeg_error_mgr errors;
  codec.err = jpeg_std_error(&errors);
  jpeg_create_compress(&codec);
  unsigned char *buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&codec, &buffer, &size);
  codec.image_width = width;
  codec.image_height = height;
  codec.input_components = 3;
  codec.in_color_space = JCS_RGB;
  jpeg_set_defaults(&codec);
  jpeg_set_quality(&codec, 95, TRUE);
  jpeg_start_compress(&codec, TRUE);
  while (codec.next_scanline < codec.image_height) {
    JSAMPROW row =
        const_cast<uint8_t *>(rgb.data()) + codec.next_scanline * width * 3;
    jpeg_write_scanlines(&codec, &row, 1);
  }
  jpeg_finish_compress(&codec);
  Bytes out(buffer, buffer + size);
  jpeg_destroy_compress(&codec);
  std::free(buffer);
  return out;
}

TEST(ImageDecode, JpegOfOneColor) {
  // A flat 16x8 image survives JPEG within a step or two.
  Bytes rgb;
  for (int i = 0; i < 16 * 8; ++i)
    rgb.insert(rgb.end(), {200, 100, 50});
  Bytes data = encodeJpeg(rgb, 16, 8), out;
  ASSERT_EQ(decode(data, ONNXC_IMAGE_RGB, 8, 16, out), ONNXC_OK);
  for (size_t i = 0; i < out.size(); ++i)
    EXPECT_NEAR(out[i], rgb[i], 2) << "byte " << i;
}

TEST(ImageDecode, WrongSizeUnknownAndTruncatedStreamsAreErrors) {
  Bytes out;
  Bytes p6 = text("P6 3 2 255\n");
  p6.insert(p6.end(), kRgb.begin(), kRgb.end());
  // The declared size must be the image's.
  EXPECT_EQ(decode(p6, ONNXC_IMAGE_RGB, 3, 2, out), ONNXC_ERR_KERNEL);
  EXPECT_EQ(decode(text("GIF89a"), ONNXC_IMAGE_RGB, 1, 1, out),
            ONNXC_ERR_KERNEL);
  EXPECT_EQ(decode({}, ONNXC_IMAGE_RGB, 1, 1, out), ONNXC_ERR_KERNEL);

  Bytes rgb(16 * 8 * 3, 77), rgba(16 * 8 * 4, 77);
  uint8_t *webp = nullptr;
  size_t webpSize = WebPEncodeLosslessRGB(rgb.data(), 16, 8, 48, &webp);
  Bytes webpData(webp, webp + webpSize);
  WebPFree(webp);
  for (const Bytes &full :
       {encodePng(rgba, 16, 8), encodeJpeg(rgb, 16, 8), webpData, p6}) {
    ASSERT_EQ(decode(full, ONNXC_IMAGE_RGB, full == p6 ? 2 : 8,
                     full == p6 ? 3 : 16, out),
              ONNXC_OK);
    // Every prefix long enough to name the format, and short of the
    // image's last bytes, fails cleanly (a PNG without its closing 12-byte
    // IEND chunk still holds the whole image).
    for (size_t n = 12; n + 12 < full.size(); n += 7) {
      Bytes cut(full.begin(), full.begin() + n);
      EXPECT_EQ(decode(cut, ONNXC_IMAGE_RGB, full == p6 ? 2 : 8,
                       full == p6 ? 3 : 16, out),
                ONNXC_ERR_KERNEL)
          << n << " of " << full.size() << " bytes";
    }
  }
}

} // namespace
