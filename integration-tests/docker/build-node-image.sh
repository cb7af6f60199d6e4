#!/usr/bin/env bash
# Builds the node image the partition suite uses, without any registry: FROM scratch with a Java
# runtime made by jlink from the local JDK, the shared libraries it links against, and the server
# jar. The same recipe as integration-tests/src/test/java/io/tinykv/raft/it/docker/NodeImage.java
# (which tags it tinykv-it-node:<hash of recipe, JDK and jar> and builds it only when missing).
#
# Usage, from the repository root, after ./mvnw -B package -DskipTests -pl raft-node -am:
#   integration-tests/docker/build-node-image.sh [tag]        (default tag: tinykv-node:scratch)
set -euo pipefail
cd "$(dirname "$0")/../.."
TAG=${1:-tinykv-node:scratch}
JAR=raft-node/target/tinykv.jar
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B package -DskipTests -pl raft-node -am" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS/opt" "$ROOTFS/data" "$ROOTFS/tmp"
chmod 1777 "$ROOTFS/tmp"

MODULES=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$JAR" | tail -n 1)
MODULES=$MODULES,java.management.rmi,jdk.management,jdk.management.agent,jdk.crypto.ec
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$ROOTFS/opt/java"
cp "$JAR" "$ROOTFS/opt/tinykv.jar"

# The host libraries the launcher, the VM and the non-graphics native libraries link against.
RUNTIME=$ROOTFS/opt/java
LIBS=$( (ldd "$RUNTIME/bin/java"; ldd "$RUNTIME/lib/server/libjvm.so"
  for f in "$RUNTIME"/lib/*.so; do
    case $(basename "$f") in
      libawt*|libfontmanager.so|libsplashscreen.so|libjsound.so|liblcms.so|libjavajpeg.so|libmlib_image.so|libjawt.so) ;;
      *) ldd "$f" ;;
    esac
  done) | grep -v 'not found' | grep -o '/[^ ]*' | grep -v "^$RUNTIME" | sort -u)
DIRS=
for lib in $LIBS; do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
  case ":$DIRS:" in *":$(dirname "$lib"):"*) ;; *) DIRS=${DIRS:+$DIRS:}$(dirname "$lib") ;; esac
done

cat >"$WORK/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
ENV LD_LIBRARY_PATH=$DIRS
WORKDIR /data
ENTRYPOINT ["/opt/java/bin/java", "-Xms32m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.awt.headless=true", "-jar", "/opt/tinykv.jar"]
DOCKERFILE
docker build -q -t "$TAG" "$WORK"
echo "built $TAG ($(du -sh "$ROOTFS" | cut -f1) uncompressed); try: docker run --rm $TAG --help"
