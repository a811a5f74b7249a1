#!/usr/bin/env bash
# Builds `localhost/node-standin:<major>`: a minimal stand-in for the official node:<major> image,
# made from this machine's files, because CI cannot pull from a container registry. It mirrors
# what the Dockerfile relies on in the official image: node at /usr/local/bin, npm under
# /usr/local/lib/node_modules, /bin/sh plus the few coreutils that npm scripts and probes call,
# a `node` user with uid/gid 1000, a world-writable /tmp.
# It also carries this machine's CA bundle and npm config, so `npm ci` inside the build reaches
# the npm registry exactly as npm on the host does.
# Usage: scripts/container-standin.sh <node-bin-dir>   (the folder printed by scripts/node-lts.sh)
set -euo pipefail

node_bin_dir="$1"
node="$(readlink -f "$node_bin_dir/node")"
major="$("$node" -p 'process.versions.node.split(".")[0]')"
image="localhost/node-standin:$major"

if buildah inspect --type image "$image" >/dev/null 2>&1; then
  echo "stand-in: $image already present"
  exit 0
fi

rootfs="$(mktemp -d /var/tmp/node-standin.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
chmod 0755 "$rootfs"   # mktemp makes it 0700; it becomes the image's /

# Copies a host binary and every shared library it loads (ldd), keeping their paths.
copy_with_libs() {
  local source="$1" target="$2"
  install -D -m 0755 "$source" "$rootfs$target"
  ldd "$source" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | while read -r lib; do
    # 0755: the kernel needs execute permission on the dynamic loader.
    [[ -e "$rootfs$lib" ]] || install -D -m 0755 "$(readlink -f "$lib")" "$rootfs$lib"
  done
}

copy_with_libs "$node" /usr/local/bin/node
copy_with_libs /usr/bin/dash /bin/sh
for tool in rm mkdir cp mv ls cat sleep id env chmod ln; do
  copy_with_libs "$(command -v "$tool")" "/bin/$tool"
done

# npm: the machine's own npm (the official image bundles the npm of its Node release).
npm_root="$(npm root -g)/npm"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_root" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
# npm's global config for a prefix of /usr/local.
install -D -m 0644 /dev/stdin "$rootfs/usr/local/etc/npmrc" <<'NPMRC'
cafile=/etc/ssl/certs/ca-certificates.crt
update-notifier=false
fund=false
audit=false
NPMRC

mkdir -p "$rootfs/etc" "$rootfs/home/node" "$rootfs/tmp" "$rootfs/usr/bin"
ln -s /bin/env "$rootfs/usr/bin/env"   # npm's bin shims start with #!/usr/bin/env node
chmod 1777 "$rootfs/tmp"
chown 1000:1000 "$rootfs/home/node"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' > "$rootfs/etc/group"
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

container="$(buildah from scratch)"
buildah copy --quiet "$container" "$rootfs" / >/dev/null
buildah config --env PATH=/usr/local/bin:/usr/bin:/bin --env "NODE_VERSION=$("$node" -v | tr -d v)" \
  --cmd '["node"]' --label "org.opencontainers.image.description=offline stand-in for node:$major" "$container"
buildah commit --quiet --rm "$container" "$image" >/dev/null
echo "stand-in: built $image ($("$node" -v), npm $(npm -v))"
