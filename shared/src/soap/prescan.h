#pragma once
// A byte-level pass over an incoming envelope before gSOAP sees it: enforces the size and
// nesting limits and rejects DTDs and entity references other than the five predefined ones and
// character references, so no input can make the parser expand or load anything.

#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/soap/codec.h"

namespace cwmp::soap {

Status Prescan(std::string_view xml, const DecodeLimits& limits);

}  // namespace cwmp::soap
