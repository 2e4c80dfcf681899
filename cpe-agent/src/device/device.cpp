#include "agent/device.h"

#include <algorithm>
#include <charconv>

#include "agent/network_worker.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/soap/codec.h"

namespace agent {
namespace {

namespace soap = cwmp::soap;
namespace prov = cwmp::prov;
using std::chrono::sys_seconds;

constexpr size_t kMaxInformEvents = 64;   // cwmp-1-4.xsd
constexpr size_t kMaxFaultString = 256;   // TransferCompleteFaultStruct

int64_t Seconds(sys_seconds t) { return t.time_since_epoch().count(); }

soap::TransferFault MakeTransferFault(uint32_t code, std::string text) {
  if (text.size() > kMaxFaultString) text.resize(kMaxFaultString);
  return {code, std::move(text)};
}

bool IsYes(const std::string& v) {
  std::string l = v;
  std::transform(l.begin(), l.end(), l.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return l == "yes" || l == "1" || l == "true";
}

}  // namespace

cwmp::Result<std::unique_ptr<Device>> Device::Start(DeviceOptions options) {
  if (!options.executor || !options.clock) {
    return cwmp::InvalidArgument("Device needs a TransferExecutor and a Clock");
  }
  std::unique_ptr<Device> d(new Device(std::move(options)));
  auto store = ParameterStore::Open(d->options_.state_dir);
  if (!store.ok()) return store.status();
  d->store_ = std::move(*store);
  auto events = EventQueue::Open(d->options_.state_dir);
  if (!events.ok()) return events.status();
  d->events_ = std::move(*events);

  // A FactoryReset the ACS was told about but that a crash interrupted is finished now.
  if (d->events_->state().factory_reset_requested) {
    CWMP_RETURN_IF_ERROR(d->store_->FactoryReset());
    CWMP_RETURN_IF_ERROR(d->events_->CompleteFactoryReset());
  }
  const std::string url = d->store_->Get("ACS_URL");
  if (d->events_->state().bootstrapped_url != url) {
    CWMP_RETURN_IF_ERROR(d->events_->Add(kEventBootstrap));
  }
  CWMP_RETURN_IF_ERROR(d->events_->OnBoot());

  d->model_ = std::make_unique<DataModel>(*d->store_, d->options_.identity, *d->options_.clock);
  d->rpc_ = std::make_unique<RpcHandler>(*d->model_, *d->events_, *d->options_.clock);
  Device* self = d.get();
  d->store_->SetActiveNotificationCallback([self] { self->RequestSession(); });
  d->UpdatePeriodic(d->options_.clock->Now());
  return d;
}

void Device::Note(cwmp::Status st) {
  if (!st.ok()) last_error_ = std::move(st);
}

void Device::RequestSession() {
  if (options_.request_session) options_.request_session();
}

soap::Inform Device::BuildInform(uint32_t retry_count) {
  sent_changed_.clear();
  sent_live_.clear();
  sent_bootstrap_url_.reset();
  in_flight_result_.reset();
  refused_results_.clear();

  // A new ACS URL (set by the ACS itself or locally) means a new bootstrap.
  const std::string url = store_->Get("ACS_URL");
  if (events_->state().bootstrapped_url != url) Note(events_->Add(kEventBootstrap));

  soap::Inform inform;
  const DeviceIdentity& id = model_->identity();
  inform.device_id.manufacturer = id.manufacturer;
  inform.device_id.oui = OuiFromMac(id.mac_address);
  inform.device_id.product_class = id.product_class.empty() ? id.model_name : id.product_class;
  inform.device_id.serial_number = id.serial_number;
  inform.current_time = soap::FormatDateTime(options_.clock->Now());
  inform.retry_count = retry_count;
  for (const auto& e : events_->events()) {
    if (inform.events.size() + 1 >= kMaxInformEvents) break;  // room for 4 VALUE CHANGE
    inform.events.push_back(e);
    if (e.event_code == kEventBootstrap) sent_bootstrap_url_ = url;
  }

  inform.parameters = model_->ForcedInformParameters();
  auto add_param = [&](soap::ParameterValue pv) {
    for (const auto& p : inform.parameters) {
      if (p.name == pv.name) return;
    }
    inform.parameters.push_back(std::move(pv));
  };
  bool value_change = false;
  for (const auto& flat : store_->ChangedParameters()) {
    const ParamNode* node = model_->Find(model_->PathOf(flat));
    sent_changed_.push_back(flat);
    if (!node) continue;  // its instance was removed since
    add_param(model_->Read(*node));
    value_change = true;
  }
  const auto& informed = events_->state().informed;
  for (auto& [pv, notification] : model_->NotifiedLiveValues()) {
    auto it = informed.find(pv.name);
    if (it != informed.end() && it->second != pv.value) {
      value_change = true;
      add_param(pv);
    }
    sent_live_[pv.name] = pv.value;
  }
  if (value_change) inform.events.push_back({kEventValueChange, ""});
  return inform;
}

void Device::OnInformAccepted(const soap::Inform& sent) {
  std::vector<soap::EventStruct> delivered;
  for (const auto& e : sent.events) {
    if (e.event_code != kEventValueChange) delivered.push_back(e);
  }
  Note(events_->OnInformDelivered(delivered));
  if (sent_bootstrap_url_) Note(events_->SetBootstrappedUrl(*sent_bootstrap_url_));
  store_->ClearChanged(sent_changed_);
  Note(events_->SetInformed(sent_live_));
}

std::optional<soap::Body> Device::NextCpeRequest() {
  for (const auto& r : events_->state().results) {
    if (refused_results_.contains(r.id)) continue;
    in_flight_result_ = r.id;
    if (r.autonomous) {
      soap::AutonomousTransferComplete atc;
      atc.announce_url = r.announce_url;
      atc.transfer_url = r.transfer_url;
      atc.is_download = r.is_download;
      atc.file_type = r.file_type;
      atc.file_size = r.file_size;
      atc.target_file_name = r.target_file_name;
      atc.fault = r.fault;
      atc.start_time = r.start_time;
      atc.complete_time = r.complete_time;
      return atc;
    }
    soap::TransferComplete tc;
    tc.command_key = r.command_key;
    tc.fault = r.fault;
    tc.start_time = r.start_time;
    tc.complete_time = r.complete_time;
    return tc;
  }
  in_flight_result_.reset();
  return std::nullopt;
}

void Device::OnCpeRequestAnswered(const soap::Body& request, const soap::Body& response) {
  if (!in_flight_result_) return;
  bool is_result = std::holds_alternative<soap::TransferComplete>(request) ||
                   std::holds_alternative<soap::AutonomousTransferComplete>(request);
  if (!is_result) return;
  bool acknowledged = std::holds_alternative<soap::TransferCompleteResponse>(response) ||
                      std::holds_alternative<soap::AutonomousTransferCompleteResponse>(response);
  if (acknowledged) {
    Note(events_->Acknowledge(*in_flight_result_));
  } else {
    refused_results_.insert(*in_flight_result_);  // retried in the next session
  }
  in_flight_result_.reset();
}

soap::Body Device::HandleAcsRequest(const soap::Body& request) { return rpc_->Handle(request); }

void Device::OnSessionEnd(bool success) {
  if (!success) Note(events_->OnSessionFailed());
  // Reboot and FactoryReset wait for the end of the session in which they were acknowledged
  // (TR-069 A.3.2.9/A.4.1.6); the session may have failed after the response went out.
  if (events_->state().factory_reset_requested) {
    cwmp::Status st = store_->FactoryReset();
    if (st.ok()) st = events_->CompleteFactoryReset();
    Note(st);
  }
  if (events_->state().reboot_requested) {
    if (options_.reboot) options_.reboot();
    return;
  }
  if (options_.schedule_tick) options_.schedule_tick(NextWakeup());
}

void Device::UpdatePeriodic(sys_seconds now) {
  const std::string enable = store_->Get("Periodic_Inform_Enable");
  const std::string interval_text = store_->Get("Periodic_Inform_Interval");
  const std::string time_text = store_->Get("Periodic_Inform_Time");
  std::string basis = enable + "|" + interval_text + "|" + time_text;
  if (basis == periodic_basis_) return;
  periodic_basis_ = basis;
  next_periodic_.reset();
  // Uns32: decimal or 0x hex (datatype.h).
  uint64_t interval = 0;
  std::string_view digits = interval_text;
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits.remove_prefix(2);
    base = 16;
  }
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), interval, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) interval = 0;
  if (!IsYes(enable) || interval == 0) return;
  // TR-069: PeriodicInformTime is the reference the intervals count from; unknown = now.
  sys_seconds reference = now;
  if (time_text != soap::kUnknownTime) {
    if (auto t = soap::ParseDateTime(time_text); t.ok()) reference = *t;
  }
  int64_t delta = Seconds(now) - Seconds(reference);
  int64_t i = static_cast<int64_t>(interval);
  int64_t offset = delta >= 0 ? (delta / i + 1) * i : -((-delta) / i) * i;
  next_periodic_ = reference + std::chrono::seconds(offset);
  if (*next_periodic_ <= now) *next_periodic_ += std::chrono::seconds(i);
  periodic_interval_ = std::chrono::seconds(i);
}

sys_seconds Device::NextWakeup() {
  sys_seconds now = options_.clock->Now();
  UpdatePeriodic(now);  // the ACS may have changed the schedule in the session
  sys_seconds next = now + std::chrono::hours(24);
  if (next_periodic_) next = std::min(next, *next_periodic_);
  for (const auto& s : events_->state().scheduled_informs) {
    next = std::min(next, sys_seconds(std::chrono::seconds(s.at)));
  }
  for (const auto& t : events_->state().transfers) {
    if (t.state == 1) next = std::min(next, sys_seconds(std::chrono::seconds(t.not_before)));
  }
  return std::max(next, now);
}

sys_seconds Device::Tick() {
  sys_seconds now = options_.clock->Now();
  bool session = false;
  auto fired = events_->FireScheduledInforms(Seconds(now));
  if (!fired.ok()) {
    Note(fired.status());
  } else if (*fired > 0) {
    session = true;
  }
  UpdatePeriodic(now);
  if (next_periodic_ && *next_periodic_ <= now) {
    Note(events_->Add(kEventPeriodic));
    session = true;
    while (*next_periodic_ <= now) *next_periodic_ += periodic_interval_;
  }
  // Transfers in queue order; the copy keeps iteration valid while the queue changes.
  std::vector<QueuedTransferItem> due;
  for (const auto& t : events_->state().transfers) {
    if (t.state == 1 && t.not_before <= Seconds(now)) due.push_back(t);
  }
  for (const auto& t : due) {
    RunTransfer(t);
    session = true;
    if (events_->state().reboot_requested) {
      // A new firmware image: restart into it; TransferComplete follows "1 BOOT".
      if (options_.reboot) options_.reboot();
      return NextWakeup();
    }
  }
  if (session) RequestSession();
  return NextWakeup();
}

soap::TransferFault Device::ApplyConfiguration(std::string_view bytes) {
  auto decoded = DecodeContentIsolated(bytes, options_.config_decode);
  if (!decoded.ok()) {
    return MakeTransferFault(9018, "file corrupted: " + decoded.status().message());
  }
  auto profile = prov::ParseFlatProfile(decoded->plaintext);
  if (!profile.ok()) {
    return MakeTransferFault(9018, "file corrupted: " + profile.status().message());
  }
  auto applied = store_->ApplyProfile(*profile, ChangeSource::kLocal);
  if (!applied.ok()) {
    if (applied.status().code() == cwmp::StatusCode::kIoError) {
      return MakeTransferFault(9002, "internal error: " + applied.status().message());
    }
    return MakeTransferFault(9018, "file corrupted: " + applied.status().message());
  }
  return {};
}

void Device::RunTransfer(const QueuedTransferItem& item) {
  sys_seconds now = options_.clock->Now();
  TransferResult result;
  result.method_event = item.method == "Upload"             ? kEventMUpload
                        : item.method == "ScheduleDownload" ? kEventMScheduleDownload
                                                            : kEventMDownload;
  result.command_key = item.command_key;
  result.is_download = item.method != "Upload";
  result.file_type = item.file_type;
  result.file_size = item.file_size;
  result.target_file_name = item.target_file_name;
  if (item.deadline != 0 && Seconds(now) > item.deadline) {
    result.fault = MakeTransferFault(
        9020, "unable to complete download within specified time windows");
    Note(events_->Complete(item.id, std::move(result)));
    return;
  }
  Note(events_->SetTransferState(item.id, 2));
  result.start_time = soap::FormatDateTime(now);
  TransferRequest request{item.url,       item.username,  item.password,
                          item.file_type, item.file_size, item.target_file_name};
  bool reboot = false;
  if (item.method == "Upload") {
    std::string content;
    if (item.file_type == kUploadTypeLog) {
      content = options_.executor->ReadLog();
    } else {
      prov::SerializeOptions so;
      so.is_secret = [](std::string_view name) {
        const auto* def = prov::Catalog::Builtin().Find(name);
        return def && def->secret;
      };
      so.secret_mode = prov::SerializeOptions::SecretMode::kOmit;
      content = prov::SerializeFlatProfile(store_->ExportProfile(true), so);
    }
    result.fault = options_.executor->Put(request, content);
    result.file_size = static_cast<uint32_t>(content.size());
  } else {
    DownloadResult fetched = options_.executor->Fetch(request);
    if (fetched.fault.fault_code != 0) {
      result.fault = fetched.fault;
    } else if (item.file_type == kFileTypeFirmware) {
      result.fault = options_.executor->InstallFirmware(request, fetched.content);
      reboot = result.fault.fault_code == 0;
    } else if (item.file_type == kFileTypeCustomCa) {
      if (fetched.content.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        result.fault = MakeTransferFault(9018, "file corrupted: no PEM certificate");
      } else {
        result.fault = options_.executor->InstallCustomCa(fetched.content);
      }
    } else {
      result.fault = ApplyConfiguration(fetched.content);
    }
  }
  if (result.fault.fault_code != 0 && result.fault.fault_string.empty()) {
    result.fault.fault_string = std::string(soap::FaultText(result.fault.fault_code));
  }
  result.complete_time = soap::FormatDateTime(options_.clock->Now());
  Note(events_->Complete(item.id, std::move(result), reboot));
}

cwmp::Status Device::OnConnectionRequest() {
  CWMP_RETURN_IF_ERROR(events_->Add(kEventConnectionRequest));
  RequestSession();
  return cwmp::Status::Ok();
}

cwmp::Result<ParameterStore::ApplyResult> Device::ApplyLocalProfile(
    const prov::FlatProfile& profile) {
  return store_->ApplyProfile(profile, ChangeSource::kLocal);
}

cwmp::Status Device::RecordAutonomousTransfer(TransferResult result) {
  result.autonomous = true;
  result.method_event.clear();
  CWMP_RETURN_IF_ERROR(events_->Complete(0, std::move(result)));
  RequestSession();
  return cwmp::Status::Ok();
}

void Device::SetConnectionRequestUrl(std::string url) {
  model_->SetConnectionRequestUrl(std::move(url));
  const ParamNode* node = model_->Find("Device.ManagementServer.ConnectionRequestURL");
  auto it = events_->state().informed.find(node->path);
  if (it != events_->state().informed.end() && it->second != model_->Read(*node).value &&
      model_->NotificationOf(*node) == 2) {
    RequestSession();
  }
}

}  // namespace agent
