#pragma once
// Store: everything acsd keeps, in PostgreSQL. Devices with their parameters, the Inform
// history, tasks queued for devices and the faults they produced, and NBI API tokens.
//
// Every method is one database transaction; when it returns OK the data is committed (the ACS
// answers a CPE only after that). Methods are thread-safe: the implementation keeps a pool of
// connections. Times are passed in by the caller (an injected clock), never read inside.
// Errors: kNotFound (no such device/task/token), kInvalidArgument (bad input, e.g. malformed
// JSON), kIoError (database unreachable or the connection broke), kFailedPrecondition (schema
// not migrated, conflicting state), kInternal (anything else the database reported).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acs {

using TimePoint = std::chrono::system_clock::time_point;

// The Inform's DeviceId.
struct DeviceIdentity {
  std::string manufacturer;
  std::string oui;
  std::string product_class;
  std::string serial_number;
};
// "OUI-ProductClass-SerialNumber", the device's id everywhere in the ACS.
std::string DeviceIdOf(const DeviceIdentity& identity);

struct InformEvent {
  std::string code;  // "0 BOOTSTRAP", "1 BOOT", "M Download", ...
  std::string command_key;
};

struct ParameterValue {
  std::string name;
  std::string value;
  std::string type;  // "xsd:string", ...
};

// One received Inform, stored by RecordInform.
struct InformRecord {
  DeviceIdentity device;
  std::vector<InformEvent> events;
  std::vector<ParameterValue> parameters;  // the Inform's ParameterList
  TimePoint received_at;
  std::optional<TimePoint> cpe_time;  // CurrentTime; nullopt for the unknown time
  int retry_count = 0;
};

// A parameter as stored. Fields the ACS has not learnt yet are nullopt.
struct Parameter {
  std::string name;
  std::optional<std::string> value;
  std::optional<std::string> type;
  std::optional<bool> writable;
  std::optional<int> notification;  // 0 off, 1 passive, 2 active (TR-069 allows up to 6)
  std::optional<std::vector<std::string>> access_list;
  TimePoint updated_at;
};

// A change to one parameter from a CPE response (GetParameterValues/Names/Attributes). Only the
// fields that are set are written; the others keep their stored value.
struct ParameterUpdate {
  std::string name;
  std::optional<std::string> value;
  std::optional<std::string> type;
  std::optional<bool> writable;
  std::optional<int> notification;
  std::optional<std::vector<std::string>> access_list;
};

struct Device {
  std::string id;
  DeviceIdentity identity;
  TimePoint created_at;
  std::optional<TimePoint> last_inform_at;
  std::optional<TimePoint> last_boot_at;       // last Inform with "1 BOOT"
  std::optional<TimePoint> last_bootstrap_at;  // last Inform with "0 BOOTSTRAP"
};

struct DeviceWithParameters {
  Device device;
  std::vector<Parameter> parameters;  // sorted by name
};

// ListDevices filter; every set field must match. Pages are in id order.
struct DeviceFilter {
  std::string id_prefix;                      // "" = any
  std::optional<std::string> parameter_name;  // with parameter_value: exact value match
  std::optional<std::string> parameter_value;
  std::optional<TimePoint> informed_since;   // last_inform_at >= this
  std::optional<TimePoint> informed_before;  // last_inform_at < this (or never informed)
  std::string after_id;                      // cursor: DevicePage::next_after_id of the last page
  int limit = 100;                           // 1..1000
};

struct DevicePage {
  std::vector<Device> devices;
  std::string next_after_id;  // empty on the last page
};

struct InformEntry {
  TimePoint received_at;
  std::optional<TimePoint> cpe_time;
  int retry_count = 0;
  std::vector<InformEvent> events;
};

enum class TaskStatus { kPending, kDone, kFault, kExpired };
const char* TaskStatusName(TaskStatus status);

struct NewTask {
  std::string device_id;
  std::string name;              // "getParameterValues", "setParameterValues", "reboot", ...
  std::string args_json = "{}";  // must be valid JSON
  std::optional<TimePoint> expires_at;
};

struct Task {
  int64_t id = 0;
  std::string device_id;
  std::string name;
  std::string args_json;
  TaskStatus status = TaskStatus::kPending;
  int attempts = 0;  // times it failed
  std::optional<std::string> result_json;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> expires_at;
};

// A CWMP fault (or an ACS-side 8xxx fault) as data.
struct TaskFault {
  int code = 0;
  std::string message;
  std::string detail_json = "null";  // e.g. SetParameterValuesFault entries
};

struct FaultRecord {
  int64_t id = 0;
  std::string device_id;
  std::optional<int64_t> task_id;
  int code = 0;
  std::string message;
  std::optional<std::string> detail_json;
  TimePoint created_at;
};

// Metadata of a file served to devices (firmware image, configuration, CA file).
struct FileInfo {
  std::string name;           // unique
  std::string file_type;      // TR-069 FileType, e.g. "1 Firmware Upgrade Image"
  std::string oui;            // "" = any
  std::string product_class;  // "" = any
  std::string version;
  int64_t size = 0;
  std::string sha256;  // 64 lower-case hex digits
  TimePoint created_at;
  std::string url;  // where devices download it from ("" = none: not offered on RequestDownload)
};

// A request a CPE made of the ACS besides the Inform (today: RequestDownload), as history.
struct CpeRequestEntry {
  TimePoint received_at;
  std::string method;                  // "RequestDownload"
  std::string file_type;               // its FileType
  std::string args_json = "{}";        // FileTypeArg name -> value
  std::optional<std::string> file_name;  // the registered file chosen, if one matched
  std::optional<int64_t> task_id;        // the download task queued for it, if any
};

enum class ApiScope { kAdmin, kRead };
const char* ApiScopeName(ApiScope scope);
// "admin" or "read"; anything else is kInvalidArgument.
cwmp::Result<ApiScope> ParseApiScope(std::string_view text);

struct MigrationReport {
  int version_before = 0;
  int version_after = 0;
  std::vector<std::string> applied;  // "001_devices", ... in order
};

// The highest migration version compiled into this binary.
int LatestSchemaVersion();

class Store {
 public:
  virtual ~Store() = default;

  // Applies the embedded migrations the database lacks, each in its own transaction, under a
  // PostgreSQL advisory lock so concurrent acsd processes apply each one once. Fails with
  // kFailedPrecondition when the database has a migration this binary doesn't know or one whose
  // text changed since it was applied.
  virtual cwmp::Result<MigrationReport> Migrate() = 0;
  // The highest applied migration version (0 for an empty database).
  virtual cwmp::Result<int> SchemaVersion() = 0;

  // Creates or updates the device, appends the Inform and its events to the history and
  // upserts the parameter values, in one transaction. A parameter named twice keeps the last.
  // A value (and type) equal to the stored one is not rewritten: a parameter's updated_at is
  // when its value last changed.
  virtual cwmp::Status RecordInform(const InformRecord& inform) = 0;
  // Upserts parameters of an existing device (kNotFound otherwise).
  virtual cwmp::Status UpdateParameters(const std::string& device_id,
                                        const std::vector<ParameterUpdate>& updates,
                                        TimePoint now) = 0;
  virtual cwmp::Result<DeviceWithParameters> GetDevice(const std::string& device_id) = 0;
  virtual cwmp::Result<DevicePage> ListDevices(const DeviceFilter& filter) = 0;
  // Newest first, at most `limit`.
  virtual cwmp::Result<std::vector<InformEntry>> ListInforms(const std::string& device_id,
                                                             int limit) = 0;
  // The device's CPE requests (RequestDownload), newest first, at most `limit`.
  virtual cwmp::Result<std::vector<CpeRequestEntry>> ListCpeRequests(const std::string& device_id,
                                                                     int limit) = 0;
  virtual cwmp::Status DeleteDevice(const std::string& device_id) = 0;
  // Deletes the device's parameters whose names start with `prefix` (a DeleteObject, or a
  // re-read subtree), except the names in `keep` (what the CPE still reports, so the stored
  // values stay visible while they are re-read); returns how many. kInvalidArgument for an
  // empty prefix.
  virtual cwmp::Result<int> DeleteParameters(const std::string& device_id,
                                             const std::string& prefix,
                                             const std::vector<std::string>& keep = {}) = 0;
  // Deletes Inform history received before `before`, in batches of 10,000 (each its own
  // transaction, so a large prune doesn't hold long locks); returns the Informs removed.
  virtual cwmp::Result<int64_t> PruneInforms(TimePoint before) = 0;

  // Queues a task; returns its id. kNotFound if the device doesn't exist.
  virtual cwmp::Result<int64_t> EnqueueTask(const NewTask& task, TimePoint now) = 0;
  // The device's oldest pending, unexpired task, if any.
  virtual cwmp::Result<std::optional<Task>> NextPendingTask(const std::string& device_id,
                                                            TimePoint now) = 0;
  virtual cwmp::Result<Task> GetTask(int64_t task_id) = 0;
  // All of a device's tasks, oldest first.
  virtual cwmp::Result<std::vector<Task>> ListTasks(const std::string& device_id) = 0;
  // pending → done, storing the result. kFailedPrecondition if the task isn't pending.
  virtual cwmp::Status CompleteTask(int64_t task_id, const std::string& result_json,
                                    TimePoint now) = 0;
  // pending → fault, counting the attempt and recording the fault (also in ListFaults).
  virtual cwmp::Status FailTask(int64_t task_id, const TaskFault& fault, TimePoint now) = 0;
  // fault or expired → pending (result cleared); kFailedPrecondition for other states.
  virtual cwmp::Status RetryTask(int64_t task_id, TimePoint now) = 0;
  virtual cwmp::Status DeleteTask(int64_t task_id) = 0;
  // Marks pending tasks whose expires_at <= now as expired; returns how many.
  virtual cwmp::Result<int> ExpireTasks(TimePoint now) = 0;
  // Newest first.
  virtual cwmp::Result<std::vector<FaultRecord>> ListFaults(const std::string& device_id) = 0;

  // Creates or replaces (by name) a file's metadata (with its url); created_at becomes `now`.
  virtual cwmp::Status PutFile(const FileInfo& file, TimePoint now) = 0;
  virtual cwmp::Result<FileInfo> GetFile(const std::string& name) = 0;
  // Sorted by name.
  virtual cwmp::Result<std::vector<FileInfo>> ListFiles() = 0;
  virtual cwmp::Status DeleteFile(const std::string& name) = 0;

  // Stores the SHA-256 of `token` with its scope. The token itself is never stored.
  virtual cwmp::Status AddApiToken(const cwmp::Secret& token, ApiScope scope,
                                   const std::string& description) = 0;
  // The scope of a token; kNotFound for an unknown token.
  virtual cwmp::Result<ApiScope> LookupApiToken(const cwmp::Secret& token) = 0;

  // NBI (acsnbi)
  // The newest `limit` (>= 1) faults of all devices, newest first (one index scan).
  virtual cwmp::Result<std::vector<FaultRecord>> ListRecentFaults(int limit) = 0;
};

struct StoreOptions {
  // postgresql://user[:password]@host[:port]/dbname[?param=value...] or a libpq
  // "key=value ..." string.
  std::string database_url;
  int max_connections = 8;
  int connect_timeout_seconds = 10;
  // Server-side limit for one statement (0 = none), so a stuck query can't hold a CPE session
  // forever. Migrate() lifts it: building an index on a large table takes longer.
  int statement_timeout_ms = 30'000;
};

// Checks the URL's syntax only (no connection). The message names what is wrong.
cwmp::Status ValidateDatabaseUrl(const std::string& url);
// The URL with any password replaced by "********", for messages and logs.
std::string RedactDatabaseUrl(const std::string& url);
// Opens a PostgreSQL store; connects once right away so a bad URL or an unreachable server is
// reported here (kInvalidArgument / kIoError).
cwmp::Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreOptions& options);

}  // namespace acs
