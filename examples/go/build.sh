#!/bin/sh
# Generates Go stubs from the environment's protos with Debian's protoc-gen-go (1.28) and
# protoc-gen-go-grpc, then builds the trainer in GOPATH mode against Debian's Go packages
# (/usr/share/gocode). The stubs are not committed.
#
#   apt-get install -y golang-go protobuf-compiler protoc-gen-go protoc-gen-go-grpc \
#     golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev
#   examples/go/build.sh [WORK_DIR]      (default: examples/go/.work; the binary is WORK_DIR/bin/trainer)
#
# golang-github-golang-protobuf-1-5-dev matters: golang-google-grpc-dev accepts the 1.3 API too,
# and with 1.3 installed grpc's codec cannot decode messages from protoc-gen-go 1.28
# ("protobuf tag not enough fields in ResetResponse.state").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-$here/.work}
mkdir -p "$work"
work=$(cd "$work" && pwd)
pkg=incidentenv
rm -rf "$work/src/$pkg"
mkdir -p "$work/src/$pkg/trainer" "$work/bin"
cd "$repo"
# Our protos have no go_package option: map every file to one Go package.
maps=""
for f in proto/incident/v1/*.proto; do
  rel=${f#proto/}
  maps="$maps --go_opt=M$rel=$pkg/gen/incidentv1 --go-grpc_opt=M$rel=$pkg/gen/incidentv1"
done
maps="$maps --go_opt=Mbuf/validate/validate.proto=$pkg/gen/validate --go-grpc_opt=Mbuf/validate/validate.proto=$pkg/gen/validate"
# shellcheck disable=SC2086
protoc -Iproto -Iproto-vendor --go_out="$work/src" --go-grpc_out="$work/src" $maps \
  proto/incident/v1/*.proto proto-vendor/buf/validate/validate.proto
cp "$here/trainer/main.go" "$work/src/$pkg/trainer/main.go"
GOPATH="$work:/usr/share/gocode" GO111MODULE=off GOFLAGS= GOPROXY=off go build -o "$work/bin/trainer" "$pkg/trainer"
echo "$work/bin/trainer"
