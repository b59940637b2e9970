#!/usr/bin/env python3
"""configs/tls-proxy/schema.json is a valid JSON Schema (2020-12), the shipped examples validate
against it, and it rejects what the parser rejects: unknown keys, bad enum values, bad ports."""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed")
    sys.exit(77)

root = sys.argv[1]
schema = json.load(open(f"{root}/configs/tls-proxy/schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
examples = {}
for name in ("web-frontend.json", "tcp-services.json"):
    examples[name] = json.load(open(f"{root}/configs/tls-proxy/{name}"))
    validator.validate(examples[name])

base = examples["web-frontend.json"]
bad = []
c = copy.deepcopy(base); c["routes"][0]["colour"] = "blue"; bad.append(("unknown route key", c))
c = copy.deepcopy(base); c["loglevel"] = "info"; bad.append(("unknown top-level key", c))
c = copy.deepcopy(base); c["routes"][0]["proxy_protocol"] = "v3"; bad.append(("bad enum", c))
c = copy.deepcopy(base); c["listeners"][0]["address"] = "0.0.0.0"; bad.append(("no port", c))
c = copy.deepcopy(base); c["routes"][0]["sni"] = ["a.*.org"]; bad.append(("bad wildcard", c))
c = copy.deepcopy(base); del c["routes"]; bad.append(("missing routes", c))
for what, doc in bad:
    if validator.is_valid(doc):
        print(f"FAIL: the schema accepts a config with {what}")
        sys.exit(1)
print("ok: schema valid, examples validate, 6 invalid variants rejected")
