#pragma once
// Byte offsets of a flat profile to the 1-based LINE:COL its messages and elements carry,
// shared by the libxml2 reader and the fast reader so both report the same positions.

#include <cstddef>
#include <cstring>
#include <string_view>

namespace cwmp::prov {

// Maps byte offsets of the input to 1-based line and column. Columns count UTF-8 characters
// (lead bytes), as libxml2's own error columns do; a leading UTF-8 byte order mark takes no
// column. Offsets are usually asked in increasing order, so the newline scan resumes where the
// previous one stopped, and on the same line the column count resumes from the previous
// offset (a profile written on one line costs linear time, not quadratic). Any order is
// correct.
class PositionMap {
 public:
  explicit PositionMap(std::string_view text) : text_(text) {}

  void Locate(size_t offset, int* line, int* column) {
    offset = offset < text_.size() ? offset : text_.size();
    if (offset < scanned_) {
      scanned_ = 0;
      line_ = 1;
      line_start_ = 0;
      counted_ = false;
    }
    const char* const data = text_.data();
    while (scanned_ < offset) {
      const void* nl = std::memchr(data + scanned_, '\n', offset - scanned_);
      if (nl == nullptr) {
        scanned_ = offset;
        break;
      }
      const size_t at = static_cast<size_t>(static_cast<const char*>(nl) - data);
      ++line_;
      line_start_ = at + 1;
      scanned_ = at + 1;
    }
    size_t from = line_start_;
    int col = 1;
    if (counted_ && counted_offset_ >= line_start_ && counted_offset_ <= offset) {
      from = counted_offset_;  // same line as the previous call: resume its count
      col = counted_column_;
    } else if (line_start_ == 0 && text_.starts_with("\xEF\xBB\xBF")) {
      from = 3;  // a byte order mark is not shown by editors, so it takes no column
    }
    for (size_t i = from; i < offset; ++i) {
      if ((static_cast<unsigned char>(data[i]) & 0xC0) != 0x80) ++col;
    }
    if (offset >= from) {
      counted_ = true;
      counted_offset_ = offset;
      counted_column_ = col;
    }
    *line = line_;
    *column = col;
  }

 private:
  std::string_view text_;
  size_t scanned_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  bool counted_ = false;       // counted_offset_/counted_column_ hold a located position
  size_t counted_offset_ = 0;  // last offset located, and its column
  int counted_column_ = 1;
};

}  // namespace cwmp::prov
