// Prometheus text exposition of counters, gauges and histograms.
#include "acs/metrics.h"

#include <cmath>
#include <cstdio>

namespace acs::metrics {
namespace {

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string LabelText(const Labels& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ",";
    first = false;
    out += k + "=\"" + Escape(v) + "\"";
  }
  if (!extra.empty()) out += (first ? "" : ",") + extra;
  return out + "}";
}

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

void Registry::DescribeCounter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  help_[name] = help;
  type_[name] = "counter";
  counters_[name];
}

void Registry::DescribeHistogram(const std::string& name, const std::string& help,
                                 std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  help_[name] = help;
  type_[name] = "histogram";
  histograms_[name].buckets = std::move(buckets);
}

void Registry::DescribeGauge(const std::string& name, const std::string& help,
                             std::function<double()> read) {
  std::lock_guard lock(mu_);
  help_[name] = help;
  type_[name] = "gauge";
  gauges_[name] = std::move(read);
}

void Registry::Add(const std::string& name, const Labels& labels, double amount) {
  std::lock_guard lock(mu_);
  counters_[name][labels] += amount;
}

void Registry::Observe(const std::string& name, double value, const Labels& labels) {
  std::lock_guard lock(mu_);
  Histogram& h = histograms_[name];
  auto& counts = h.counts[labels];
  if (counts.empty()) counts.assign(h.buckets.size() + 1, 0);
  for (size_t i = 0; i < h.buckets.size(); ++i) {
    if (value <= h.buckets[i]) ++counts[i];
  }
  ++counts.back();
  h.sums[labels] += value;
}

double Registry::Value(const std::string& name, const Labels& labels) const {
  std::lock_guard lock(mu_);
  auto it = counters_.find(name);
  if (it == counters_.end()) return 0;
  auto jt = it->second.find(labels);
  return jt == it->second.end() ? 0 : jt->second;
}

std::string Registry::Render() const {
  std::map<std::string, std::function<double()>> gauges;
  std::string out;
  {
    std::lock_guard lock(mu_);
    gauges = gauges_;
    for (const auto& [name, series] : counters_) {
      auto h = help_.find(name);
      if (h != help_.end()) out += "# HELP " + name + " " + h->second + "\n";
      out += "# TYPE " + name + " counter\n";
      for (const auto& [labels, v] : series)
        out += name + LabelText(labels) + " " + Number(v) + "\n";
    }
    for (const auto& [name, hist] : histograms_) {
      auto h = help_.find(name);
      if (h != help_.end()) out += "# HELP " + name + " " + h->second + "\n";
      out += "# TYPE " + name + " histogram\n";
      for (const auto& [labels, counts] : hist.counts) {
        for (size_t i = 0; i < hist.buckets.size(); ++i) {
          out += name + "_bucket" + LabelText(labels, "le=\"" + Number(hist.buckets[i]) + "\"") +
                 " " + std::to_string(counts[i]) + "\n";
        }
        out += name + "_bucket" + LabelText(labels, "le=\"+Inf\"") + " " +
               std::to_string(counts.back()) + "\n";
        out += name + "_sum" + LabelText(labels) + " " + Number(hist.sums.at(labels)) + "\n";
        out += name + "_count" + LabelText(labels) + " " + std::to_string(counts.back()) + "\n";
      }
    }
    for (const auto& [name, read] : gauges) {
      auto h = help_.find(name);
      if (h != help_.end()) out += "# HELP " + name + " " + h->second + "\n";
      out += "# TYPE " + name + " gauge\n";
    }
  }
  // Gauges are read outside the lock: a callback may take other locks.
  std::string gauge_values;
  for (const auto& [name, read] : gauges) gauge_values += name + " " + Number(read()) + "\n";
  return out + gauge_values;
}

void DescribeAcsMetrics(Registry& r, std::function<double()> active_sessions) {
  r.DescribeCounter(kSessionsStarted, "CWMP sessions started (Informs accepted).");
  r.DescribeCounter(kSessionsEnded, "CWMP sessions ended, by reason.");
  r.DescribeCounter(kInforms, "Inform events received, by event code.");
  r.DescribeCounter(kRpcsSent, "RPCs the ACS sent to CPEs, by method.");
  r.DescribeCounter(kCpeRequests, "Requests CPEs sent to the ACS, by method.");
  r.DescribeCounter(kFaults, "CWMP faults received from CPEs or raised for tasks, by code.");
  r.DescribeCounter(kTasksCompleted, "Tasks finished, by outcome (done, fault).");
  r.DescribeCounter(kAuthFailures, "Failed CPE authentications, by reason.");
  r.DescribeCounter(kHttpRequests, "HTTP requests on the CWMP endpoint, by status.");
  r.DescribeHistogram(kRequestSeconds, "Time to answer one CWMP HTTP request.",
                      {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  r.DescribeGauge(kActiveSessions, "CWMP sessions open in this process.",
                  std::move(active_sessions));
}

}  // namespace acs::metrics
