// A phone process for the kill -9 test: opens the state directory the parent prepared (store
// with Upgrade_Rule, image slots), boots the upgrade engine and runs it once. The parent
// SIGKILLs it while the image is being written to the inactive slot.
//   upgrade_child STATE_DIR     exit 0 after the attempt, 2 on a setup error

#include <cstdio>
#include <string>

#include "agent/clock.h"
#include "agent/firmware.h"
#include "agent/parameter_store.h"
#include "agent/upgrade_engine.h"
#include "cwmp/prov/schedule.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: upgrade_child STATE_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  auto store = agent::ParameterStore::Open(dir);
  auto slots = agent::ImageSlots::Open(dir);
  if (!store.ok() || !slots.ok()) return 2;
  auto clock = agent::SystemClock();
  cwmp::prov::SystemRandom random(1);
  agent::UpgradeEngineOptions o;
  o.state_dir = dir;
  o.store = store->get();
  o.slots = &slots.value();
  o.clock = clock.get();
  o.random = &random;
  o.policy.model = "CP-6841-3PCC";
  o.factory_version = "sip68xx.11-0-1MPP-0001";
  o.log = [](agent::ProvisioningLogEvent, const cwmp::prov::MacroContext&) {};
  auto engine = agent::UpgradeEngine::Create(std::move(o));
  if (!engine.ok()) return 2;
  if (!(*engine)->OnBoot().ok()) return 2;
  std::printf("%s\n", (*engine)->RunDue(clock->Now()).ToString().c_str());
  return 0;
}
