#!/bin/bash
# Builds a busybox OCI image archive (oci-layout tarball, one gzip layer) from
# config-samples/build-rootfs.sh, without any registry:
#   make-image.sh OUT.tar NAME      e.g. make-image.sh /tmp/x/busybox.tar docker.io/library/jbusybox:latest
# The index names the image both ways containerd and podman read a name from:
# io.containerd.image.name (ctr image import) and org.opencontainers.image.ref.name.
set -euo pipefail
out=$1 name=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ROOTFS=$work/rootfs sh "$top/config-samples/build-rootfs.sh" >/dev/null
mkdir -p "$work/img/blobs/sha256"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$work/rootfs" -cf "$work/layer.tar" .
diff_id=$(sha256sum <"$work/layer.tar" | cut -d' ' -f1)
gzip -n -c "$work/layer.tar" >"$work/layer.tar.gz"
layer=$(sha256sum <"$work/layer.tar.gz" | cut -d' ' -f1)
layer_size=$(stat -c %s "$work/layer.tar.gz")
mv "$work/layer.tar.gz" "$work/img/blobs/sha256/$layer"
blob() { # stdin -> blob; prints "digest size"
    cat >"$work/blob"
    local d s
    d=$(sha256sum <"$work/blob" | cut -d' ' -f1)
    s=$(stat -c %s "$work/blob")
    mv "$work/blob" "$work/img/blobs/sha256/$d"
    echo "$d $s"
}
read -r cfg cfg_size < <(printf '%s' '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:'"$diff_id"'"]},"history":[{"created_by":"jruntime conformance/engines/make-image.sh"}]}' | blob)
read -r man man_size < <(printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'"$cfg"'","size":'"$cfg_size"'},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:'"$layer"'","size":'"$layer_size"'}]}' | blob)
printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$work/img/oci-layout"
printf '%s' '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$man"'","size":'"$man_size"',"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"'"$name"'","org.opencontainers.image.ref.name":"'"$name"'"}}]}' >"$work/img/index.json"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$work/img" -cf "$out" oci-layout index.json blobs
