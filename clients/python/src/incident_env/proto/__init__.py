"""Protobuf and gRPC stubs generated from the environment's protos by clients/python/generate.sh.

Do not edit: regenerate. The modules mirror the proto packages: incident_env.proto.incident.v1
(service_pb2, service_pb2_grpc, action_pb2, ...) and incident_env.proto.buf.validate.
"""
