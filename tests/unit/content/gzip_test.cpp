#include "cwmp/content/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <random>
#include <string>

#include "test_util.h"

namespace cwmp::content {
namespace {

using testing::CurrentRssBytes;
using testing::FlatProfile;
using testing::PeakRssBytes;
using testing::ResetPeakRss;

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(gen());
  return s;
}

// A gzip stream of `zeros` zero bytes, produced without holding them all in memory.
std::string ZeroBomb(size_t zeros) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string chunk(1 << 20, '\0');
  std::string out;
  std::string buf(1 << 16, '\0');
  size_t left = zeros;
  int rc = Z_OK;
  do {
    size_t n = std::min(left, chunk.size());
    z.next_in = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_in = static_cast<uInt>(n);
    left -= n;
    int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf.data());
      z.avail_out = static_cast<uInt>(buf.size());
      rc = deflate(&z, flush);
      out.append(buf.data(), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  } while (left > 0 || rc != Z_STREAM_END);
  deflateEnd(&z);
  return out;
}

TEST(Gzip, RoundTripTable) {
  const std::string inputs[] = {"", "a", FlatProfile(100 * 1024), RandomBytes(1 << 20, 7),
                                std::string(3 << 20, 'z')};
  for (const std::string& in : inputs) {
    for (int level : {0, 1, 6, 9}) {
      Result<std::string> gz = Gzip(in, level);
      ASSERT_TRUE(gz.ok()) << gz.status().ToString();
      EXPECT_TRUE(LooksLikeGzip(*gz));
      Result<std::string> back = Gunzip(*gz, 8 << 20);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(*back, in) << "size " << in.size() << " level " << level;
    }
  }
}

TEST(Gzip, LooksLikeGzipTable) {
  EXPECT_TRUE(LooksLikeGzip(std::string("\x1f\x8b\x08", 3)));
  EXPECT_FALSE(LooksLikeGzip(std::string("\x1f\x8b", 2)));
  EXPECT_FALSE(LooksLikeGzip(std::string("\x1f\x8b\x09", 3)));
  EXPECT_FALSE(LooksLikeGzip("<flat-profile>"));
  EXPECT_FALSE(LooksLikeGzip(""));
}

TEST(Gzip, ConcatenatedMembersAndTrailingZeros) {
  std::string a = Gzip("first ").value();
  std::string b = Gzip("second").value();
  Result<std::string> both = Gunzip(a + b);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(*both, "first second");
  Result<std::string> padded = Gunzip(a + std::string(512, '\0'));
  ASSERT_TRUE(padded.ok()) << padded.status().ToString();
  EXPECT_EQ(*padded, "first ");
  Result<std::string> junk = Gunzip(a + "junk");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.status().code(), StatusCode::kParseError);
  EXPECT_NE(junk.status().message().find("trailing data"), std::string::npos);
}

TEST(Gzip, TruncatedAtEveryLengthIsAnError) {
  std::string gz = Gzip(FlatProfile(4000)).value();
  for (size_t cut = 3; cut < gz.size(); ++cut) {
    Result<std::string> r = Gunzip(std::string_view(gz).substr(0, cut));
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_EQ(r.status().code(), StatusCode::kParseError) << "cut at " << cut;
    if (cut > 20) {
      EXPECT_EQ(r.status().message(), "gzip stream truncated") << "cut at " << cut;
    }
  }
}

TEST(Gzip, CorruptCrcAndDataAreErrors) {
  std::string gz = Gzip(FlatProfile(4000)).value();
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x01;  // CRC32 is the 8 bytes before the end, then ISIZE
  Result<std::string> r = Gunzip(bad_crc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "gzip stream corrupt: incorrect data check");
  std::string bad_len = gz;
  bad_len[bad_len.size() - 2] ^= 0x01;
  r = Gunzip(bad_len);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "gzip stream corrupt: incorrect length check");
  std::string bad_data = gz;
  bad_data[12] = static_cast<char>(0xff);
  r = Gunzip(bad_data);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(Gunzip("not gzip").ok());
  EXPECT_EQ(Gunzip("not gzip").status().message(), "not a gzip stream (no 1f 8b 08 header)");
}

TEST(Gzip, LimitIsExactAndAnErrorNotATruncation) {
  std::string in(100000, 'q');
  std::string gz = Gzip(in).value();
  EXPECT_TRUE(Gunzip(gz, in.size()).ok());
  Result<std::string> r = Gunzip(gz, in.size() - 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(r.status().message(), "decompressed size exceeds 99999 bytes limit");
}

TEST(Gzip, BombStopsAtLimitQuicklyWithBoundedMemory) {
  const std::string bomb = ZeroBomb(size_t{256} << 20);  // 256 MiB of zeros, about 256 KiB
  ASSERT_LT(bomb.size(), size_t{2} << 20);
  ASSERT_TRUE(ResetPeakRss()) << "cannot reset peak RSS via /proc/self/clear_refs";
  const size_t rss_before = CurrentRssBytes();
  const auto start = std::chrono::steady_clock::now();
  Result<std::string> r = Gunzip(bomb);  // default 16 MiB limit
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(r.status().message(), "decompressed size exceeds 16 MiB limit");
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  // The output buffer never grows past the limit: well under 64 MiB more than before.
  EXPECT_LT(PeakRssBytes(), rss_before + (size_t{64} << 20));
}

TEST(Gzip, HundredMebibyteCorruptInputFailsFast) {
  // 100 copies of 1 MiB of noise: cheap to build, still nothing zlib can inflate.
  const std::string noise = RandomBytes(size_t{1} << 20, 3);
  std::string big;
  big.reserve(size_t{100} << 20);
  for (int i = 0; i < 100; ++i) big += noise;
  big[0] = '\x1f';
  big[1] = '\x8b';
  big[2] = '\x08';
  big[3] = '\0';
  const auto start = std::chrono::steady_clock::now();
  Result<std::string> r = Gunzip(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError) << r.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Gzip, FormatSizeTable) {
  EXPECT_EQ(FormatSize(size_t{16} << 20), "16 MiB");
  EXPECT_EQ(FormatSize(512 * 1024), "512 KiB");
  EXPECT_EQ(FormatSize(1000), "1000 bytes");
  EXPECT_EQ(FormatSize(0), "0 bytes");
}

TEST(Gzip, RejectsBadLevel) {
  EXPECT_EQ(Gzip("x", 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Gzip("x", -2).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cwmp::content
