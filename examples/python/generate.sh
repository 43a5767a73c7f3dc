#!/bin/sh
# Generates the Python message and gRPC stubs from the environment's protos with Debian's protoc
# (3.21, which understands proto3 `optional`) and grpc_python_plugin. The stubs are not committed.
#
#   apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc
#   examples/python/generate.sh [OUT_DIR]      (default: examples/python/gen)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$here/gen}
plugin=$(command -v grpc_python_plugin) || { echo "grpc_python_plugin not found: apt-get install protobuf-compiler-grpc" >&2; exit 1; }
mkdir -p "$out"
cd "$repo"
# buf/validate/validate.proto comes along because our protos import it.
protoc -Iproto -Iproto-vendor \
  --python_out="$out" --pyi_out="$out" \
  --grpc_python_out="$out" --plugin=protoc-gen-grpc_python="$plugin" \
  proto/incident/v1/*.proto proto-vendor/buf/validate/validate.proto
echo "generated Python stubs in $out"
