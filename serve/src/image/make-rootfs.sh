#!/usr/bin/env bash
# Builds the image's operating-system part for the Maven profile "image" (serve/pom.xml), without a
# Docker daemon or a registry: the image is FROM scratch, so everything the JVM needs is put here and
# added by Jib as an extra directory. Called by exec-maven-plugin as
#   make-rootfs.sh OUT_DIR PROVIDED_CLASSPATH_FILE GUAVA_14_JAR "JVM OPTIONS"
# and writes two trees (two image layers: the jars change more often than the runtime):
# OUT_DIR/os:
#   opt/java/                a Java 17 runtime jlinked from the build's JDK (its jmods)
#   lib/x86_64-linux-gnu/, lib64/   the shared libraries that runtime links (found with ldd, copied
#                            as plain files: glibc, zlib, libstdc++, libgcc_s) and the dynamic loader
#   usr/bin/                 rm, chmod, ls, stat, id, bash: the commands Spark and Hadoop run
#   etc/passwd, group, nsswitch.conf   user dxpipe (uid/gid 10001), for Hadoop's login and getpwuid
# OUT_DIR/jars:
#   app/spark-libs/          the provided-scope jars (Spark, Delta, Hadoop, javax.servlet), which Jib
#                            leaves out, plus Guava 14.0.1 that a Spark distribution brings for Delta
#   app/jvm-options          the JVM options (Spark's --add-opens on Java 17, pom.xml's extraJavaTestArgs)
#                            one a line, read by the entry point as java @/app/jvm-options
# OUT_DIR/os again:
#   tmp/, var/lib/dxpipe/spool/   writable (mode 777, see serve/pom.xml) for Spark and the audit spool
# The runtime is rebuilt only when missing (mvn clean to force). Needs jlink, jmods and ldd.
set -euo pipefail
os="$1/os"
jars="$1/jars"
provided_cp="$2"
guava14="$3"
jvm_options="$4"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"

# Every java.* module (java.se) and the jdk.* ones Spark, Hadoop, Jetty and the TLS/Kerberos/JMX
# paths use (jdk.unsupported for sun.misc.Unsafe, jdk.security.auth for Hadoop's UnixLoginModule).
modules=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.management,jdk.management.agent,jdk.security.auth,jdk.security.jgss,jdk.naming.dns,jdk.charsets,jdk.httpserver,jdk.net,jdk.localedata

if [[ ! -x "$os/opt/java/bin/java" ]]; then
  rm -rf "$os/opt/java"
  mkdir -p "$os/opt"
  "$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$os/opt/java"
  # Debian's JDK keeps its CA certificates in /etc/ssl/certs/java/cacerts (a link in the JDK): the
  # runtime needs a real copy for https (abfss://, an MLflow server over TLS).
  if [[ -f /etc/ssl/certs/java/cacerts ]]; then
    cp -L /etc/ssl/certs/java/cacerts "$os/opt/java/lib/security/cacerts"
  fi
fi

# The few commands Spark and Hadoop run: rm -rf (Spark's temporary folders), chmod, ls and stat
# (Hadoop's local file system on a file: storage root), id and bash (Hadoop's group lookup).
rm -rf "$os/usr"
mkdir -p "$os/usr/bin"
for tool in rm chmod ls stat id bash; do
  cp -L "$(command -v "$tool")" "$os/usr/bin/$tool"
done

# The shared libraries of every ELF file of the runtime and of those commands, at the paths the
# loader looks in.
rm -rf "$os/lib" "$os/lib64"
mkdir -p "$os/lib64"
# (not the AWT window, splash screen and sound libraries: no X11 or ALSA in a server image)
find "$os/opt/java" "$os/usr/bin" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) \
  -not -name 'libawt_xawt.so' -not -name 'libsplashscreen.so' -not -name 'libjsound.so' -print0 \
  | { xargs -0 ldd 2>/dev/null || true; } | awk '/=> \//{print $3} /^\s*\/lib64\//{print $1}' | sort -u \
  | while read -r lib; do
      mkdir -p "$os$(dirname "$lib")"
      cp -L "$lib" "$os$lib"
    done
# glibc dlopens libgcc_s for thread cancellation and unwinding; ldd does not show it.
for lib in /lib/x86_64-linux-gnu/libgcc_s.so.1; do
  [[ -f "$lib" ]] && mkdir -p "$os$(dirname "$lib")" && cp -L "$lib" "$os$lib"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$os/lib64/ld-linux-x86-64.so.2"

mkdir -p "$os/etc" "$os/tmp" "$os/var/lib/dxpipe/spool"
printf 'root:x:0:0:root:/root:/sbin/nologin\ndxpipe:x:10001:10001:dxpipe:/var/lib/dxpipe:/sbin/nologin\n' > "$os/etc/passwd"
printf 'root:x:0:\ndxpipe:x:10001:\n' > "$os/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$os/etc/nsswitch.conf"

rm -rf "$jars/app/spark-libs"
mkdir -p "$jars/app/spark-libs"
tr ':' '\n' < "$provided_cp" | while read -r jar || [[ -n "$jar" ]]; do
  [[ -n "$jar" ]] && cp "$jar" "$jars/app/spark-libs/"
done
cp "$guava14" "$jars/app/spark-libs/"
# The heap follows the container's memory limit unless JAVA_TOOL_OPTIONS=-Xmx... says otherwise.
{ tr ' ' '\n' <<< "$jvm_options" | grep -v '^$'; echo '-XX:MaxRAMPercentage=70'; } > "$jars/app/jvm-options"
echo "[dxpipe] image root in $1: runtime and libraries $(du -sh "$os" | cut -f1), $(ls "$jars/app/spark-libs" | wc -l) provided jars $(du -sh "$jars" | cut -f1)"
