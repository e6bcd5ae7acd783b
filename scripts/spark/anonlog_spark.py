#!/usr/bin/env python3
"""anonlog over a log archive on Apache Spark: one file per task, piped whole through the same
`anonlog` binary a host runs (so compressed files keep their format and every output equals a
local run), or `RDD.pipe` over text lines (--lines), or `anonlog scan` with findings gathered
per file and per type (--scan).

The command line is the contract of SPEC.md's Scale section:

  spark-submit scripts/spark/anonlog_spark.py --anonlog PATH --input DIR --output DIR [--lines] [-- FILTER-OPTIONS...]
  spark-submit scripts/spark/anonlog_spark.py --anonlog PATH --input DIR --output DIR --scan [-- SCAN-OPTIONS...]

--input is a directory, walked recursively, or a glob (`/archive/*/2025-*.gz`, `**` for any
depth), quoted so the shell leaves it alone. Each file's output lands under --output at the same relative
path and in the same format. --scan writes findings.jsonl (one finding per line, with the
relative path) and summary.json (counts per file and per type) under --output. Options after
`--` go unchanged to every anonlog process; `--key-file PATH` among them is shipped to the
executors with the job (mode 0600 there) and refused if others can read it here.

Input and output directories must be visible to the executors at the same paths (a shared
file system; on a cluster, the archive's mount). The binary and the key travel with the job.
Exit status: 0 done, 1 some files failed (each named on stderr), 2 usage error.
"""

import argparse
import json
import os
import stat
import subprocess
import sys


def parse(argv):
    """The job's own options, and what comes after `--` for anonlog."""
    if "--" in argv:
        cut = argv.index("--")
        own, passed = argv[:cut], argv[cut + 1:]
    else:
        own, passed = argv, []
    parser = argparse.ArgumentParser(
        prog="anonlog_spark.py",
        description="Run anonlog over a directory tree on Spark; options after -- go to anonlog.")
    parser.add_argument("--anonlog", required=True, help="the anonlog binary (shipped to the executors)")
    parser.add_argument("--input", required=True, help="directory walked recursively, or a glob (quoted)")
    parser.add_argument("--output", required=True, help="directory the outputs land in, same relative paths")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--lines", action="store_true", help="RDD.pipe over text lines instead of one task per file")
    mode.add_argument("--scan", action="store_true", help="run anonlog scan; write findings.jsonl and summary.json")
    parser.add_argument("--partitions", type=int, default=0, help="tasks to spread the files over (default: one per file)")
    return parser.parse_args(own), passed


def fail(message):
    print(f"anonlog_spark: {message}", file=sys.stderr)
    sys.exit(2)


def key_file(passed):
    """The --key-file path among anonlog's options, if any."""
    for index, word in enumerate(passed):
        if word == "--key-file" and index + 1 < len(passed):
            return passed[index + 1]
        if word.startswith("--key-file="):
            return word.split("=", 1)[1]
    return None


def with_key(passed, path):
    """anonlog's options with the key file replaced by `path`."""
    out, skip = [], False
    for word in passed:
        if skip:
            out.append(path)
            skip = False
        elif word == "--key-file":
            out.append(word)
            skip = True
        elif word.startswith("--key-file="):
            out.append("--key-file=" + path)
        else:
            out.append(word)
    return out


def glob_inputs(pattern):
    """The base directory of a glob (its path up to the first wildcard) and the regular files it
    matches, relative to that base, sorted; symlinks are left out as in a walk."""
    import glob
    parts = pattern.split(os.sep)
    fixed = []
    for part in parts:
        if any(c in part for c in "*?["):
            break
        fixed.append(part)
    base = os.sep.join(fixed) or "."
    found = [os.path.relpath(path, base) for path in glob.glob(pattern, recursive=True)
             if os.path.isfile(path) and not os.path.islink(path)]
    return base, sorted(found)


def files_under(root):
    """Relative paths of the regular files under `root`, sorted; symlinks are not followed."""
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = os.path.join(directory, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found.append(os.path.relpath(path, root))
    return found


def executor_tools(binary_name, key_name):
    """The shipped binary and key on this executor, the key at mode 0600 (anonlog refuses a key
    others can read, and SparkFiles may copy it with the default mode)."""
    from pyspark import SparkFiles
    binary = SparkFiles.get(binary_name)
    os.chmod(binary, 0o755)
    key = None
    if key_name:
        key = SparkFiles.get(key_name)
        os.chmod(key, 0o600)
    return binary, key


def main():
    args, passed = parse(sys.argv[1:])
    if not os.path.isfile(args.anonlog) or not os.access(args.anonlog, os.X_OK):
        fail(f"{args.anonlog}: not an executable file")
    if os.path.isdir(args.input):
        base, inputs = args.input, files_under(args.input)
    elif any(c in args.input for c in "*?["):
        base, inputs = glob_inputs(args.input)
    else:
        fail(f"{args.input}: neither a directory nor a glob")
    key = key_file(passed)
    if key is not None:
        if not os.path.isfile(key):
            fail(f"{key}: no such key file")
        if os.stat(key).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            fail(f"{key}: the key is readable or writable by others (mode {oct(os.stat(key).st_mode & 0o777)}); "
                 "shipped as it is, every executor would hold a world-readable key. chmod 600 it first")
    if not inputs:
        fail(f"{args.input}: no files")

    from pyspark.sql import SparkSession
    spark = SparkSession.builder.appName("anonlog").getOrCreate()
    context = spark.sparkContext
    context.addFile(os.path.abspath(args.anonlog))
    binary_name = os.path.basename(args.anonlog)
    key_name = None
    if key is not None:
        context.addFile(os.path.abspath(key))
        key_name = os.path.basename(key)
    source, target = os.path.abspath(base), os.path.abspath(args.output)
    os.makedirs(target, exist_ok=True)

    if args.lines:
        failed = run_lines(context, inputs, source, target, args.anonlog, key, passed)
    elif args.scan:
        failed = run_scan(context, inputs, source, target, binary_name, passed, args.partitions)
    else:
        failed = run_files(context, inputs, source, target, binary_name, key_name, passed, args.partitions)
    spark.stop()
    for line in failed:
        print(f"anonlog_spark: {line}", file=sys.stderr)
    sys.exit(1 if failed else 0)


def run_files(context, inputs, source, target, binary_name, key_name, passed, partitions):
    """One task per file: `anonlog OPTIONS -o OUT IN`, exactly as on a host, so the format,
    the mtime's key epoch and every byte are those of a local run."""
    def rewrite(relative):
        binary, key = executor_tools(binary_name, key_name)
        options = with_key(passed, key) if key else passed
        output = os.path.join(target, relative)
        os.makedirs(os.path.dirname(output), exist_ok=True)
        done = subprocess.run([binary, *options, "-o", output, os.path.join(source, relative)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            return [f"{relative}: anonlog exited {done.returncode}: {done.stderr.decode(errors='replace').strip()}"]
        return []

    rdd = context.parallelize(inputs, partitions or len(inputs))
    return rdd.flatMap(rewrite).collect()


def run_lines(context, inputs, source, target, binary, key, passed):
    """The line-filter contract: each file's lines (Spark decompresses .gz itself) piped through
    anonlog with RDD.pipe, one anonlog per partition, written as plain text under the same
    relative path. RDD.pipe runs a command line, so the binary and key are used at their paths
    here, which the executors must see too (shared storage). Spark reads lines as UTF-8: bytes
    that are not UTF-8 are replaced, so this mode is for UTF-8 text; one task per file (the
    default mode) is byte-exact for anything."""
    import shlex
    options = with_key(passed, os.path.abspath(key)) if key else passed
    command = shlex.join([os.path.abspath(binary), *options])
    failed = []
    for relative in inputs:
        try:
            rewritten = context.textFile(os.path.join(source, relative)).pipe(command, checkCode=True).collect()
        except Exception as error:  # a task's failure, reported per file
            failed.append(f"{relative}: {str(error).splitlines()[0] if str(error) else error}")
            continue
        output = os.path.join(target, relative)
        os.makedirs(os.path.dirname(output), exist_ok=True)
        with open(output, "w") as handle:
            handle.writelines(line + "\n" for line in rewritten)
    return failed


def run_scan(context, inputs, source, target, binary_name, passed, partitions):
    """`anonlog scan --json` per file; findings with the relative path, then counts."""
    def scan(relative):
        binary, _ = executor_tools(binary_name, None)
        done = subprocess.run([binary, "scan", "--json", *passed, os.path.join(source, relative)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if done.returncode not in (0, 1):
            return [("error", relative, done.stderr.decode(errors="replace").strip())]
        out = []
        for line in done.stdout.decode().splitlines():
            record = json.loads(line)
            if "summary" in record:
                continue
            record["path"] = relative
            out.append(("finding", relative, record))
        return out

    results = context.parallelize(inputs, partitions or len(inputs)).flatMap(scan).collect()
    failed, per_file, per_type = [], {}, {}
    with open(os.path.join(target, "findings.jsonl"), "w") as findings:
        for kind, relative, payload in results:
            if kind == "error":
                failed.append(f"{relative}: {payload}")
                continue
            findings.write(json.dumps(payload, sort_keys=True) + "\n")
            per_file.setdefault(relative, {}).setdefault(payload["type"], 0)
            per_file[relative][payload["type"]] += 1
            per_type[payload["type"]] = per_type.get(payload["type"], 0) + 1
    with open(os.path.join(target, "summary.json"), "w") as summary:
        json.dump({"files": len(inputs), "findings": sum(per_type.values()), "per_type": per_type,
                   "per_file": per_file}, summary, sort_keys=True, indent=1)
    return failed


if __name__ == "__main__":
    main()
