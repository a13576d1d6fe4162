#!/usr/bin/env python3
"""Checks report.json files against docs/report.schema.json (JSON Schema 2020-12).

    scripts/check-report-schema.py var/reports/latest/report.json [more.json ...]

Prints each violation as `file: path: message` and exits 1 when there is any. Needs the
jsonschema package (the test venv, .build/python, has it: scripts/test-python.sh).
"""
import json
import os
import sys

import jsonschema

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(root, "docs", "report.schema.json"), encoding="utf-8") as handle:
    schema = json.load(handle)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = False
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        report = json.load(handle)
    for error in sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path)):
        failed = True
        path = "/".join(str(part) for part in error.absolute_path)
        print(f"{name}: {path}: {error.message}")
sys.exit(1 if failed else 0)
