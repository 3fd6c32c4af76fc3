"""Writes a hash-locked requirements file from pip's installation report (pip install --dry-run --report).

Used for open-webui-0.12.4.txt (see the header of open-webui-0.12.4.in): pip-compile --generate-hashes
downloads every file of every release it pins to hash it (gigabytes for Open WebUI's closure), while
pip's report already holds the sha256 of the one wheel it chose. The lock is therefore exact for the
platform it was made on (CPython 3.11, manylinux x86_64), which is the lab's and CI's.

usage: python3 lock-from-report.py REPORT.json INPUT.in OUTPUT.txt [NAME==VERSION=SHA256 ...]
The extra arguments append packages pip did not resolve (open-webui itself, installed with --no-deps).
"""
import json
import sys

report_file, input_file, output_file, *extra = sys.argv[1:]
with open(report_file, encoding="utf-8") as f:
    report = json.load(f)

rows = []
for item in report["install"]:
    meta = item["metadata"]
    sha256 = item["download_info"]["archive_info"]["hashes"]["sha256"]
    wheel = item["download_info"]["url"].rsplit("/", 1)[-1]
    rows.append((meta["name"].lower().replace("_", "-"), meta["version"], sha256, f"# {wheel}"))
for spec in extra:
    pin, sha256 = spec.rsplit("=", 1)
    name, version = pin.split("==")
    rows.append((name, version, sha256, "# installed with --no-deps: its torch chain is left out (see the .in)"))

with open(input_file, encoding="utf-8") as f:
    header = [line for line in f.read().splitlines() if line.startswith("#")]  # why, what is left out, how to regenerate

with open(output_file, "w", encoding="utf-8") as out:
    out.write("#\n# Generated from pip's installation report by lab/requirements/lock-from-report.py, with the header of\n")
    out.write(f"# {input_file}. One wheel per package (CPython 3.11, manylinux x86_64), hash-pinned.\n#\n")
    out.write("\n".join(header) + "\n#\n")
    for name, version, sha256, note in sorted(rows):
        out.write(f"{name}=={version} \\\n    --hash=sha256:{sha256}\n    {note}\n")
