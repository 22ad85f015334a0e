/* onnxc runtime: ImageDecoder (library onnxc_image).
 *
 * Decodes one encoded image to 8-bit pixels. The stream's first bytes say
 * its format: BMP and PNM (P1-P6) are read here; JPEG, JPEG 2000 (a JP2
 * file or a bare codestream), PNG, TIFF and WebP go to the system codecs
 * (libjpeg, OpenJPEG, libpng, libtiff, libwebp). Every format is decoded to
 * RGB first; grayscale is then ITU-R BT.601 luma in 16-bit fixed point,
 * (19595 R + 38470 G + 7471 B + 2^15) >> 16, as Pillow converts, and BGR
 * swaps the channels. An alpha channel is dropped.
 *
 * This file is its own library so that only models with an ImageDecoder
 * link the codecs. Declarations: onnxc/kernels.h. */
#define _POSIX_C_SOURCE 200809L
#include "onnxc/kernels.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>
#include <openjpeg.h>
#include <png.h>
#include <tiffio.h>
#include <webp/decode.h>

/* A decoded image: height x width x 3 bytes, malloc'ed. */
typedef struct {
  uint8_t *rgb;
  int64_t height, width;
} rgb_image;

/* Every decoder fills `image` and returns 1, or writes why it failed to
 * `why` and returns 0. */
enum { kWhySize = 256 };

static int allocate(rgb_image *image, int64_t height, int64_t width,
                    char *why) {
  if (height <= 0 || width <= 0 || height > (1 << 20) || width > (1 << 20) ||
      height * width > ((int64_t)1 << 31)) {
    snprintf(why, kWhySize, "an image of %lld x %lld pixels", (long long)height,
             (long long)width);
    return 0;
  }
  image->rgb = (uint8_t *)malloc((size_t)(height * width * 3));
  if (!image->rgb) {
    snprintf(why, kWhySize, "out of memory for %lld x %lld pixels",
             (long long)height, (long long)width);
    return 0;
  }
  image->height = height;
  image->width = width;
  return 1;
}

/* ---- BMP ------------------------------------------------------------- */

static uint32_t le16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) {
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

/* The value of `pixel` under a BI_BITFIELDS `mask`, scaled to 8 bits. */
static uint8_t masked(uint32_t pixel, uint32_t mask) {
  if (!mask)
    return 0;
  int shift = 0, bits = 0;
  while (!(mask >> shift & 1u))
    ++shift;
  while (shift + bits < 32 && (mask >> (shift + bits) & 1u))
    ++bits;
  uint32_t v = (pixel & mask) >> shift,
           max = (bits >= 32) ? 0xffffffffu : ((1u << bits) - 1u);
  return (uint8_t)((v * 255u + max / 2u) / max);
}

/* Uncompressed BMPs (BI_RGB) of 1, 4, 8, 16, 24 or 32 bits per pixel,
 * BI_BITFIELDS ones of 16 or 32, bottom-up or top-down. */
static int decode_bmp(const uint8_t *data, int64_t size, rgb_image *image,
                      char *why) {
  if (size < 54) {
    snprintf(why, kWhySize, "a BMP stream of %lld bytes is truncated",
             (long long)size);
    return 0;
  }
  uint32_t offset = le32(data + 10), header = le32(data + 14);
  if (header < 40 || 14 + (int64_t)header > size) {
    snprintf(why, kWhySize, "a BMP info header of %u bytes", header);
    return 0;
  }
  int64_t width = (int32_t)le32(data + 18), height = (int32_t)le32(data + 22);
  uint32_t bits = le16(data + 28), compression = le32(data + 30),
           used = le32(data + 46);
  int top_down = height < 0;
  if (top_down)
    height = -height;
  uint32_t masks[3] = {0x00ff0000u, 0x0000ff00u, 0x000000ffu};
  if (bits == 16)
    masks[0] = 0x7c00u, masks[1] = 0x03e0u, masks[2] = 0x001fu;
  if (compression == 3 && (bits == 16 || bits == 32)) {
    /* The masks follow a 40-byte header, or sit inside a longer one. */
    if (14 + 40 + 12 > size) {
      snprintf(why, kWhySize, "a BMP stream is truncated");
      return 0;
    }
    for (int c = 0; c < 3; ++c)
      masks[c] = le32(data + 54 + 4 * c);
  } else if (compression != 0) {
    snprintf(why, kWhySize,
             "compressed BMPs (compression %u, %u bits per pixel) are not "
             "supported",
             compression, bits);
    return 0;
  }
  if (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 24 &&
      bits != 32) {
    snprintf(why, kWhySize, "BMPs of %u bits per pixel are not supported",
             bits);
    return 0;
  }
  const uint8_t *palette = data + 14 + header;
  uint32_t colors = bits <= 8 ? (used ? used : 1u << bits) : 0;
  if (bits <= 8 &&
      (colors > (1u << bits) || palette + 4 * (int64_t)colors > data + size)) {
    snprintf(why, kWhySize, "a BMP palette of %u colors", colors);
    return 0;
  }
  if (width <= 0 || height <= 0 || width > (1 << 20) || height > (1 << 20)) {
    snprintf(why, kWhySize, "a BMP of %lld x %lld pixels", (long long)height,
             (long long)width);
    return 0;
  }
  int64_t stride = (width * bits + 31) / 32 * 4;
  if (offset > size || (int64_t)offset + stride * height > size) {
    snprintf(why, kWhySize, "a BMP stream of %lld bytes is truncated",
             (long long)size);
    return 0;
  }
  if (!allocate(image, height, width, why))
    return 0;
  for (int64_t y = 0; y < height; ++y) {
    const uint8_t *row =
        data + offset + stride * (top_down ? y : height - 1 - y);
    uint8_t *out = image->rgb + y * width * 3;
    for (int64_t x = 0; x < width; ++x, out += 3) {
      if (bits <= 8) {
        uint32_t index = row[x * bits / 8] >> (8 - bits - x * bits % 8) &
                         ((1u << bits) - 1u);
        if (index >= colors)
          index = 0;
        out[0] = palette[4 * index + 2];
        out[1] = palette[4 * index + 1];
        out[2] = palette[4 * index];
      } else if (bits == 24 || (bits == 32 && compression == 0)) {
        const uint8_t *p = row + x * (bits / 8);
        out[0] = p[2], out[1] = p[1], out[2] = p[0];
      } else {
        uint32_t pixel = bits == 16 ? le16(row + 2 * x) : le32(row + 4 * x);
        for (int c = 0; c < 3; ++c)
          out[c] = masked(pixel, masks[c]);
      }
    }
  }
  return 1;
}

/* ---- PNM ------------------------------------------------------------- */

/* The next header number of a PNM stream, skipping white space and
 * comments; -1 when there is none. */
static int64_t pnm_number(const uint8_t *data, int64_t size, int64_t *pos) {
  while (*pos < size) {
    uint8_t c = data[*pos];
    if (c == '#') {
      while (*pos < size && data[*pos] != '\n')
        ++*pos;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
               c == '\f') {
      ++*pos;
    } else {
      break;
    }
  }
  int64_t value = -1;
  while (*pos < size && data[*pos] >= '0' && data[*pos] <= '9') {
    value = (value < 0 ? 0 : value * 10) + (data[*pos] - '0');
    if (value > INT_MAX)
      return -1;
    ++*pos;
  }
  return value;
}

/* PBM, PGM and PPM, plain (P1-P3) or raw (P4-P6), maxval up to 65535
 * (scaled to 8 bits). */
static int decode_pnm(const uint8_t *data, int64_t size, rgb_image *image,
                      char *why) {
  int kind = data[1] - '0';
  int64_t pos = 2;
  int64_t width = pnm_number(data, size, &pos);
  int64_t height = pnm_number(data, size, &pos);
  int64_t maxval = (kind == 1 || kind == 4) ? 1 : pnm_number(data, size, &pos);
  if (width <= 0 || height <= 0 || maxval <= 0 || maxval > 65535 ||
      pos >= size) {
    snprintf(why, kWhySize, "a PNM header that is malformed or truncated");
    return 0;
  }
  ++pos; /* the single white space character before raw data */
  int channels = (kind == 3 || kind == 6) ? 3 : 1;
  int64_t count = width * height * channels;
  if (kind >= 4) {
    int64_t need =
        kind == 4 ? (width + 7) / 8 * height : count * (maxval > 255 ? 2 : 1);
    if (size - pos < need) {
      snprintf(why, kWhySize, "a PNM stream of %lld bytes is truncated",
               (long long)size);
      return 0;
    }
  }
  if (!allocate(image, height, width, why))
    return 0;
  int64_t raw = kind >= 4 ? pos : 0;
  for (int64_t i = 0; i < count; ++i) {
    int64_t v;
    if (kind == 4) {
      int64_t y = i / width, x = i % width;
      v = data[raw + y * ((width + 7) / 8) + x / 8] >> (7 - x % 8) & 1;
    } else if (kind >= 5) {
      v = maxval > 255 ? (int64_t)data[raw + 2 * i] << 8 | data[raw + 2 * i + 1]
                       : data[raw + i];
    } else if (kind == 1) {
      /* Plain PBM digits need no separators. */
      while (pos < size && (data[pos] < '0' || data[pos] > '1'))
        ++pos;
      v = pos < size ? data[pos++] - '0' : -1;
    } else {
      v = pnm_number(data, size, &pos);
    }
    if (v < 0 || v > maxval) {
      free(image->rgb);
      snprintf(why, kWhySize, "PNM sample %lld is missing or above maxval",
               (long long)i);
      return 0;
    }
    /* In bitmaps 1 is black. */
    uint8_t byte = (kind == 1 || kind == 4)
                       ? (uint8_t)(v ? 0 : 255)
                       : (uint8_t)((v * 255 + maxval / 2) / maxval);
    if (channels == 3) {
      image->rgb[i] = byte;
    } else {
      image->rgb[3 * i] = image->rgb[3 * i + 1] = image->rgb[3 * i + 2] = byte;
    }
  }
  return 1;
}

/* ---- JPEG (libjpeg) -------------------------------------------------- */

typedef struct {
  struct jpeg_error_mgr manager;
  jmp_buf jump;
  char *why;
} jpeg_failure;

static void jpeg_fail(j_common_ptr codec) {
  jpeg_failure *failure = (jpeg_failure *)codec->err;
  char message[JMSG_LENGTH_MAX];
  (*codec->err->format_message)(codec, message);
  snprintf(failure->why, kWhySize, "JPEG: %s", message);
  longjmp(failure->jump, 1);
}

/* Warnings pass, except the end of the data before the image's: libjpeg
 * would fill the rest with gray. */
static void jpeg_warn(j_common_ptr codec, int level) {
  if (level == -1 && codec->err->msg_code == JWRN_JPEG_EOF) {
    jpeg_failure *failure = (jpeg_failure *)codec->err;
    snprintf(failure->why, kWhySize, "JPEG: the stream ends early");
    longjmp(failure->jump, 1);
  }
}

static int decode_jpeg(const uint8_t *data, int64_t size, rgb_image *image,
                       char *why) {
  struct jpeg_decompress_struct codec;
  jpeg_failure failure;
  codec.err = jpeg_std_error(&failure.manager);
  failure.manager.error_exit = jpeg_fail;
  failure.manager.emit_message = jpeg_warn;
  failure.why = why;
  image->rgb = NULL;
  if (setjmp(failure.jump)) {
    jpeg_destroy_decompress(&codec);
    free(image->rgb);
    image->rgb = NULL;
    return 0;
  }
  jpeg_create_decompress(&codec);
  jpeg_mem_src(&codec, data, (unsigned long)size);
  jpeg_read_header(&codec, TRUE);
  if (codec.jpeg_color_space == JCS_CMYK ||
      codec.jpeg_color_space == JCS_YCCK) {
    snprintf(why, kWhySize, "CMYK JPEGs are not supported");
    jpeg_destroy_decompress(&codec);
    return 0;
  }
  /* libjpeg's defaults: the accurate integer IDCT, fancy upsampling. */
  codec.out_color_space = JCS_RGB;
  jpeg_start_decompress(&codec);
  if (!allocate(image, codec.output_height, codec.output_width, why)) {
    jpeg_destroy_decompress(&codec);
    return 0;
  }
  while (codec.output_scanline < codec.output_height) {
    JSAMPROW row =
        image->rgb + (int64_t)codec.output_scanline * codec.output_width * 3;
    jpeg_read_scanlines(&codec, &row, 1);
  }
  jpeg_finish_decompress(&codec);
  jpeg_destroy_decompress(&codec);
  return 1;
}

/* ---- PNG (libpng's simplified API) ----------------------------------- */

static int decode_png(const uint8_t *data, int64_t size, rgb_image *image,
                      char *why) {
  png_image png;
  memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, data, (size_t)size)) {
    snprintf(why, kWhySize, "PNG: %s", png.message);
    return 0;
  }
  /* RGBA, then the alpha dropped: no compositing onto a background. */
  png.format = PNG_FORMAT_RGBA;
  uint8_t *rgba = (uint8_t *)malloc(PNG_IMAGE_SIZE(png));
  if (!rgba || !allocate(image, png.height, png.width, why) ||
      !png_image_finish_read(&png, NULL, rgba, 0, NULL)) {
    if (!rgba)
      snprintf(why, kWhySize, "out of memory");
    else if (png.warning_or_error & PNG_IMAGE_ERROR)
      snprintf(why, kWhySize, "PNG: %s", png.message);
    free(rgba);
    if (image->rgb)
      free(image->rgb);
    png_image_free(&png);
    return 0;
  }
  for (int64_t i = 0; i < image->height * image->width; ++i)
    memcpy(image->rgb + 3 * i, rgba + 4 * i, 3);
  free(rgba);
  return 1;
}

/* ---- TIFF (libtiff) -------------------------------------------------- */

typedef struct {
  const uint8_t *data;
  toff_t size, pos;
  char *why;
} tiff_stream;

static tmsize_t tiff_read(thandle_t handle, void *buffer, tmsize_t n) {
  tiff_stream *s = (tiff_stream *)handle;
  if (n < 0 || s->pos >= s->size)
    return 0;
  if ((toff_t)n > s->size - s->pos)
    n = (tmsize_t)(s->size - s->pos);
  memcpy(buffer, s->data + s->pos, (size_t)n);
  s->pos += (toff_t)n;
  return n;
}

static tmsize_t tiff_write(thandle_t handle, void *buffer, tmsize_t n) {
  (void)handle;
  (void)buffer;
  (void)n;
  return 0;
}

static toff_t tiff_seek(thandle_t handle, toff_t offset, int whence) {
  tiff_stream *s = (tiff_stream *)handle;
  toff_t base = whence == SEEK_CUR ? s->pos : whence == SEEK_END ? s->size : 0;
  s->pos = base + offset;
  return s->pos;
}

static int tiff_close(thandle_t handle) {
  (void)handle;
  return 0;
}

static toff_t tiff_size(thandle_t handle) {
  return ((tiff_stream *)handle)->size;
}

static int tiff_map(thandle_t handle, void **base, toff_t *size) {
  (void)handle;
  (void)base;
  (void)size;
  return 0;
}

static void tiff_unmap(thandle_t handle, void *base, toff_t size) {
  (void)handle;
  (void)base;
  (void)size;
}

static int tiff_error(TIFF *tiff, void *user, const char *module,
                      const char *format, va_list args) {
  (void)tiff;
  (void)module;
  char *why = ((tiff_stream *)user)->why;
  if (!*why) { /* the first error is the cause */
    int n = snprintf(why, kWhySize, "TIFF: ");
    vsnprintf(why + n, (size_t)(kWhySize - n), format, args);
  }
  return 1;
}

static int tiff_warning(TIFF *tiff, void *user, const char *module,
                        const char *format, va_list args) {
  (void)tiff;
  (void)user;
  (void)module;
  (void)format;
  (void)args;
  return 1;
}

/* The first directory, through TIFFReadRGBAImageOriented (every
 * photometric interpretation and compression libtiff reads). */
static int decode_tiff(const uint8_t *data, int64_t size, rgb_image *image,
                       char *why) {
  tiff_stream stream = {data, (toff_t)size, 0, why};
  why[0] = '\0';
  TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
  if (!options) {
    snprintf(why, kWhySize, "out of memory");
    return 0;
  }
  TIFFOpenOptionsSetErrorHandlerExtR(options, tiff_error, &stream);
  TIFFOpenOptionsSetWarningHandlerExtR(options, tiff_warning, &stream);
  TIFF *tiff = TIFFClientOpenExt("image", "rm", (thandle_t)&stream, tiff_read,
                                 tiff_write, tiff_seek, tiff_close, tiff_size,
                                 tiff_map, tiff_unmap, options);
  TIFFOpenOptionsFree(options);
  if (!tiff) {
    if (!*why)
      snprintf(why, kWhySize, "TIFF: the stream could not be opened");
    return 0;
  }
  uint32_t width = 0, height = 0;
  TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
  uint32_t *raster = NULL;
  int ok = allocate(image, height, width, why);
  if (ok) {
    raster = (uint32_t *)malloc((size_t)width * height * 4);
    ok = raster && TIFFReadRGBAImageOriented(tiff, width, height, raster,
                                             ORIENTATION_TOPLEFT, 0);
    if (!ok && !*why)
      snprintf(why, kWhySize, "TIFF: the image could not be read");
  }
  if (ok)
    for (int64_t i = 0; i < (int64_t)width * height; ++i) {
      image->rgb[3 * i] = (uint8_t)TIFFGetR(raster[i]);
      image->rgb[3 * i + 1] = (uint8_t)TIFFGetG(raster[i]);
      image->rgb[3 * i + 2] = (uint8_t)TIFFGetB(raster[i]);
    }
  else if (image->rgb)
    free(image->rgb);
  free(raster);
  TIFFClose(tiff);
  return ok;
}

/* ---- WebP (libwebp) -------------------------------------------------- */

static int decode_webp(const uint8_t *data, int64_t size, rgb_image *image,
                       char *why) {
  int width = 0, height = 0;
  uint8_t *rgb = WebPDecodeRGB(data, (size_t)size, &width, &height);
  if (!rgb) {
    snprintf(why, kWhySize, "WebP: the stream could not be decoded");
    return 0;
  }
  int ok = allocate(image, height, width, why);
  if (ok)
    memcpy(image->rgb, rgb, (size_t)width * height * 3);
  WebPFree(rgb);
  return ok;
}

/* ---- JPEG 2000 (OpenJPEG) -------------------------------------------- */

typedef struct {
  const uint8_t *data;
  OPJ_SIZE_T size, pos;
} j2k_stream;

static OPJ_SIZE_T j2k_read(void *buffer, OPJ_SIZE_T n, void *user) {
  j2k_stream *s = (j2k_stream *)user;
  if (s->pos >= s->size)
    return (OPJ_SIZE_T)-1;
  if (n > s->size - s->pos)
    n = s->size - s->pos;
  memcpy(buffer, s->data + s->pos, n);
  s->pos += n;
  return n;
}

static OPJ_OFF_T j2k_skip(OPJ_OFF_T n, void *user) {
  j2k_stream *s = (j2k_stream *)user;
  if (n < 0 ? (OPJ_SIZE_T)-n > s->pos : (OPJ_SIZE_T)n > s->size - s->pos)
    return -1;
  s->pos += n;
  return n;
}

static OPJ_BOOL j2k_seek(OPJ_OFF_T n, void *user) {
  j2k_stream *s = (j2k_stream *)user;
  if (n < 0 || (OPJ_SIZE_T)n > s->size)
    return OPJ_FALSE;
  s->pos = (OPJ_SIZE_T)n;
  return OPJ_TRUE;
}

static void j2k_error(const char *message, void *user) {
  char *why = (char *)user;
  if (!*why) {
    snprintf(why, kWhySize, "JPEG 2000: %s", message);
    size_t n = strlen(why);
    if (n && why[n - 1] == '\n')
      why[n - 1] = '\0';
  }
}

static void j2k_quiet(const char *message, void *user) {
  (void)message;
  (void)user;
}

/* One component's sample as 8 bits. */
static uint8_t j2k_sample(const opj_image_comp_t *c, int64_t i) {
  int64_t v = c->data[i];
  if (c->sgnd)
    v += (int64_t)1 << (c->prec - 1);
  int64_t max = ((int64_t)1 << c->prec) - 1;
  if (v < 0)
    v = 0;
  if (v > max)
    v = max;
  return (uint8_t)(c->prec == 8 ? v : (v * 255 + max / 2) / max);
}

static int decode_j2k(const uint8_t *data, int64_t size, int jp2,
                      rgb_image *image, char *why) {
  j2k_stream stream = {data, (OPJ_SIZE_T)size, 0};
  why[0] = '\0';
  opj_stream_t *in = opj_stream_default_create(OPJ_TRUE);
  opj_codec_t *codec =
      opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_image_t *j2k = NULL;
  int ok = in && codec;
  if (ok) {
    opj_stream_set_user_data(in, &stream, NULL);
    opj_stream_set_user_data_length(in, (OPJ_UINT64)size);
    opj_stream_set_read_function(in, j2k_read);
    opj_stream_set_skip_function(in, j2k_skip);
    opj_stream_set_seek_function(in, j2k_seek);
    opj_set_error_handler(codec, j2k_error, why);
    opj_set_warning_handler(codec, j2k_quiet, NULL);
    opj_set_info_handler(codec, j2k_quiet, NULL);
    opj_dparameters_t parameters;
    opj_set_default_decoder_parameters(&parameters);
    ok = opj_setup_decoder(codec, &parameters) &&
         opj_read_header(in, codec, &j2k) && opj_decode(codec, in, j2k) &&
         opj_end_decompress(codec, in);
    if (!ok && !*why)
      snprintf(why, kWhySize, "JPEG 2000: the stream could not be decoded");
  } else {
    snprintf(why, kWhySize, "out of memory");
  }
  if (ok) {
    unsigned n = j2k->numcomps;
    /* Gray, gray + alpha, RGB or RGBA, every component full size. */
    ok = n >= 1 && n <= 4 && j2k->color_space != OPJ_CLRSPC_SYCC &&
         j2k->color_space != OPJ_CLRSPC_CMYK &&
         j2k->color_space != OPJ_CLRSPC_EYCC;
    for (unsigned c = 0; ok && c < n; ++c)
      ok = j2k->comps[c].dx == 1 && j2k->comps[c].dy == 1 &&
           j2k->comps[c].w == j2k->comps[0].w &&
           j2k->comps[c].h == j2k->comps[0].h && j2k->comps[c].prec >= 1 &&
           j2k->comps[c].prec <= 31 && j2k->comps[c].data;
    if (!ok)
      snprintf(why, kWhySize,
               "JPEG 2000 images of %u components in color space %d, or "
               "subsampled ones, are not supported",
               n, (int)j2k->color_space);
    ok = ok && allocate(image, j2k->comps[0].h, j2k->comps[0].w, why);
    if (ok) {
      const opj_image_comp_t *c = j2k->comps;
      int gray = n < 3;
      for (int64_t i = 0; i < image->height * image->width; ++i)
        for (int k = 0; k < 3; ++k)
          image->rgb[3 * i + k] = j2k_sample(&c[gray ? 0 : k], i);
    }
  }
  if (j2k)
    opj_image_destroy(j2k);
  if (codec)
    opj_destroy_codec(codec);
  if (in)
    opj_stream_destroy(in);
  return ok;
}

/* ---- the kernel ------------------------------------------------------ */

int onnxc_rt_image_decode(const char *node, const uint8_t *data, int64_t size,
                          int32_t format, int64_t height, int64_t width,
                          uint8_t *out) {
  static const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  static const uint8_t jp2[12] = {0,   0,   0,    12,   'j',  'P',
                                  ' ', ' ', '\r', '\n', 0x87, '\n'};
  char why[kWhySize] = "";
  rgb_image image = {NULL, 0, 0};
  int ok;
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    ok = decode_jpeg(data, size, &image, why);
  else if (size >= 8 && !memcmp(data, png, 8))
    ok = decode_png(data, size, &image, why);
  else if (size >= 2 && data[0] == 'B' && data[1] == 'M')
    ok = decode_bmp(data, size, &image, why);
  else if (size >= 3 && data[0] == 'P' && data[1] >= '1' && data[1] <= '6')
    ok = decode_pnm(data, size, &image, why);
  else if (size >= 4 && ((data[0] == 'I' && data[1] == 'I' && data[2] == 42 &&
                          data[3] == 0) ||
                         (data[0] == 'M' && data[1] == 'M' && data[2] == 0 &&
                          data[3] == 42)))
    ok = decode_tiff(data, size, &image, why);
  else if (size >= 12 && !memcmp(data, "RIFF", 4) &&
           !memcmp(data + 8, "WEBP", 4))
    ok = decode_webp(data, size, &image, why);
  else if (size >= 12 && !memcmp(data, jp2, 12))
    ok = decode_j2k(data, size, 1, &image, why);
  else if (size >= 4 && data[0] == 0xff && data[1] == 0x4f && data[2] == 0xff &&
           data[3] == 0x51)
    ok = decode_j2k(data, size, 0, &image, why);
  else {
    snprintf(why, kWhySize,
             "the %lld bytes are not an image onnxc decodes (BMP, JPEG, "
             "JPEG 2000, PNG, PNM, TIFF or WebP)",
             (long long)size);
    ok = 0;
  }
  if (!ok) {
    fprintf(stderr, "node '%s' (ImageDecoder): %s\n", node, why);
    return ONNXC_ERR_KERNEL;
  }
  if (image.height != height || image.width != width) {
    fprintf(stderr,
            "node '%s' (ImageDecoder): the image is %lld x %lld pixels, but "
            "the model declares %lld x %lld\n",
            node, (long long)image.height, (long long)image.width,
            (long long)height, (long long)width);
    free(image.rgb);
    return ONNXC_ERR_KERNEL;
  }
  const uint8_t *p = image.rgb;
  for (int64_t i = 0; i < height * width; ++i, p += 3) {
    if (format == ONNXC_IMAGE_GRAYSCALE) {
      *out++ =
          (uint8_t)((19595u * p[0] + 38470u * p[1] + 7471u * p[2] + 0x8000u) >>
                    16);
    } else if (format == ONNXC_IMAGE_BGR) {
      *out++ = p[2], *out++ = p[1], *out++ = p[0];
    } else {
      *out++ = p[0], *out++ = p[1], *out++ = p[2];
    }
  }
  free(image.rgb);
  return ONNXC_OK;
}
