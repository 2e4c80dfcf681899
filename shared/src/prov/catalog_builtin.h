#pragma once
// The text of schema/datamodel/phone-params.tsv, embedded at build time by
// shared/cmake/catalog.cmake (generated catalog_data.cpp).

#include <string_view>

namespace cwmp::prov::internal {

std::string_view BuiltinCatalogText();

}  // namespace cwmp::prov::internal
