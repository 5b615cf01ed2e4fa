#!/usr/bin/env bash
# The Debian package from this build tree, installed into a throwaway root with `dpkg -x`: its name,
# its runtime dependencies (dpkg-shlibdeps), its files, and the installed binary finding its plugins
# without flags. Usage: package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build_dir="$1"
source_dir="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/mcpproxy-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

version="$(sed -n 's/^project(mcpproxy VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")"
arch="$(dpkg --print-architecture)"
deb="$work/mcpproxy_${version}_${arch}.deb"

cpack --config "$build_dir/CPackConfig.cmake" -B "$work" -G DEB >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
[[ -f "$deb" ]] || { ls "$work" >&2; fail "no $deb"; }
[[ -f "$work/mcpproxy-dev_${version}_${arch}.deb" ]] || fail "no mcpproxy-dev package"

depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
for lib in libc6 libstdc++6 libssl3 libsqlite3-0; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib (dpkg-shlibdeps did not run?)"
done
[[ "$depends" != *-dev* ]] || fail "the runtime package depends on a -dev package"

contents="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/mcpproxy ./usr/share/mcpproxy/mcp_config.json ./usr/share/doc/mcpproxy/README.md \
  ./usr/share/doc/mcpproxy/configuration.md ./usr/lib/systemd/system/mcpproxy.service \
  ./usr/lib/sysusers.d/mcpproxy.conf; do
  [[ "$contents" == *" $f"* ]] || fail "package lacks $f"
done
[[ "$contents" != *"/include/"* ]] || fail "SDK headers belong in mcpproxy-dev"
dev_contents="$(dpkg-deb -c "$work/mcpproxy-dev_${version}_${arch}.deb")"
[[ "$dev_contents" == *mcpproxy-sdkConfig.cmake* ]] || fail "mcpproxy-dev lacks the CMake package"

root="$work/root"
dpkg -x "$deb" "$root"
bin="$root/usr/bin/mcpproxy"
# No config or data of the developer's: a fresh HOME.
export HOME="$work/home"
mkdir -p "$HOME"

"$bin" version | tee "$work/version.txt"
grep -q "^mcpproxy $version " "$work/version.txt" || fail "mcpproxy version does not say $version"

# The configs the package and the container image ship must load.
for config in "$root/usr/share/mcpproxy/mcp_config.json" "$source_dir/packaging/docker/mcp_config.json"; do
  "$bin" config check "$config" >/dev/null || fail "$config does not load"
done

"$bin" plugins list | tee "$work/plugins.txt"
! grep -q "cannot load" "$work/plugins.txt" || fail "a plugin does not load from the package"
count=0
for so in "$build_dir"/lib/mcpproxy/plugins/*.so; do
  name="$(basename "$so" .so)"
  grep -Eq "^$name .* $root/usr/lib/[^ ]*mcpproxy/plugins/$name\.so\$" "$work/plugins.txt" ||
    fail "plugin $name not found under $root/usr/lib"
  count=$((count + 1))
done
((count > 0)) || fail "the build tree has no plugins"
echo "package test passed: $count plugin(s) found from $root/usr/bin"
