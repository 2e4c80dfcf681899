#pragma once
// One filled-in example of every message the codec writes, shared by the round-trip and the
// schema-validation tests.

#include <ostream>
#include <string>
#include <vector>

#include "cwmp/soap/codec.h"
#include "cwmp/soap/messages.h"

namespace cwmp::soap::testing {

struct Sample {
  std::string name;  // test name
  Envelope envelope;
};

// Names a sample in test output (and ctest names) instead of dumping its bytes.
inline void PrintTo(const Sample& s, std::ostream* os) { *os << s.name; }

// An envelope with a cwmp:ID and no other header.
inline Envelope MakeEnvelope(std::string id, Body body) {
  Envelope e;
  e.id = std::move(id);
  e.body = std::move(body);
  return e;
}

// Every body type with realistic values (and, for the headers, a few envelopes with them).
std::vector<Sample> AllSamples();

}  // namespace cwmp::soap::testing
