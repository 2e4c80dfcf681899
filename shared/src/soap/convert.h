#pragma once
// Private to shared/src/soap: conversion between the project's message structs and the gSOAP
// classes generated from schema/soap/cwmp.h. Nothing outside shared/src/soap includes this.

#include <string>
#include <string_view>

#include "cwmp/soap/codec.h"

// gSOAP types, defined in the generated soapStub.h that only the .cpp files include.
struct soap;
struct SOAP_ENV__Fault;

namespace cwmp::soap::internal {

// Collects the first schema violation while building gSOAP objects for output. Every object is
// allocated in the soap context and freed by soap_destroy()/soap_end().
class Writer {
 public:
  Writer(struct soap* s, CwmpVersion version) : s_(s), version_(version) {}

  struct soap* soap() const {
    return s_;
  }
  CwmpVersion version() const { return version_; }
  const Status& status() const { return status_; }
  void Fail(std::string message);

  // Checks the schema's maxLength and returns the value.
  const std::string& Str(std::string_view field, const std::string& value, size_t max);
  // Checks an xs:dateTime.
  const std::string& Time(std::string_view field, const std::string& value);
  // Checks a list's number of entries against the schema's bounds.
  void Count(std::string_view field, size_t n, size_t min, size_t max);
  // A context-owned copy of `value`.
  std::string* New(std::string value);
  std::string* NewOpt(std::string_view field, const std::optional<std::string>& value, size_t max);
  // The soapenc:arrayType value "<item>[<n>]".
  std::string* ArrayType(std::string_view item, size_t n);

 private:
  struct soap* s_;
  CwmpVersion version_;
  Status status_;
};

// Collects the first violation of the decode limits while converting parsed gSOAP objects.
class Reader {
 public:
  explicit Reader(const DecodeLimits& limits) : limits_(limits) {}
  const Status& status() const { return status_; }
  void Items(std::string_view field, size_t n);
  void Fail(Status status) {
    if (status_.ok()) status_ = std::move(status);
  }

 private:
  const DecodeLimits& limits_;
  Status status_;
};

// Serialises `body` as the SOAP Body content (the caller has begun the Body element).
// Returns false with w.status() set when the body violates the schema; gSOAP errors are
// reported through soap->error.
struct PreparedBody {
  const void* object = nullptr;
  const char* tag = nullptr;
  // Calls object->soap_serialize / soap_put through a small per-type thunk.
  void (*serialize)(struct soap*, const void*) = nullptr;
  int (*put)(struct soap*, const void*, const char*) = nullptr;
};
PreparedBody PrepareBody(Writer& w, const Body& body);

// Converts the element that soap_getelement() returned (its SOAP_TYPE_ id and pointer).
// Returns false when the type is not a CWMP body element.
bool ConvertBody(Reader& r, int type, const void* object, Body* out);

// Converts a parsed SOAP Fault.
Fault ConvertFault(Reader& r, const struct SOAP_ENV__Fault& fault);

}  // namespace cwmp::soap::internal
