// The admin web server over loopback (one keep-alive connection, request after request) and the
// SIP NOTIFY handler (challenge + authenticated retry), over a real parameter store.
#include <benchmark/benchmark.h>

#include "agent/admin_server.h"
#include "agent/sip_listener.h"
#include "http_client.h"
#include "sip_test_util.h"
#include "store_admin_actions.h"

namespace {

using namespace agent_admin_test;

void RunHttp(benchmark::State& state, const std::string& request) {
  StoreAdminActions actions;
  agent::AdminServerOptions options;
  options.listen = "127.0.0.1:0";
  options.max_requests_per_connection = SIZE_MAX;  // one connection for the whole run
  auto server = agent::AdminServer::Start(options, actions);
  if (!server.ok()) {
    state.SkipWithError(server.status().message().c_str());
    return;
  }
  HttpConnection c((*server)->port());
  size_t bytes = 0;
  for (auto _ : state) {
    auto a = c.Exchange(request);
    if (a.status != 200) {
      state.SkipWithError("no 200");
      break;
    }
    bytes += a.body.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_AdminStatusKeepAlive(benchmark::State& state) { RunHttp(state, Get("/admin/status")); }
BENCHMARK(BM_AdminStatusKeepAlive)->UseRealTime();

void BM_AdminConfigXmlExport(benchmark::State& state) { RunHttp(state, Get("/admin/config.xml")); }
BENCHMARK(BM_AdminConfigXmlExport)->UseRealTime();

void BM_SipNotifyChallengeAndAccept(benchmark::State& state) {
  StoreAdminActions actions;
  (void)actions.Set({{"User_ID_1_", "1001"}, {"Password_1_", "s3cret"}});
  FakeClientClock clock;
  agent::SipListenerOptions options;
  agent::SipNotifyHandler handler(options, actions, clock, &agent::RandomHex128);
  for (auto _ : state) {
    auto challenge = handler.Handle(Notify("restart_now", 1));
    auto ok = handler.Handle(
        Notify("restart_now", 2, AuthorizationFor(*challenge.reply, "1001", "s3cret")));
    if (SipStatus(*ok.reply) != 200) {
      state.SkipWithError("no 200");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SipNotifyChallengeAndAccept);

}  // namespace

BENCHMARK_MAIN();
