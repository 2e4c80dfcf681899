#pragma once
// Secret: a string that must never reach a log, an export, the UI or an API response.
// It has no operator<< and no implicit conversion; code that really needs the bytes calls
// Reveal(), which is easy to grep for in review. Memory is wiped on destruction.

#include <string>
#include <string_view>

namespace cwmp {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      Wipe();
      value_ = std::move(other.value_);
      other.Wipe();
    }
    return *this;
  }
  ~Secret() { Wipe(); }

  bool empty() const { return value_.empty(); }
  // The secret bytes. Callers must not log or export the result.
  const std::string& Reveal() const { return value_; }
  // What logs and exports show instead of the value.
  static constexpr std::string_view kMask = "********";

  friend bool operator==(const Secret& a, const Secret& b) { return a.value_ == b.value_; }

 private:
  void Wipe() noexcept {
    volatile char* p = value_.data();
    for (size_t i = 0; i < value_.size(); ++i) p[i] = 0;
    value_.clear();
  }
  std::string value_;
};

}  // namespace cwmp
