# Sourced by Scripts/peers/ab-onnxruntime, ab-onnxruntime-network and Scripts/ab-network.
#
# A comparison's table reads every <tool>-<round> folder in its DIR, so the folders and table
# of an earlier comparison would join the new one's. Each function takes the comparison's
# tools after its own arguments (default: sepbench onnxruntime). The scripts call
# check_comparison_folder before they set anything up and clear_comparison_folder once the build
# has succeeded (Scripts/ab-network: once both binaries are found), so an earlier comparison is
# lost only to a run that can start.

# comparison_entries DIR [TOOL...]: the earlier comparison's entries in DIR, one per line
# (none: no output).
comparison_entries() {
  local out=$1 restore entry tool
  shift
  [ $# -gt 0 ] || set -- sepbench onnxruntime
  restore=$(shopt -p nullglob || true)
  shopt -s nullglob
  for tool in "$@"; do
    for entry in "$out/$tool"-*; do printf '%s\n' "$entry"; done
  done
  eval "$restore"
  [ ! -e "$out/table.md" ] || printf '%s\n' "$out/table.md"
}

# check_comparison_folder DIR FORCE [TOOL...]: returns 2 with one line on stderr when DIR holds
# an earlier comparison and FORCE is not 1; DIR is left as it was.
check_comparison_folder() {
  local out=$1 force=$2
  shift 2
  if [ "$force" != 1 ] && [ -n "$(comparison_entries "$out" "$@")" ]; then
    echo "error: --out '$out' already holds a comparison; give --force to replace it, or another folder" >&2
    return 2
  fi
}

# clear_comparison_folder DIR [TOOL...]: removes the earlier comparison's entries and creates
# DIR; returns 2 with one line on stderr when it cannot.
clear_comparison_folder() {
  local out=$1 entry
  shift
  while IFS= read -r entry; do
    rm -rf -- "$entry" || { echo "error: cannot remove $entry" >&2; return 2; }
  done < <(comparison_entries "$out" "$@")
  mkdir -p -- "$out" || { echo "error: cannot create $out" >&2; return 2; }
}
