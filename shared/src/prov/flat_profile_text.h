#pragma once
// Text rules of flat-profile values, shared by the parser and the serializer.

#include <string>
#include <string_view>

namespace cwmp::prov {

// Turns the decoded text of a parameter element into its value, in place (guide: "String
// Formats"): leading and trailing XML white space removed, every CR or LF inside turned into a
// space, and the text `""` read as the empty string (guide line 1515's way to write one).
void NormalizeValue(std::string& text);

// Appends `value` as XML character data: & < > escaped, C0 controls other than TAB written as
// spaces (XML 1.0 cannot carry them), invalid UTF-8 and non-characters as U+FFFD.
void AppendEscapedText(std::string& out, std::string_view value);

}  // namespace cwmp::prov
