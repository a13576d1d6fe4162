#!/usr/bin/env python3
"""python-stdnum's verdict on each code of a file, for IdentifierDifferentialTests.

Input lines are `<kind>\t<code>` with kind `uscc` or `id`; output lines are `ok` or the name of
the exception python-stdnum raised (InvalidLength, InvalidFormat, InvalidChecksum,
InvalidComponent), or `crash:<exception>` when python-stdnum fails with another exception, in the
same order.
"""
import sys

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

VALIDATORS = {"uscc": uscc.validate, "id": ric.validate}


def main() -> None:
    out = []
    with open(sys.argv[1], encoding="utf-8") as handle:
        for line in handle:
            kind, code = line.rstrip("\n").split("\t", 1)
            try:
                VALIDATORS[kind](code)
                out.append("ok")
            except ValidationError as error:
                out.append(type(error).__name__)
            except Exception as error:  # noqa: BLE001 - a crash is a verdict too (see docs/identifiers.md)
                out.append("crash:" + type(error).__name__)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
