#pragma once
// Conditional expressions (guide "Conditional Expressions", lines 923-976): the
// "(expr)?" of Profile_Rule*/Upgrade_Rule alternatives and the Resync_Trigger_1/2 values.
//
//   condition  := comparison ( "and" comparison )*
//   comparison := operand operator operand
//   operator   := "=" | "eq" | "!=" | "ne" | "<" | "lt" | "<=" | "le" | ">" | "gt" | ">=" | "ge"
//   operand    := integer            -?[0-9]+            (64-bit)
//               | version            sip68xx.11-0-1MPP-BN (see version.h)
//               | "quoted string"    no escapes; a '"' cannot appear inside
//
// Keywords (and, eq, ...) are matched without regard to case ("AND" works too). Both operands
// of a comparison must have the same type; quoted strings allow only equality operators;
// anything else is a type error. Parentheses are not part of the language (the guide forbids
// them in Resync_Trigger_*; in rules they only delimit "(expr)?").

#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/prov/macro.h"

namespace cwmp::prov {

// Evaluates a condition whose macros were already expanded. Errors are kParseError (syntax)
// or kInvalidArgument (type errors); messages give the 1-based column.
Result<bool> EvaluateExpandedCondition(std::string_view expanded);

// Expands macros (MacroScope::kGeneral) and then evaluates.
Result<bool> EvaluateCondition(std::string_view condition, const MacroContext& context);

// Checks only the syntax of an expanded condition (no evaluation short cut): OK or the error
// that EvaluateExpandedCondition would return.
Status CheckExpandedCondition(std::string_view expanded);

// Resync_Trigger_1/2 (guide lines 1185-1191, 2554): when the periodic resync is due it goes
// ahead if no trigger is set (empty or blank), or if at least one set trigger is true. An
// error in one trigger counts as false; when no trigger is true and one failed, that error is
// returned so the caller can log it (and skip the resync).
Result<bool> ResyncTriggersAllow(std::string_view trigger1, std::string_view trigger2,
                                 const MacroContext& context);

}  // namespace cwmp::prov
