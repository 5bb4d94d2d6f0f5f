# Sourced by bench/ui.sh and bench/body.sh: the window reads its LADLE_BENCH_* variables only in
# a build made with -Dbench_hooks=true. hooks_build prints such a build's folder (_build-bench,
# configured and brought up to date here) on stdout; its progress goes to stderr.
hooks_build () {
  local root=$1 dir=$1/_build-bench
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$root" --buildtype=debugoptimized -Dbench_hooks=true >&2 || return 1
  fi
  ninja -C "$dir" >&2 || return 1
  echo "$dir"
}
