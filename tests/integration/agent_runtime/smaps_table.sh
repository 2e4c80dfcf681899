#!/bin/bash
# Prints a process's resident memory per mapped file from /proc/PID/smaps, largest first:
# Rss, Pss, Shared_Clean, Private_Clean, Private_Dirty (KiB). Anonymous mappings (heap, thread
# stacks, malloc arenas) are summed as [anon]; [heap] and [stack] keep their own rows.
# Usage: smaps_table.sh PID
set -euo pipefail
pid=${1:?usage: smaps_table.sh PID}
awk '
  /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anon]"; sub(".*/", "", name); next }
  /^Rss:/           { rss[name] += $2; total_rss += $2 }
  /^Pss:/           { pss[name] += $2; total_pss += $2 }
  /^Shared_Clean:/  { sc[name] += $2 }
  /^Private_Clean:/ { pc[name] += $2 }
  /^Private_Dirty:/ { pd[name] += $2 }
  END {
    for (n in rss) if (rss[n] > 0)
      printf "%8d %8d %8d %8d %8d  %s\n", rss[n], pss[n], sc[n], pc[n], pd[n], n | "sort -rn"
    close("sort -rn")
    printf "%8d %8d %8s %8s %8s  %s\n", total_rss, total_pss, "", "", "", "total"
  }
  BEGIN { printf "%8s %8s %8s %8s %8s  %s\n", "Rss", "Pss", "ShClean", "PrClean", "PrDirty", "mapping" }
' "/proc/$pid/smaps"
