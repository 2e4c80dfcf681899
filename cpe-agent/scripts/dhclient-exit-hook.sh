# cpe-agent DHCP discovery hook for ISC dhclient.
#
# dhclient-script *sources* every file in /etc/dhcp/dhclient-exit-hooks.d/ with the lease in
# its environment (reason, interface, new_vendor_encapsulated_options, new_tftp_server_name, ...),
# so this file must not call `exit` and keeps its names under the cwmp_ prefix.
#
# Install (docs/dhcp.md has the dhclient.conf lines that request the options):
#   install -m 0644 dhclient-exit-hook.sh /etc/dhcp/dhclient-exit-hooks.d/cpe-agent
# Settings (environment or /etc/default/cpe-agent-dhcp, sourced when present):
#   CWMP_AGENT         the cpe-agent binary            (default /usr/sbin/cpe-agent)
#   CWMP_STATE_DIR     the agent's state directory     (default /var/lib/cpe-agent)
#   CWMP_LOG           "stderr" to print the agent's output instead of sending it to syslog
#   CWMP_OPTION_ORDER  DHCP_Option_To_Use              (default: the agent's, 66,160,159,150,60,43,125)

# The lease variables (reason, interface, new_*) come from dhclient.
# shellcheck disable=SC2154
cwmp_dhcp_hook() {
  # shellcheck source=/dev/null
  [ -r /etc/default/cpe-agent-dhcp ] && . /etc/default/cpe-agent-dhcp
  cwmp_agent=${CWMP_AGENT:-/usr/sbin/cpe-agent}
  cwmp_state=${CWMP_STATE_DIR:-/var/lib/cpe-agent}
  case "$reason" in
    BOUND | RENEW | REBIND | REBOOT) ;;
    *) return 0 ;;  # EXPIRE, FAIL, RELEASE, STOP, PREINIT, *6: nothing new was learnt
  esac
  if [ ! -x "$cwmp_agent" ]; then
    echo "cpe-agent dhcp hook: $cwmp_agent not found" >&2
    return 0
  fi
  mkdir -p "$cwmp_state" || return 0
  set -- dhcp-event --state "$cwmp_state" --env
  [ -n "${CWMP_OPTION_ORDER:-}" ] && set -- "$@" --option-order "$CWMP_OPTION_ORDER"
  if [ "${CWMP_LOG:-syslog}" != stderr ] && command -v logger >/dev/null 2>&1; then
    "$cwmp_agent" "$@" 2>&1 | logger -t "cpe-agent-dhcp[$interface]"
  else
    "$cwmp_agent" "$@" >&2
  fi
  return 0
}

cwmp_dhcp_hook
