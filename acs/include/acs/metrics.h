#pragma once
// Metrics: counters, gauges and one latency histogram per name, rendered in the Prometheus
// text exposition format (version 0.0.4) for GET /metrics. Thread-safe; cheap enough to call
// on every request (one mutex, small maps).

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace acs::metrics {

// Label pairs, e.g. {{"method","Inform"}}. Values are escaped when rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  // Declares a metric with its help text (rendered as # HELP / # TYPE).
  void DescribeCounter(const std::string& name, const std::string& help);
  void DescribeHistogram(const std::string& name, const std::string& help,
                         std::vector<double> buckets);
  // A gauge read when rendering.
  void DescribeGauge(const std::string& name, const std::string& help,
                     std::function<double()> read);

  void Add(const std::string& name, const Labels& labels = {}, double amount = 1);
  void Observe(const std::string& name, double value, const Labels& labels = {});

  // The Prometheus text format of everything described.
  std::string Render() const;
  // A counter's current value (0 if never added); for tests and logs.
  double Value(const std::string& name, const Labels& labels = {}) const;

 private:
  struct Histogram {
    std::vector<double> buckets;
    std::map<Labels, std::vector<uint64_t>> counts;  // per bucket, then +Inf
    std::map<Labels, double> sums;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::string> help_;
  std::map<std::string, std::string> type_;
  std::map<std::string, std::map<Labels, double>> counters_;
  std::map<std::string, Histogram> histograms_;
  std::map<std::string, std::function<double()>> gauges_;
};

// The ACS's metric names, described on a registry by DescribeAcsMetrics.
inline constexpr const char* kSessionsStarted = "acsd_cwmp_sessions_started_total";
inline constexpr const char* kSessionsEnded = "acsd_cwmp_sessions_ended_total";  // label reason
inline constexpr const char* kInforms = "acsd_cwmp_informs_total";               // label event
inline constexpr const char* kRpcsSent = "acsd_cwmp_rpcs_sent_total";            // label method
inline constexpr const char* kCpeRequests = "acsd_cwmp_cpe_requests_total";      // label method
inline constexpr const char* kFaults = "acsd_cwmp_faults_total";                 // label code
inline constexpr const char* kTasksCompleted = "acsd_tasks_completed_total";     // label outcome
inline constexpr const char* kAuthFailures = "acsd_cwmp_auth_failures_total";    // label reason
inline constexpr const char* kHttpRequests = "acsd_cwmp_http_requests_total";    // label status
inline constexpr const char* kRequestSeconds = "acsd_cwmp_request_duration_seconds";
inline constexpr const char* kActiveSessions = "acsd_cwmp_sessions_active";
void DescribeAcsMetrics(Registry& registry, std::function<double()> active_sessions);

}  // namespace acs::metrics
