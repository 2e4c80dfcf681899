#pragma once
// The phone the rule tests run against: the guide's example identity (MAC 000E08012345,
// CP-6841-3PCC) and a few state variables.

#include <string>
#include <string_view>

#include "cwmp/prov/macro.h"

namespace cwmp::prov::testing {

inline MacroVariables GuidePhone() {
  MacroVariables v;
  (void)v.SetMac("000E08012345");
  (void)v.Set("PN", "CP-6841-3PCC");
  (void)v.Set("SN", "88012BA01234");
  (void)v.Set("SWVER", "sip68xx.11-0-1MPP");
  (void)v.Set("HWVER", "2.0.1");
  (void)v.Set("CCERT", "Installed");
  (void)v.Set("PRVTMR", "900");
  (void)v.Set("UPGTMR", "1200");
  return v;
}

}  // namespace cwmp::prov::testing
