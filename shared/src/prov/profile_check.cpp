#include "cwmp/prov/profile_check.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/prov/datatype.h"

namespace cwmp::prov {
namespace {

// Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`.
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// A read-only open-addressing index from name to definition, over one catalog that outlives
// it. Catalog::Find (a node-based std::unordered_map) was a sixth of a full-profile check's
// time, mostly cache misses: here the slots and the names sit in two contiguous arrays, and
// the hash reads 8 bytes at a time. Only catalog names are stored, so however hostile the
// profile, a lookup probes at most the longest run of occupied slots the catalog produced.
class NameIndex {
 public:
  explicit NameIndex(const Catalog& catalog) {
    size_t capacity = 16;
    while (capacity < catalog.params().size() * 2) capacity *= 2;  // load factor <= 1/2
    slots_.resize(capacity);
    mask_ = capacity - 1;
    size_t bytes = 0;
    for (const ParamDef& def : catalog.params()) bytes += def.name.size();
    names_.reserve(bytes);
    for (const ParamDef& def : catalog.params()) {
      const uint64_t hash = Hash(def.name);
      size_t i = hash & mask_;
      while (slots_[i].def != nullptr) i = (i + 1) & mask_;
      slots_[i] = {hash, static_cast<uint32_t>(names_.size()),
                   static_cast<uint32_t>(def.name.size()), &def};
      names_ += def.name;
    }
  }

  const ParamDef* Find(std::string_view name) const {
    const uint64_t hash = Hash(name);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.def == nullptr) return nullptr;
      if (slot.hash == hash && slot.length == name.size() &&
          std::memcmp(names_.data() + slot.offset, name.data(), name.size()) == 0) {
        return slot.def;
      }
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0;  // of the name in names_
    uint32_t length = 0;
    const ParamDef* def = nullptr;  // nullptr: empty slot
  };

  static uint64_t Hash(std::string_view s) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      h = (h ^ word) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    // The tail: for names of 8 bytes or more, the last 8 bytes (overlapping the words above;
    // a fixed-size load, where a memcpy of a variable size is a library call).
    uint64_t tail = 0;
    if (s.size() >= 8) {
      std::memcpy(&tail, s.data() + s.size() - 8, 8);
    } else {
      std::memcpy(&tail, s.data(), s.size());
    }
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
  }

  std::vector<Slot> slots_;
  std::string names_;
  size_t mask_ = 0;
};

// Catalog::Builtin() lives for the whole program, so its index is built once; any other
// catalog is looked up through Catalog::Find.
class Lookup {
 public:
  explicit Lookup(const Catalog& catalog)
      : catalog_(catalog), index_(&catalog == &Catalog::Builtin() ? &BuiltinIndex() : nullptr) {}
  const ParamDef* Find(std::string_view name) const {
    return index_ != nullptr ? index_->Find(name) : catalog_.Find(name);
  }

 private:
  static const NameIndex& BuiltinIndex() {
    static const NameIndex index(Catalog::Builtin());
    return index;
  }
  const Catalog& catalog_;
  const NameIndex* index_;
};

}  // namespace

std::string SuggestParameterName(std::string_view name, const Catalog& catalog) {
  const size_t limit = name.size() <= 6 ? 1 : 2;
  std::string best;
  size_t best_distance = limit + 1;
  for (const ParamDef& def : catalog.params()) {
    const size_t d = BoundedEditDistance(name, def.name, limit);
    if (d < best_distance) {
      best_distance = d;
      best = def.name;
    }
  }
  return best;
}

std::vector<CheckDiagnostic> CheckProfile(const FlatProfile& profile, const Catalog& catalog,
                                          const CheckOptions& options) {
  std::vector<CheckDiagnostic> out;
  const Lookup lookup(catalog);
  for (const ProfileElement& element : profile.elements) {
    const ParamDef* def = lookup.Find(element.name);
    if (def == nullptr) {
      std::string message = "unknown parameter \"" + element.name + "\" (the phone ignores it)";
      if (options.suggest) {
        const std::string suggestion = SuggestParameterName(element.name, catalog);
        if (!suggestion.empty()) message += "; did you mean \"" + suggestion + "\"?";
      }
      out.push_back({element.line, element.column, std::move(message), options.allow_unknown});
      continue;
    }
    if (!element.value) continue;  // ua-only element: an access change, no value to check
    // One catalog lookup per element: the type check runs on the definition found above
    // (Catalog::Validate would look the name up again); the message is Catalog::Validate's.
    Status st = ValidateValue(def->type, *element.value);
    if (st.ok()) continue;
    const std::string shown = def->secret ? std::string(Secret::kMask) : *element.value;
    out.push_back(
        {element.line, element.column, def->name + ": \"" + shown + "\" " + st.message(), false});
  }
  return out;
}

}  // namespace cwmp::prov
