#include "profile_gen.h"

#include <cstdint>

namespace cwmp::content::bench {

std::string GenerateFlatProfile(size_t size) {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n"
      "  <Resync_On_Reset ua=\"na\">Yes</Resync_On_Reset>\n"
      "  <Resync_Periodic ua=\"na\">3600</Resync_Periodic>\n"
      "  <Profile_Rule ua=\"na\">[--key $SA] "
      "https://prov.telco.example/cfg/$MA.cfg</Profile_Rule>\n";
  uint32_t x = 12345;
  auto next = [&x] {
    x = x * 1103515245u + 12345u;
    return (x >> 8) % 100000;
  };
  for (int n = 1; s.size() < size; ++n) {
    const std::string i = std::to_string(n);
    s += "  <Line_Enable_" + i + "_ ua=\"na\">Yes</Line_Enable_" + i + "_>\n";
    s += "  <Display_Name_" + i + "_ ua=\"na\">Desk " + std::to_string(next()) + "</Display_Name_" +
         i + "_>\n";
    s +=
        "  <User_ID_" + i + "_ ua=\"na\">4420" + std::to_string(next()) + "</User_ID_" + i + "_>\n";
    s += "  <Password_" + i + "_ ua=\"na\">pw" + std::to_string(next() * 7919) + "x</Password_" +
         i + "_>\n";
    s += "  <Proxy_" + i + "_ ua=\"na\">sbc" + std::to_string(n % 4) +
         ".voice.telco.example:5060</Proxy_" + i + "_>\n";
    s += "  <Register_Expires_" + i + "_ ua=\"na\">" + std::to_string(600 + n % 7 * 60) +
         "</Register_Expires_" + i + "_>\n";
    s += "  <Dial_Plan_" + i +
         "_ ua=\"na\">(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)"
         "</Dial_Plan_" +
         i + "_>\n";
    s += "  <Speed_Dial_" + i + "_ ua=\"rw\">+1555" + std::to_string(1000000 + next()) +
         "</Speed_Dial_" + i + "_>\n";
    s += "  <Preferred_Codec_" + i + "_ ua=\"na\">" + (n % 2 ? "G711u" : "G722") +
         "</Preferred_Codec_" + i + "_>\n";
  }
  s += "</flat-profile>\n";
  return s;
}

}  // namespace cwmp::content::bench
